-- Signals whose active period starts after the day they arrived (a node's clock a little ahead at midnight): the
-- matcher moves them to match_queue on their first active day, so that they are matched when that day comes.
CREATE TABLE match_later (
    signal_id    BIGINT PRIMARY KEY,
    active_from  DATE NOT NULL
);
CREATE INDEX match_later_from ON match_later (active_from);

-- Signals that arrived before their active period and so were never matched (before this table): matched now, or on
-- their first active day. Matching one again finds no pair twice (pairs already stored are skipped).
INSERT INTO match_later (signal_id, active_from)
    SELECT id, active_from FROM signal WHERE status = 'ACTIVE' AND active_from > CAST(received_at AS DATE);
