-- What notices a member wants, kind by kind. No row: at once (the
-- default); 'off': none of that kind. Security mail (sign-in links,
-- confirmations) has no kind here: it cannot be turned off.
CREATE TABLE notice_prefs (
    email      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    mode       TEXT NOT NULL CHECK (mode IN ('now', 'off')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (email, kind)
);
