-- Digests go through the outbox like every other email: a recipient in
-- 'sending' now has its digest queued there (outbox_id), and follows the
-- email's fate — sent, or failed after the outbox's retries (or the host
-- cancelling it). A 'sending' row without an outbox_id is from before:
-- its run was cut short mid-send, and the next run marks it unknown.
ALTER TABLE digest_recipients ADD COLUMN outbox_id INTEGER REFERENCES outbox (id);
CREATE INDEX digest_recipients_outbox ON digest_recipients (outbox_id) WHERE outbox_id IS NOT NULL;
