-- Inzage (docs/node.md, "Inzage"): the ids (jti) of the coordinator's inzage tickets this node has served, so that
-- each ticket is used once, also across a restart; kept until the ticket's expiry plus the allowed clock skew.
-- Written in SQL that both PostgreSQL and H2 (MODE=PostgreSQL) accept.
CREATE TABLE seen_inzage_ticket (
    jti         VARCHAR(140) PRIMARY KEY,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX seen_inzage_ticket_expires ON seen_inzage_ticket (expires_at);
