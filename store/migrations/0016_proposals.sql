-- Consent: changes that bind both sides of a partnership (its referral
-- terms, its lane) are proposed and take effect only once every side has
-- agreed. Rows are never deleted: they are the history of what was asked,
-- countered, declined and agreed.
CREATE TABLE proposals (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id   INTEGER NOT NULL REFERENCES partnerships (id),
    kind             TEXT NOT NULL CHECK (kind IN ('terms', 'lane')),
    proposed_by      TEXT NOT NULL CHECK (proposed_by IN ('a', 'b', 'host')),
    -- kind 'terms': the terms it would put in force, as referral_terms keeps them.
    terms_kind       TEXT CHECK (terms_kind IN ('percent', 'flat')),
    basis_points     INTEGER CHECK (basis_points BETWEEN 1 AND 10000),
    flat_amount      INTEGER CHECK (flat_amount > 0),
    currency         TEXT NOT NULL DEFAULT '',
    payer            TEXT CHECK (payer IN ('a', 'b', 'both')),
    recurring_months INTEGER NOT NULL DEFAULT 0 CHECK (recurring_months BETWEEN 0 AND 60),
    -- kind 'lane': the lane it would move to.
    lane             TEXT CHECK (lane IN ('strategic', 'referral')),
    reason           TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'declined', 'withdrawn', 'countered', 'lapsed')),
    accepted_a       INTEGER NOT NULL DEFAULT 0 CHECK (accepted_a IN (0, 1)),
    accepted_b       INTEGER NOT NULL DEFAULT 0 CHECK (accepted_b IN (0, 1)),
    answers          INTEGER REFERENCES proposals (id),
    decided_by       TEXT CHECK (decided_by IN ('a', 'b', 'host')),
    note             TEXT NOT NULL DEFAULT '',
    terms_id         INTEGER REFERENCES referral_terms (id),
    created_at       TEXT NOT NULL,
    decided_at       TEXT,
    CHECK ((kind = 'terms' AND terms_kind IS NOT NULL AND payer IS NOT NULL AND lane IS NULL)
        OR (kind = 'lane' AND lane IS NOT NULL AND terms_kind IS NULL))
);

-- At most one open proposal of each kind per partnership: a new one
-- withdraws or counters the open one in the same transaction.
CREATE UNIQUE INDEX proposals_open ON proposals (partnership_id, kind) WHERE status = 'open';
CREATE INDEX proposals_partnership ON proposals (partnership_id, id);
