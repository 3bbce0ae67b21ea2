-- Bezwaar (docs/node.md, "Bezwaar"): objections on this node's signals, kept at the node that holds the signal. The
-- reason and the motivation are personal data, stored only encrypted with the node's Aead (bound to the objection's
-- id). The row names its signal by id only, without a foreign key: it outlives the signal when an upheld objection
-- erases it. Written in SQL that both PostgreSQL and H2 (MODE=PostgreSQL) accept.
CREATE TABLE objection (
    id                 UUID         PRIMARY KEY,
    signal_id          UUID         NOT NULL,
    status             VARCHAR(16)  NOT NULL,
    reason_sealed      BYTEA        NOT NULL,
    filed_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    deadline           DATE         NOT NULL,
    filed_via          VARCHAR(64)  NOT NULL,
    relation           VARCHAR(16)  NOT NULL,
    decided_at         TIMESTAMP WITH TIME ZONE,
    motivation_sealed  BYTEA,
    decided_by         VARCHAR(100)
);
CREATE INDEX objection_signal ON objection (signal_id, status);
CREATE INDEX objection_deadline ON objection (deadline, filed_at);

-- At the node where the person signed in: which objections they filed, by a keyed blind index of their BSN (never the
-- BSN), so that they still see the outcome after an upheld objection erased the signal (and with it the coordinator's
-- look-up of it). The holding node answers such an objection only to the node it came through.
CREATE TABLE objection_filed (
    objection_id  UUID         NOT NULL,
    node          VARCHAR(64)  NOT NULL,
    person_index  BYTEA        NOT NULL,
    filed_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (objection_id, node)
);
CREATE INDEX objection_filed_person ON objection_filed (person_index);
