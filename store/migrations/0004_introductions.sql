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
    updated_at    TEXT NOT NULL
);

CREATE INDEX introductions_post_a ON introductions (post_a);
CREATE INDEX introductions_post_b ON introductions (post_b);

-- Each side's answer link: the hash of its token; it works once.
CREATE TABLE introduction_links (
    token_hash      TEXT PRIMARY KEY,
    introduction_id INTEGER NOT NULL REFERENCES introductions (id) ON DELETE CASCADE,
    side            TEXT NOT NULL CHECK (side IN ('a', 'b')),
    used_at         TEXT
);
