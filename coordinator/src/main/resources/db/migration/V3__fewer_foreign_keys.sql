-- The foreign keys that point at signal go: each row of signal_person, signal_match and match_queue is written by
-- the coordinator inside the transaction that writes or holds its signal, and erase and retention delete these rows
-- explicitly before the signal. Their checks were a third of the database time of a national year
-- (docs/performance.md). The key from signal_person to person stays: a person row is written in a transaction of its
-- own, and the key's check is what stops retention from deleting a person that an intake is about to link.
-- Neither database can drop a constraint whose name it generated under the same name in both, so each table is
-- built anew and its rows copied.

CREATE TABLE signal_person_new (
    signal_id  BIGINT  NOT NULL,
    person_id  BIGINT  NOT NULL REFERENCES person (id),
    role       CHAR(1) NOT NULL,
    epoch      INT     NOT NULL
);
INSERT INTO signal_person_new (signal_id, person_id, role, epoch) SELECT signal_id, person_id, role, epoch FROM signal_person;
DROP TABLE signal_person;
ALTER TABLE signal_person_new RENAME TO signal_person;
ALTER TABLE signal_person ADD CONSTRAINT signal_person_pkey PRIMARY KEY (signal_id, person_id, role);
CREATE INDEX signal_person_person ON signal_person (person_id, role);

CREATE TABLE signal_match_new (
    id            UUID NOT NULL,
    signal_low    BIGINT NOT NULL,
    signal_high   BIGINT NOT NULL,
    match_type    VARCHAR(8) NOT NULL,
    cross_region  BOOLEAN NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO signal_match_new (id, signal_low, signal_high, match_type, cross_region, created_at)
    SELECT id, signal_low, signal_high, match_type, cross_region, created_at FROM signal_match;
DROP TABLE signal_match;
ALTER TABLE signal_match_new RENAME TO signal_match;
ALTER TABLE signal_match ADD CONSTRAINT signal_match_pkey PRIMARY KEY (id);
ALTER TABLE signal_match ADD CONSTRAINT signal_match_pair UNIQUE (signal_low, signal_high);
CREATE INDEX signal_match_high ON signal_match (signal_high);

CREATE TABLE match_queue_new (
    signal_id  BIGINT NOT NULL
);
INSERT INTO match_queue_new (signal_id) SELECT signal_id FROM match_queue;
DROP TABLE match_queue;
ALTER TABLE match_queue_new RENAME TO match_queue;
ALTER TABLE match_queue ADD CONSTRAINT match_queue_pkey PRIMARY KEY (signal_id);
