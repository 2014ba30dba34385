-- The meeting two members plan after an accepted introduction: one side
-- offers times, the other picks one, and both get the same calendar event
-- (uid). One meeting per introduction; moving it updates the event
-- (sequence), and a new plan after a cancellation starts a new event.
CREATE TABLE meetings (
    introduction_id INTEGER PRIMARY KEY REFERENCES introductions (id) ON DELETE CASCADE,
    uid             TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL CHECK (status IN ('proposed', 'scheduled', 'cancelled')),
    proposed_by     TEXT NOT NULL CHECK (proposed_by IN ('a', 'b')),
    time_zone       TEXT NOT NULL, -- the proposer's IANA zone
    -- The event as calendars hold it, since the first pick (NULL before).
    event_slot      TEXT,
    event_start     TEXT,
    event_minutes   INTEGER,
    sequence        INTEGER NOT NULL DEFAULT 0,
    revision        INTEGER NOT NULL, -- one more at every change: writes name the one they read
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- The times on offer, in the order offered; replaced by each new offer.
CREATE TABLE meeting_slots (
    introduction_id INTEGER NOT NULL REFERENCES meetings (introduction_id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    position        INTEGER NOT NULL,
    starts_at       TEXT NOT NULL,
    minutes         INTEGER NOT NULL CHECK (minutes > 0),
    PRIMARY KEY (introduction_id, id)
);

-- A member's own IANA time zone ('' until they choose one): offered times
-- are shown and emailed to them in it.
ALTER TABLE members ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
