-- A quarter's digest: the host's note, and when the last run started and
-- ended (finished_at is NULL while a run is going, or after a crash).
CREATE TABLE digests (
    quarter     TEXT PRIMARY KEY CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    started_at  TEXT,
    finished_at TEXT
);

-- Where each member's (each address's) digest for a quarter stands. A
-- recipient moves pending -> sending -> sent or failed, each step committed
-- on its own, the SMTP call between sending and its outcome. A row left in
-- sending was being sent when the process died: the next run marks it
-- unknown and does not send it again unless the host asks.
CREATE TABLE digest_recipients (
    quarter    TEXT NOT NULL REFERENCES digests (quarter) ON DELETE CASCADE,
    email      TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown', 'skipped')),
    reason     TEXT NOT NULL DEFAULT '', -- why skipped; the last error when failed
    matches    TEXT NOT NULL DEFAULT '[]', -- JSON [{"post":…,"partner":…}], as claimed for sending
    attempts   INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    sent_at    TEXT,
    PRIMARY KEY (quarter, email)
);

CREATE INDEX digest_recipients_status ON digest_recipients (quarter, status);
CREATE INDEX digest_recipients_email ON digest_recipients (email);

-- Addresses that asked for no more digests (by the signed link, or the
-- one-click List-Unsubscribe POST of RFC 8058).
CREATE TABLE digest_unsubscribes (
    email      TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

-- A member's answer about a partner post: yes (please introduce us, which
-- goes to the host's round) or no (not interested: the pair is never
-- suggested again).
CREATE TABLE post_interests (
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    partner_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    interest   TEXT NOT NULL CHECK (interest IN ('yes', 'no')),
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (post_id, partner_id),
    CHECK (post_id <> partner_id)
);

CREATE INDEX post_interests_partner ON post_interests (partner_id);

-- Digest links are signed, not stored; those that work once are recorded
-- here, by a hash of what they say, when they are spent.
CREATE TABLE digest_spent_links (
    link_hash TEXT PRIMARY KEY,
    used_at   TEXT NOT NULL
);
