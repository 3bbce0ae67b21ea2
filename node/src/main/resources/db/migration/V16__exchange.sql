-- Information exchanged between the professionals of a match (exchange/), under the match's consent or the Veilig
-- Thuis exception. One row per message and per signal of this node it belongs to: the sender's copy (SENT) at the
-- sending node and the receiver's (RECEIVED) at the receiving node; when both signals are at this node, both rows are
-- here. Everything said is sealed with the node's Aead, bound to the row: the text, the file, and a JSON document
-- with the sender's organisation and professional, the file's name and type, and the exception's reason. Only
-- what is needed to list and route is plain: the ids, the direction, the times, the file's size, the consent id.
-- Erased with the signal (ON DELETE CASCADE). Written in SQL that both PostgreSQL and H2 (MODE=PostgreSQL) accept.
CREATE TABLE exchange_message (
    row_id          UUID         PRIMARY KEY,
    -- The message's id, the same at both nodes (made by the sending node).
    message_id      UUID         NOT NULL,
    signal_id       UUID         NOT NULL REFERENCES signal (id) ON DELETE CASCADE,
    match_id        UUID         NOT NULL,
    -- SENT or RECEIVED, seen from this node's signal.
    direction       VARCHAR(8)   NOT NULL,
    -- The node that sent it.
    from_node       VARCHAR(100) NOT NULL,
    sent_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    stored_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    -- The consent it was exchanged under; null under the Veilig Thuis exception.
    consent_id      UUID,
    by_exception    BOOLEAN      NOT NULL,
    meta_sealed     BYTEA        NOT NULL,
    text_sealed     BYTEA        NOT NULL,
    file_size       INT,
    file_sealed     BYTEA,
    CONSTRAINT exchange_message_once UNIQUE (message_id, signal_id)
);
CREATE INDEX exchange_message_match ON exchange_message (match_id, signal_id, sent_at);
