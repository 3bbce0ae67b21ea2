-- The werkplek's staff sessions (docs/werkplek.md, account/WerkplekSessions). The cookie holds a random session id;
-- the row holds only a keyed hash of it (HMAC under a key derived from the node's own ring), so a copy of this table
-- signs nobody in. Role and organisation are not kept: the account is read again on every request. Rows are deleted
-- at sign-out, once timed out, and when the account is no longer active. SQL that PostgreSQL and H2 both accept.
CREATE TABLE werkplek_session (
    id_hash        VARCHAR(64)  PRIMARY KEY,
    username       VARCHAR(100) NOT NULL REFERENCES account (username) ON DELETE CASCADE,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    ends_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX werkplek_session_ends ON werkplek_session (ends_at);
CREATE INDEX werkplek_session_username ON werkplek_session (username);
