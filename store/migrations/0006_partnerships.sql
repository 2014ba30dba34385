-- A partnership is two businesses working together in one lane. The sides
-- keep the address and name they had when it began: a post may be edited
-- or deleted later, the partnership and its ledger stay.
CREATE TABLE partnerships (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    lane            TEXT NOT NULL CHECK (lane IN ('strategic', 'referral')),
    status          TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended')),
    started_on      TEXT NOT NULL, -- YYYY-MM-DD
    ended_on        TEXT,
    introduction_id INTEGER UNIQUE REFERENCES introductions (id) ON DELETE SET NULL,
    post_a          INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    post_b          INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    email_a         TEXT NOT NULL,
    email_b         TEXT NOT NULL,
    business_a      TEXT NOT NULL,
    business_b      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (email_a <> email_b)
);

-- Two businesses hold at most one partnership that has not ended.
CREATE UNIQUE INDEX partnerships_open_pair ON partnerships (min(email_a, email_b), max(email_a, email_b)) WHERE status <> 'ended';
CREATE INDEX partnerships_email_a ON partnerships (email_a);
CREATE INDEX partnerships_email_b ON partnerships (email_b);

-- The history: creation, status and lane changes, new terms. Never edited.
CREATE TABLE partnership_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL CHECK (actor IN ('a', 'b', 'host')),
    kind           TEXT NOT NULL CHECK (kind IN ('created', 'status', 'lane', 'terms')),
    from_value     TEXT NOT NULL DEFAULT '',
    to_value       TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT ''
);

CREATE INDEX partnership_events_partnership ON partnership_events (partnership_id, id);

-- Strategic lane: a plan per quarter (goals, deliverables, expectations)
-- and each side's review of it.
CREATE TABLE goals (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    quarter        TEXT NOT NULL,
    title          TEXT NOT NULL,
    metric         TEXT NOT NULL,
    target         REAL NOT NULL,
    unit           TEXT NOT NULL DEFAULT '',
    direction      TEXT NOT NULL CHECK (direction IN ('at_least', 'at_most')),
    owner          TEXT NOT NULL CHECK (owner IN ('a', 'b', 'both')),
    actual         REAL, -- NULL until reviewed
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE INDEX goals_plan ON goals (partnership_id, quarter);

CREATE TABLE deliverables (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    quarter        TEXT NOT NULL,
    what           TEXT NOT NULL,
    owner          TEXT NOT NULL CHECK (owner IN ('a', 'b', 'both')),
    due_on         TEXT NOT NULL, -- YYYY-MM-DD
    done_on        TEXT,          -- NULL while not done
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE INDEX deliverables_plan ON deliverables (partnership_id, quarter);

-- What a side signs up to for the quarter; signed_at once it did.
CREATE TABLE expectations (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    quarter        TEXT NOT NULL,
    side           TEXT NOT NULL CHECK (side IN ('a', 'b')),
    text           TEXT NOT NULL,
    signed_at      TEXT,
    created_at     TEXT NOT NULL
);

CREATE INDEX expectations_plan ON expectations (partnership_id, quarter);

CREATE TABLE reviews (
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    quarter        TEXT NOT NULL,
    side           TEXT NOT NULL CHECK (side IN ('a', 'b')),
    rating         INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    delivered      TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    submitted_at   TEXT NOT NULL,
    PRIMARY KEY (partnership_id, quarter, side)
);

-- Referral lane: terms (a new version for every change), referrals, and
-- the ledger of commissions and payouts.
CREATE TABLE referral_terms (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id   INTEGER NOT NULL REFERENCES partnerships (id),
    kind             TEXT NOT NULL CHECK (kind IN ('percent', 'flat')),
    basis_points     INTEGER CHECK (basis_points BETWEEN 1 AND 10000),
    flat_amount      INTEGER CHECK (flat_amount > 0),
    currency         TEXT NOT NULL,
    payer            TEXT NOT NULL CHECK (payer IN ('a', 'b', 'both')),
    recurring_months INTEGER NOT NULL DEFAULT 0 CHECK (recurring_months BETWEEN 0 AND 60),
    effective_at     TEXT NOT NULL,
    set_by           TEXT NOT NULL CHECK (set_by IN ('a', 'b', 'host')),
    CHECK ((kind = 'percent' AND basis_points IS NOT NULL AND flat_amount IS NULL)
        OR (kind = 'flat' AND flat_amount IS NOT NULL AND basis_points IS NULL))
);

CREATE INDEX referral_terms_partnership ON referral_terms (partnership_id, id);

CREATE TABLE referrals (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    from_side      TEXT NOT NULL CHECK (from_side IN ('a', 'b')),
    lead_name      TEXT NOT NULL,
    company        TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('submitted', 'qualified', 'won', 'lost')),
    sale_amount    INTEGER CHECK (sale_amount > 0),
    sale_currency  TEXT,
    terms_id       INTEGER REFERENCES referral_terms (id), -- the terms in force when won
    decided_at     TEXT, -- won or lost
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE INDEX referrals_partnership ON referrals (partnership_id, id);

CREATE TABLE payouts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    payer          TEXT NOT NULL CHECK (payer IN ('a', 'b')),
    amount         INTEGER NOT NULL,
    currency       TEXT NOT NULL,
    paid_on        TEXT NOT NULL, -- YYYY-MM-DD
    reference      TEXT NOT NULL,
    recorded_by    TEXT NOT NULL CHECK (recorded_by IN ('a', 'b', 'host')),
    created_at     TEXT NOT NULL
);

-- The ledger: one row per commission, reversal or correction, with a
-- signed amount in minor units. Amounts are never edited: a refund or a
-- correction is a new entry. Only the settlement columns move, forward.
CREATE TABLE ledger_entries (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    referral_id    INTEGER REFERENCES referrals (id),
    terms_id       INTEGER REFERENCES referral_terms (id),
    kind           TEXT NOT NULL CHECK (kind IN ('commission', 'reversal', 'correction')),
    reverses_id    INTEGER REFERENCES ledger_entries (id),
    payer          TEXT NOT NULL CHECK (payer IN ('a', 'b')),
    amount         INTEGER NOT NULL CHECK (amount <> 0),
    currency       TEXT NOT NULL,
    accrues_on     TEXT NOT NULL, -- YYYY-MM-DD: the quarter it counts in
    reason         TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('pending', 'due', 'paid')),
    created_by     TEXT NOT NULL CHECK (created_by IN ('a', 'b', 'host')),
    created_at     TEXT NOT NULL,
    confirmed_at   TEXT,
    payout_id      INTEGER REFERENCES payouts (id),
    CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL))
);

CREATE INDEX ledger_entries_partnership ON ledger_entries (partnership_id, accrues_on);
CREATE INDEX ledger_entries_reverses ON ledger_entries (reverses_id);

CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OF partnership_id, referral_id, terms_id, kind, reverses_id, payer, amount, currency, accrues_on, reason, created_by, created_at ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are never edited; add a reversing entry');
END;

CREATE TRIGGER ledger_entries_kept BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger entries are never deleted; add a reversing entry');
END;

CREATE TRIGGER payouts_immutable BEFORE UPDATE ON payouts
BEGIN
    SELECT RAISE(ABORT, 'payouts are never edited');
END;

CREATE TRIGGER payouts_kept BEFORE DELETE ON payouts
BEGIN
    SELECT RAISE(ABORT, 'payouts are never deleted');
END;
