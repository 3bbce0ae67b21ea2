-- The organisations of the region's convenant, kept by the gemeente (organisation/): the sector of the Besluit
-- verwijsindex risicojongeren each belongs to, and whether it takes part (ACTIVE), is suspended (SUSPENDED: its
-- accounts cannot sign in) or removed (REMOVED: its signals handed over or ended, its accounts deactivated).
-- Written in SQL that both PostgreSQL and H2 (MODE=PostgreSQL) accept.

-- NULL for organisations made before this version (the dev profile's demo organisations).
ALTER TABLE organisation ADD COLUMN sector VARCHAR(40);
ALTER TABLE organisation ADD COLUMN status VARCHAR(12) NOT NULL DEFAULT 'ACTIVE';
-- When the gemeente admitted it (NULL before this version) and when its status last changed.
ALTER TABLE organisation ADD COLUMN admitted_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE organisation ADD COLUMN status_changed_at TIMESTAMP WITH TIME ZONE;

-- The werkplek's removal being prepared (views werkplek/organisatie-verwijderen and -controleren): the decision per
-- signal a gemeente account chose, kept between the form and its check page (post, then 303); deleted when the
-- organisation is removed. The JSON of organisation/Removal: signal ids, usernames, reasons for ending.
CREATE TABLE organisation_removal_draft (
    organisation_id  VARCHAR(64)  NOT NULL REFERENCES organisation (id),
    prepared_by      VARCHAR(100) NOT NULL,
    decisions        VARCHAR(1000000) NOT NULL,
    prepared_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (organisation_id, prepared_by)
);
