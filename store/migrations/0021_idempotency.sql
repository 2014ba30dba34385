-- Answers to writes sent with an Idempotency-Key header, kept for a day so
-- that the same write sent again (a double click, a retry after a lost
-- answer) gets the first answer instead of acting twice. status is 0 while
-- the first request runs. scope is the caller ("host", "member:<email>"): one
-- caller's keys never meet another's.
CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL, -- method, path and a hash of the body
    status       INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT '',
    body         BLOB,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (scope, key)
) WITHOUT ROWID;

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
