-- The outbox: every email the service owes, written in the transaction of
-- the change that owes it (or right after it), and delivered by the app's
-- sender with retries. A message is sent once: its Message-ID is fixed
-- here, and it is marked sent as soon as the SMTP server accepts it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,          -- the email's template: sign_in, confirm_post, introduce, …
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    message         TEXT NOT NULL,          -- the whole message as JSON (mail.Message)
    message_id      TEXT NOT NULL UNIQUE,   -- the Message-ID's left part
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'cancelled')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    sent_at         TEXT
);

-- The sender's question: what is due now.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbox_status ON outbox (status, id);
