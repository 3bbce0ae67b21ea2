-- Toestemming (docs: BRIEF "Node: consent"; consent/): a professional asks consent to share information about a youth
-- with the counterpart of a match. The coordinator's register holds the request's status (no identity, no purpose);
-- this node holds what it alone knows. The purpose text is content: stored only encrypted with the node's Aead, bound
-- to the consent and the column. Written in SQL that both PostgreSQL and H2 (MODE=PostgreSQL) accept.

-- A request this node's professional asked (the home node): one row per consent id.
CREATE TABLE consent_request (
    id               UUID         PRIMARY KEY,
    match_id         UUID         NOT NULL,
    -- this node's signal of the match (the asking professional's)
    signal_id        UUID         NOT NULL REFERENCES signal (id) ON DELETE CASCADE,
    purpose_sealed   BYTEA        NOT NULL,
    purpose_hash     VARCHAR(64)  NOT NULL,
    -- the professional on whose behalf it was asked (also when system:consent asks again)
    asked_by         VARCHAR(100) NOT NULL,
    asked_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    -- {"node:ref": ["PARENT", ...], ...}: each part's needs when asked
    part_needs       VARCHAR(1000) NOT NULL,
    -- what this node knows of its end: WITHDRAWN, EXPIRED (from the feed or its own parts), else null
    ended_reason     VARCHAR(32),
    ended_at         TIMESTAMP WITH TIME ZONE,
    -- the consent this one asks again (expired on a 12th or 16th birthday), or null
    renews           UUID
);
CREATE INDEX consent_request_match ON consent_request (match_id, asked_at);

-- A part this node holds: the consent of the parent and/or the youth of this node's signal.
CREATE TABLE consent_part (
    id                      UUID         PRIMARY KEY,
    consent_id              UUID         NOT NULL,
    match_id                UUID         NOT NULL,
    signal_id               UUID         NOT NULL REFERENCES signal (id) ON DELETE CASCADE,
    home_node               VARCHAR(64)  NOT NULL,
    match_type              VARCHAR(8)   NOT NULL,
    purpose_sealed          BYTEA        NOT NULL,
    asking_organisation     VARCHAR(200) NOT NULL,
    asking_professional     VARCHAR(200) NOT NULL,
    counterpart_organisation VARCHAR(200),
    -- the roles needed when asked, e.g. PARENT,YOUTH; the day it was asked (the needs are those of that day)
    needs                   VARCHAR(20)  NOT NULL,
    asked_at                TIMESTAMP WITH TIME ZONE NOT NULL,
    -- PENDING, GRANTED, REFUSED, WITHDRAWN, EXPIRED (this node's part)
    status                  VARCHAR(16)  NOT NULL,
    parent_answer           VARCHAR(16),
    parent_on               DATE,
    parent_form             VARCHAR(16),
    parent_by               VARCHAR(100),
    youth_answer            VARCHAR(16),
    youth_on                DATE,
    youth_form              VARCHAR(16),
    youth_by                VARCHAR(100),
    valid_until             DATE,
    ended_reason            VARCHAR(32),
    ended_at                TIMESTAMP WITH TIME ZONE,
    UNIQUE (consent_id, signal_id)
);
CREATE INDEX consent_part_signal ON consent_part (signal_id);
CREATE INDEX consent_part_match ON consent_part (match_id);
CREATE INDEX consent_part_status ON consent_part (status);

-- Consents this node learnt have ended (the feed's CONSENT_ENDED, or its own withdrawal or expiry): its exchanges stop
-- at once, whether or not it holds the request or a part.
CREATE TABLE consent_ended (
    consent_id  UUID         NOT NULL,
    -- this node's signal the end was told for (one feed entry per signal of the match)
    signal_id   UUID         NOT NULL,
    match_id    UUID         NOT NULL,
    reason      VARCHAR(32)  NOT NULL,
    ended_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (consent_id, signal_id)
);

-- Professionals are told of an ended consent (notify/Notifications, kind CONSENT_ENDED) about its match.
