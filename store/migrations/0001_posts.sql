-- Posts: one business's collaboration request. SQLite is the source of
-- truth; the search index is derived from this table.
CREATE TABLE posts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    business    TEXT NOT NULL,
    email       TEXT NOT NULL,
    website     TEXT NOT NULL DEFAULT '',
    offer       TEXT NOT NULL,
    seek        TEXT NOT NULL,
    customers   TEXT NOT NULL DEFAULT '',
    industry    TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    -- Case-folded copies for exact filters: SQLite's NOCASE folds only
    -- ASCII, and "Île-de-France" must find "île-de-france".
    industry_key TEXT NOT NULL DEFAULT '',
    region_key   TEXT NOT NULL DEFAULT '',
    tags        TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    lane        TEXT NOT NULL CHECK (lane IN ('strategic', 'referral', 'either')),
    quarter     TEXT NOT NULL CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
    external_id TEXT UNIQUE, -- NULL when the post has none
    status      TEXT NOT NULL CHECK (status IN ('pending', 'active', 'paused', 'hidden')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE INDEX posts_status_id ON posts (status, id);
CREATE INDEX posts_quarter_id ON posts (quarter, id);
CREATE INDEX posts_email ON posts (email);

-- Every write to posts is logged here in commit order, by triggers so that
-- no code path can forget it. The search index records the last seq it
-- applied and replays the rest, which keeps it in line after a crash
-- between the database commit and the index write.
CREATE TABLE post_changes (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id INTEGER NOT NULL
);

CREATE TRIGGER posts_changed_insert AFTER INSERT ON posts
BEGIN
    INSERT INTO post_changes (post_id) VALUES (NEW.id);
END;

CREATE TRIGGER posts_changed_update AFTER UPDATE ON posts
BEGIN
    INSERT INTO post_changes (post_id) VALUES (NEW.id);
END;

CREATE TRIGGER posts_changed_delete AFTER DELETE ON posts
BEGIN
    INSERT INTO post_changes (post_id) VALUES (OLD.id);
END;

-- Small key/value settings: the host token's hash, the database identity.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
