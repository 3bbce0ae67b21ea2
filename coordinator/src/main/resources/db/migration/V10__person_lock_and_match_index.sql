-- Two changes for speed (issue #16, docs/performance.md).
--
-- 1. signal_person loses its foreign key to person. The key's check locked the person row for every link written
--    (a row lock is written to the log), which made COPY signal_person the largest statement of a national year.
--    What the check stopped, retention deleting a person that an intake is about to link (the person row is written
--    in a transaction of its own), is now stopped by the person_lock row: intake and correction hold it shared and
--    find every person they link still there, retention holds it alone while it deletes persons.
-- 2. The matcher keeps the active signals of each person in memory. matcher_lock.generation counts the passes and
--    the changes of links made under the lock; match_pass says which signals each recent pass took (NULL: links
--    changed otherwise, read them all again), so that an instance whose memory is behind catches up.

CREATE TABLE signal_person_new (
    signal_id  BIGINT  NOT NULL,
    person_id  BIGINT  NOT NULL,
    role       CHAR(1) NOT NULL,
    epoch      INT     NOT NULL
);
INSERT INTO signal_person_new (signal_id, person_id, role, epoch) SELECT signal_id, person_id, role, epoch FROM signal_person;
DROP TABLE signal_person;
ALTER TABLE signal_person_new RENAME TO signal_person;
ALTER TABLE signal_person ADD CONSTRAINT signal_person_pkey PRIMARY KEY (signal_id, person_id, role);
CREATE INDEX signal_person_person ON signal_person (person_id, role);

CREATE TABLE person_lock (
    id  INT PRIMARY KEY
);
INSERT INTO person_lock (id) VALUES (1);

ALTER TABLE matcher_lock ADD COLUMN generation BIGINT DEFAULT 0 NOT NULL;

CREATE TABLE match_pass (
    generation  BIGINT PRIMARY KEY,
    signal_ids  BIGINT ARRAY
);
