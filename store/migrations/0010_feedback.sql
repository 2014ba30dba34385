-- What the owner of a post (or the host for them) said of a match: a good
-- fit, or not a fit and why. One answer a pair and side, the latest kept.
-- The matcher reads them all (match.Learn): a competitor or people who
-- know each other already never come back for either side; the other
-- reasons take the pair out for the one who said it ("not now" only for
-- the quarter it was said in); and what the answers have in common
-- teaches it which words answer which, and which name rivals.
CREATE TABLE match_feedback (
    id         INTEGER PRIMARY KEY,
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    other_id   INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    verdict    TEXT NOT NULL CHECK (verdict IN ('good_fit', 'not_a_fit')),
    reason     TEXT NOT NULL DEFAULT '' CHECK (
        (verdict = 'good_fit' AND reason IN ('', 'met_useful')) OR
        (verdict = 'not_a_fit' AND reason IN ('competitor', 'not_relevant', 'too_far', 'already_know', 'not_now', 'met_not_useful'))),
    source     TEXT NOT NULL CHECK (source IN ('matches', 'round', 'digest', 'follow_up')),
    by_host    INTEGER NOT NULL DEFAULT 0 CHECK (by_host IN (0, 1)),
    quarter    TEXT NOT NULL CHECK (quarter GLOB '[0-9][0-9][0-9][0-9]-Q[1-4]'),
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (post_id, other_id),
    CHECK (post_id <> other_id)
);

CREATE INDEX match_feedback_other ON match_feedback (other_id);

-- Relations the matcher learned that the host told it to forget.
CREATE TABLE learned_forgotten (
    kind       TEXT NOT NULL CHECK (kind IN ('answers', 'rivals')),
    a          TEXT NOT NULL,
    b          TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (kind, a, b)
);
