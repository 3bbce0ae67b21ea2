-- The parents' portal sessions (docs/portal.md, account/PortalSessions). The cookie holds a random session id; the row
-- holds only a keyed hash of it (HMAC under a key derived from the node's own ring), so a copy of this table signs
-- nobody in. The person's BSN and the objection being written are encrypted with the node's Aead, bound to the row.
-- Rows are deleted at sign-out and once timed out. Written in SQL that both PostgreSQL and H2 (MODE=PostgreSQL) accept.
CREATE TABLE portal_session (
    id_hash        VARCHAR(64)  PRIMARY KEY,
    person_sealed  BYTEA        NOT NULL,
    draft_sealed   BYTEA,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    ends_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX portal_session_ends ON portal_session (ends_at);
