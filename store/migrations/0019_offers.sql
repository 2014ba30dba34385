-- Partnerships the host offers two members: one starts only when both
-- accept (partnership_id then names it). Rows are never deleted: they are
-- the record of what was offered and how each side answered.
CREATE TABLE partnership_offers (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    introduction_id INTEGER REFERENCES introductions (id) ON DELETE SET NULL,
    lane            TEXT NOT NULL CHECK (lane IN ('strategic', 'referral')),
    started_on      TEXT, -- the day it is to start, when the host set one
    note            TEXT NOT NULL DEFAULT '',
    post_a          INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    post_b          INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    email_a         TEXT NOT NULL,
    email_b         TEXT NOT NULL,
    business_a      TEXT NOT NULL,
    business_b      TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'withdrawn', 'lapsed')),
    accepted_a      INTEGER NOT NULL DEFAULT 0 CHECK (accepted_a IN (0, 1)),
    accepted_b      INTEGER NOT NULL DEFAULT 0 CHECK (accepted_b IN (0, 1)),
    decided_by      TEXT CHECK (decided_by IN ('a', 'b', 'host')),
    answer          TEXT NOT NULL DEFAULT '',
    partnership_id  INTEGER REFERENCES partnerships (id),
    created_at      TEXT NOT NULL,
    decided_at      TEXT,
    CHECK (email_a <> email_b)
);

-- One open offer per pair of businesses, whichever way round.
CREATE UNIQUE INDEX partnership_offers_open_pair ON partnership_offers (min(email_a, email_b), max(email_a, email_b)) WHERE status = 'open';
CREATE INDEX partnership_offers_email_a ON partnership_offers (email_a);
CREATE INDEX partnership_offers_email_b ON partnership_offers (email_b);
