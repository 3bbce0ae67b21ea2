-- Two changes for speed (issue #16, docs/performance.md).
--
-- 1. A link names its person by the re-keyed pseudonym itself, and the person table goes. Intake had to look every
--    person up, insert the missing ones in a transaction of their own and look them up again (three statements per
--    batch, waits on other batches inserting the same person), and the foreign key's check locked a person row for
--    every link written. Nothing read a person row but to reach its links. Retention no longer has persons to delete:
--    a pseudonym goes with the last link that holds it.
-- 2. The matcher keeps the active signals of each person in memory. matcher_lock.generation counts the passes and the
--    changes of links made under the lock; match_pass says which signals each recent pass took (NULL: links changed
--    otherwise, read them all again), so that an instance whose memory is behind catches up.

CREATE TABLE signal_person_new (
    signal_id  BIGINT  NOT NULL,
    pseudonym  BYTEA   NOT NULL,
    role       CHAR(1) NOT NULL,
    epoch      INT     NOT NULL
);
INSERT INTO signal_person_new (signal_id, pseudonym, role, epoch)
    SELECT sp.signal_id, p.pseudonym, sp.role, sp.epoch FROM signal_person sp JOIN person p ON p.id = sp.person_id;
DROP TABLE signal_person;
DROP TABLE person;
ALTER TABLE signal_person_new RENAME TO signal_person;
ALTER TABLE signal_person ADD CONSTRAINT signal_person_pkey PRIMARY KEY (signal_id, pseudonym, role);
CREATE INDEX signal_person_pseudonym ON signal_person (pseudonym, role);

ALTER TABLE matcher_lock ADD COLUMN generation BIGINT DEFAULT 0 NOT NULL;

CREATE TABLE match_pass (
    generation  BIGINT PRIMARY KEY,
    signal_ids  BIGINT ARRAY
);
