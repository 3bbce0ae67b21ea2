-- Matching runs apart from intake: intake stores signals and queues them; one matcher at a time (in the whole
-- federation's coordinator, across instances) takes the queue, finds the matches and writes the feeds.

-- Signals stored (or given pseudonyms under a new epoch) whose matches are still to be found.
CREATE TABLE match_queue (
    signal_id  BIGINT PRIMARY KEY REFERENCES signal (id) ON DELETE CASCADE
);

-- The one row a matcher (and an end or erase) locks, so that only one of them changes matches and feeds at a time.
CREATE TABLE matcher_lock (
    id  INT PRIMARY KEY
);
INSERT INTO matcher_lock (id) VALUES (1);
