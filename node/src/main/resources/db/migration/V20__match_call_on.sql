-- The matchcoördinator's calls on both sides of an overdue match (followup/CallOns). Written in SQL that both
-- PostgreSQL and H2 (MODE=PostgreSQL) accept.
--
-- One row per call at this node. A call made here: origin_node is this node, called_by the matchcoördinator's
-- username, note their own remark (kept here only: it is in no e-mail and not sent to the other node), signal_id
-- this node's side whose reference the call to the counterpart's node carries. send_state says how the call reached
-- the counterpart's node (followup/CallOnSender): PENDING (not yet accepted: tried again at next_attempt_at), SENT,
-- DONE (refused for good, last_error says why), LOCAL (the other side's signal is at this node too: nothing to send).
-- A call received from the counterpart's node: origin_node is that node, call_id its id (so a call tried again is
-- stored, e-mailed and logged once), signal_id this node's side it is about, send_state RECEIVED.
CREATE TABLE match_call_on (
    row_id          UUID         PRIMARY KEY,
    call_id         UUID         NOT NULL,
    origin_node     VARCHAR(64)  NOT NULL,
    match_id        UUID         NOT NULL,
    signal_id       UUID         NOT NULL,
    called_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    called_by       VARCHAR(100),
    note            VARCHAR(500),
    send_state      VARCHAR(12)  NOT NULL,
    send_attempts   INT          DEFAULT 0 NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE,
    last_error      VARCHAR(200),
    UNIQUE (call_id, origin_node),
    FOREIGN KEY (match_id, signal_id) REFERENCES node_match (match_id, signal_id) ON DELETE CASCADE
);
CREATE INDEX match_call_on_match ON match_call_on (match_id);
CREATE INDEX match_call_on_due ON match_call_on (send_state, next_attempt_at);
