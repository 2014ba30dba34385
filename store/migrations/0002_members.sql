-- Members are people who proved they own an email address, by a link sent
-- to it. A member owns the posts that carry their address.
CREATE TABLE members (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    email      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- One-time links sent by email. Only the SHA-256 of each token is kept; a
-- link works once (used_at) and until expires_at.
CREATE TABLE email_links (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('confirm_post', 'sign_in')),
    email      TEXT NOT NULL,
    post_id    INTEGER REFERENCES posts (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

CREATE INDEX email_links_expires ON email_links (expires_at);

-- Browser sessions, by the hash of the cookie's token.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE INDEX sessions_member ON sessions (member_id);

-- Personal API tokens a member creates for scripts; shown once, kept hashed.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
);
