-- A round is one quarter's matchmaking: the suggestions the engine made
-- and the host curated.
CREATE TABLE rounds (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    quarter    TEXT NOT NULL UNIQUE CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
    per_post   INTEGER NOT NULL CHECK (per_post BETWEEN 1 AND 20),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A suggestion pairs two posts (post_a < post_b) in a round. Reasons are
-- kept for each side, as each reads them ("you look for …").
CREATE TABLE suggestions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id   INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    post_a     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    post_b     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    score      REAL NOT NULL,
    scores     TEXT NOT NULL, -- JSON: the parts of the score, seen from post_a
    reasons_a  TEXT NOT NULL, -- JSON list: why, written to post_a's owner
    reasons_b  TEXT NOT NULL, -- JSON list: why, written to post_b's owner
    status     TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'rejected', 'introduced')),
    source     TEXT NOT NULL CHECK (source IN ('engine', 'host')),
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (post_a < post_b),
    UNIQUE (round_id, post_a, post_b)
);

CREATE INDEX suggestions_round_status ON suggestions (round_id, status);
CREATE INDEX suggestions_pair ON suggestions (post_a, post_b);
