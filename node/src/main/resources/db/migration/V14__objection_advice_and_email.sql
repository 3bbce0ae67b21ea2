-- Bezwaar, continued (docs/node.md, "Bezwaar"): the gemeente asks the professional who holds the signal for advice,
-- and the person may leave an e-mail address to be told that a decision was taken. The advice and the address are
-- personal data, stored only encrypted with the node's Aead, bound to the objection's id and column; the address is
-- cleared from the objection when the decision's e-mail is queued, and from the notification once it is delivered or
-- has failed for good. Written in SQL that both PostgreSQL and H2 (MODE=PostgreSQL) accept.
ALTER TABLE objection ADD COLUMN advice_asked_at TIMESTAMP WITH TIME ZONE;
-- The professional asked (the signal's professional when asked) and their organisation: a colleague of that
-- organisation may answer when the professional has left.
ALTER TABLE objection ADD COLUMN advice_asked_of VARCHAR(100);
ALTER TABLE objection ADD COLUMN advice_organisation VARCHAR(100);
ALTER TABLE objection ADD COLUMN advice_asked_by VARCHAR(100);
ALTER TABLE objection ADD COLUMN advice_sealed BYTEA;
ALTER TABLE objection ADD COLUMN advised_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE objection ADD COLUMN advised_by VARCHAR(100);
ALTER TABLE objection ADD COLUMN email_sealed BYTEA;

-- Notifications about an objection: to the professional asked for advice (recipient: their username), and to the
-- person who objected (recipient 'citizen:objector', the address sealed here, never in email_address).
ALTER TABLE notification ADD COLUMN objection_id UUID;
ALTER TABLE notification ADD COLUMN address_sealed BYTEA;
