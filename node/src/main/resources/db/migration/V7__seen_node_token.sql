-- Other nodes' token ids this node has accepted, so that a replayed token is refused: each row is kept until the
-- token's expiry plus the allowed clock skew (match/SeenTokens prunes it after). Written in SQL that both
-- PostgreSQL and H2 (MODE=PostgreSQL) accept.
CREATE TABLE seen_node_token (
    jti         VARCHAR(140) PRIMARY KEY,
    node_id     VARCHAR(64)  NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX seen_node_token_expires ON seen_node_token (expires_at);
