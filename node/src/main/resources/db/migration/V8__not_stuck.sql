-- Nothing stuck: outbox messages kept in order per signal, match tickets renewed, requests refused for good marked
-- done. Written in SQL that both PostgreSQL and H2 (MODE=PostgreSQL) accept.

-- The signal a message is about, so that no message overtakes an older one of the same signal that the coordinator
-- refused (an end never goes before its signal's registration). Messages written before this column get it from their
-- payload, which starts with {"ref":"<ref>" (Outbox.SignalRecord, Outbox.EndRecord).
ALTER TABLE outbox ADD COLUMN signal_ref VARCHAR(100);
UPDATE outbox SET signal_ref = SUBSTRING(payload FROM 9 FOR POSITION('"' IN SUBSTRING(payload FROM 9)) - 1)
    WHERE payload LIKE '{"ref":"%';
CREATE INDEX outbox_signal ON outbox (signal_ref, id);

-- Fetching the counterpart's contact: tries so far, when to try next (back-off per match, so that matches whose
-- counterpart does not answer hold up no other), and why it stopped for good (the match withdrawn, the signal erased:
-- a definite 404 or 410 of the coordinator or the counterpart's node); a match with a reason is never asked again.
ALTER TABLE node_match ADD COLUMN contact_attempts INT DEFAULT 0 NOT NULL;
ALTER TABLE node_match ADD COLUMN contact_next_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE node_match ADD COLUMN contact_refused VARCHAR(200);
CREATE INDEX node_match_contact_due ON node_match (contact_next_at);

-- A regie message refused for good (the match withdrawn or the signal erased at the other node, or a claim the other
-- side's node did not take because it heard another first) is kept, marked done with the reason, and blocks nothing.
ALTER TABLE regie_message ADD COLUMN done_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE regie_message ADD COLUMN done_reason VARCHAR(200);
