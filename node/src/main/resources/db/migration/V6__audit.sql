-- The node's audit log (docs/audit.md): the tables of audit/src/main/resources/audit-schema.sql
-- (nl.betrokken.audit.AuditLog), and what the node holds back under the Veilig Thuis exception. Entries name
-- accounts by username and signals and matches by a keyed reference, never a BSN, a name or a signal's id.
-- Written in SQL that both PostgreSQL and H2 (MODE=PostgreSQL) accept.

CREATE TABLE audit_entry (
    idx         BIGINT PRIMARY KEY,
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    kind        VARCHAR(60),
    actor       VARCHAR(200),
    subject     VARCHAR(200),
    details     VARCHAR(8000),
    commitment  BYTEA,
    leaf_hash   BYTEA NOT NULL
);
CREATE INDEX audit_entry_at ON audit_entry (at);
CREATE INDEX audit_entry_subject ON audit_entry (subject);

-- The content and salt of sealed entries; readable by the auditor only once released.
CREATE TABLE audit_sealed (
    idx          BIGINT PRIMARY KEY,
    kind         VARCHAR(60)   NOT NULL,
    actor        VARCHAR(200)  NOT NULL,
    subject      VARCHAR(200)  NOT NULL,
    details      VARCHAR(8000) NOT NULL,
    salt         BYTEA         NOT NULL,
    released_at  TIMESTAMP WITH TIME ZONE
);

-- The tree's size and frontier; the row every append locks.
CREATE TABLE audit_head (
    id        INT PRIMARY KEY,
    size      BIGINT NOT NULL,
    frontier  VARCHAR(4000) NOT NULL
);
INSERT INTO audit_head (id, size, frontier) VALUES (1, 0, '');

-- Signed checkpoints (c2sp.org/tlog-checkpoint notes), with the coordinator's countersignature once it gave one.
CREATE TABLE audit_checkpoint (
    size        BIGINT PRIMARY KEY,
    note        VARCHAR(16000) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Signals held back from the parents (registered with notInformedReason): while a hold is not released, every entry
-- about the signal is appended sealed. By the signal's audit reference, not its id.
CREATE TABLE audit_hold (
    reference    VARCHAR(200) PRIMARY KEY,
    held_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    released_at  TIMESTAMP WITH TIME ZONE,
    released_by  VARCHAR(200)
);

-- Which sealed entry belongs to which hold, so that a release opens all of them.
CREATE TABLE audit_held_entry (
    idx        BIGINT PRIMARY KEY,
    reference  VARCHAR(200) NOT NULL
);
CREATE INDEX audit_held_entry_reference ON audit_held_entry (reference);
