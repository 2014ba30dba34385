-- The history of a strategic partnership's plan: who added, changed,
-- measured, finished or removed each goal and deliverable, and what each
-- change was (JSON [{"field","from","to"}]). Rows are never edited; they
-- outlive the item they tell of.
CREATE TABLE plan_edits (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    quarter        TEXT NOT NULL,
    item           TEXT NOT NULL CHECK (item IN ('goal', 'deliverable')),
    item_id        INTEGER NOT NULL,
    title          TEXT NOT NULL,
    action         TEXT NOT NULL CHECK (action IN ('added', 'changed', 'result', 'done', 'removed')),
    changes        TEXT NOT NULL DEFAULT '[]',
    actor          TEXT NOT NULL CHECK (actor IN ('a', 'b', 'host')),
    at             TEXT NOT NULL
);

CREATE INDEX plan_edits_plan ON plan_edits (partnership_id, quarter, id);

CREATE TRIGGER plan_edits_never_updated BEFORE UPDATE ON plan_edits
BEGIN
    SELECT RAISE(ABORT, 'the plan history is never edited');
END;
CREATE TRIGGER plan_edits_never_deleted BEFORE DELETE ON plan_edits
BEGIN
    SELECT RAISE(ABORT, 'the plan history is never deleted');
END;
