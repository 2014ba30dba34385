-- An introduction is the host putting two members in touch: double opt-in.
-- Contact details are shared only once both sides accepted.
CREATE TABLE introductions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    suggestion_id INTEGER NOT NULL UNIQUE REFERENCES suggestions (id) ON DELETE CASCADE,
    post_a        INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    post_b        INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    answer_a      TEXT CHECK (answer_a IN ('accepted', 'declined')), -- NULL until answered
    answer_b      TEXT CHECK (answer_b IN ('accepted', 'declined')),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'expired')),
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    reminded_at   TEXT, -- the one reminder before expiry went out
    followed_up_at TEXT -- the "did you meet?" follow-up went out
);

CREATE INDEX introductions_post_a ON introductions (post_a);
CREATE INDEX introductions_post_b ON introductions (post_b);

-- Each side's links: to answer the introduction, or to say afterwards
-- whether they met. Only the hash of a token is kept; a link works once.
CREATE TABLE introduction_links (
    token_hash      TEXT PRIMARY KEY,
    introduction_id INTEGER NOT NULL REFERENCES introductions (id) ON DELETE CASCADE,
    side            TEXT NOT NULL CHECK (side IN ('a', 'b')),
    purpose         TEXT NOT NULL DEFAULT 'answer' CHECK (purpose IN ('answer', 'feedback')),
    expires_at      TEXT, -- feedback links; answer links end with their introduction
    used_at         TEXT
);

-- After an accepted introduction: did they meet, and how useful was it.
CREATE TABLE introduction_feedback (
    introduction_id INTEGER NOT NULL REFERENCES introductions (id) ON DELETE CASCADE,
    side            TEXT NOT NULL CHECK (side IN ('a', 'b')),
    met             INTEGER NOT NULL CHECK (met IN (0, 1)),
    rating          INTEGER CHECK (rating BETWEEN 1 AND 5), -- NULL when they did not meet
    created_at      TEXT NOT NULL,
    PRIMARY KEY (introduction_id, side)
);
