-- An intake is one paste the host read into drafts: what it was read as
-- and the text itself, kept so that a spreadsheet can be read again with
-- the host's own column mapping.
CREATE TABLE intakes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    format     TEXT NOT NULL,
    notice     TEXT NOT NULL DEFAULT '',
    host       TEXT NOT NULL DEFAULT '',   -- the host's name as the paste showed it
    columns    TEXT NOT NULL DEFAULT '[]', -- JSON: how each spreadsheet column was read
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- What a draft asks for and where each of its fields came from.
ALTER TABLE drafts ADD COLUMN intake_id INTEGER REFERENCES intakes (id) ON DELETE SET NULL;
ALTER TABLE drafts ADD COLUMN lane TEXT NOT NULL DEFAULT 'either' CHECK (lane IN ('strategic', 'referral', 'either'));
ALTER TABLE drafts ADD COLUMN area TEXT NOT NULL DEFAULT '';
ALTER TABLE drafts ADD COLUMN origins TEXT NOT NULL DEFAULT '{}'; -- JSON: field -> {from, guess}
ALTER TABLE drafts ADD COLUMN uncertainty INTEGER NOT NULL DEFAULT 0; -- higher: the host should look first

CREATE INDEX drafts_intake ON drafts (intake_id);
CREATE INDEX drafts_uncertain ON drafts (status, uncertainty DESC, id);

-- The items of a paste that are not drafts of their own, with why; the
-- host may turn any of them into a draft (draft_id then names it).
CREATE TABLE skipped (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    intake_id  INTEGER NOT NULL REFERENCES intakes (id) ON DELETE CASCADE,
    name       TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL,
    text       TEXT NOT NULL DEFAULT '',
    into_id    INTEGER REFERENCES drafts (id) ON DELETE SET NULL, -- the draft a follow-up or duplicate went into
    draft_id   INTEGER REFERENCES drafts (id) ON DELETE SET NULL, -- the draft the host made of it
    created_at TEXT NOT NULL
);

CREATE INDEX skipped_intake ON skipped (intake_id, id);
