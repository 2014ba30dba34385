-- Drafts are posts read from a pasted comment thread or a spreadsheet,
-- waiting for the host to review, correct and publish them.
CREATE TABLE drafts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    status     TEXT NOT NULL CHECK (status IN ('draft', 'published', 'discarded')),
    name       TEXT NOT NULL DEFAULT '',
    business   TEXT NOT NULL DEFAULT '',
    email      TEXT NOT NULL DEFAULT '',
    website    TEXT NOT NULL DEFAULT '',
    offer      TEXT NOT NULL DEFAULT '',
    seek       TEXT NOT NULL DEFAULT '',
    customers  TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL DEFAULT '',
    problems   TEXT NOT NULL DEFAULT '[]', -- JSON list of what needs a look
    post_id    INTEGER REFERENCES posts (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE INDEX drafts_status ON drafts (status, id);
