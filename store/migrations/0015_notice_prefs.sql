-- What notices a member wants, kind by kind. No row: at once (the
-- default); 'weekly': in one summary a week; 'off': none of that kind.
-- Security mail (sign-in links, confirmations) has no kind here: it
-- cannot be turned off.
CREATE TABLE notice_prefs (
    email      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    mode       TEXT NOT NULL CHECK (mode IN ('now', 'weekly', 'off')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (email, kind)
);

-- Notices kept for an address's weekly summary, until it is sent (the
-- summary's email is queued in the transaction that marks them).
CREATE TABLE weekly_notices (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    line       TEXT NOT NULL, -- what happened, as the summary says it
    link       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    summed_at  TEXT
);
CREATE INDEX weekly_notices_waiting ON weekly_notices (email, created_at) WHERE summed_at IS NULL;
