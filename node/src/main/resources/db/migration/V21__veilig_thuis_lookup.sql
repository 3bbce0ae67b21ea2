-- Veilig Thuis look-ups (veiligthuis/). One row at the asking node per look-up (ASKED), and one row at each holding
-- node per signal it served (SERVED). The reason is sealed with the node's Aead, bound to the row; it is sent only
-- node to node, never to the coordinator, and never written into the audit log (whose entries hold its SHA-256 and
-- the look-up's reference). A SERVED row is erased with its signal (ON DELETE CASCADE). Written in SQL that both
-- PostgreSQL and H2 (MODE=PostgreSQL) accept.
CREATE TABLE veilig_thuis_lookup (
    row_id          UUID         PRIMARY KEY,
    -- The look-up's id, the same at the asking node and every holding node (made by the asking node).
    lookup_id       UUID         NOT NULL,
    -- ASKED (at the asking node) or SERVED (at a holding node).
    kind            VARCHAR(8)   NOT NULL,
    -- The asking node (for ASKED: this node).
    asker_node      VARCHAR(100) NOT NULL,
    -- The Veilig Thuis worker's username at the asking node.
    worker          VARCHAR(200) NOT NULL,
    -- SERVED: this node's signal that was served; ASKED: null.
    signal_id       UUID         REFERENCES signal (id) ON DELETE CASCADE,
    -- ASKED: how many signals were found, and how many regions did not answer; SERVED: null.
    found           INT,
    unavailable     INT,
    at              TIMESTAMP WITH TIME ZONE NOT NULL,
    reason_sealed   BYTEA        NOT NULL
);
CREATE INDEX veilig_thuis_lookup_id ON veilig_thuis_lookup (lookup_id);
