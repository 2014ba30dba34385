-- A round is computed as a job: the host's request starts it and the page
-- follows its progress. One row per quarter, for its latest run. A job
-- left 'running' by a server that stopped is run again at the next start;
-- its suggestions are saved in one transaction at the end, so a stopped
-- job never leaves half a round.
CREATE TABLE round_jobs (
    quarter     TEXT PRIMARY KEY,
    per_post    INTEGER NOT NULL CHECK (per_post BETWEEN 1 AND 20),
    status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    error       TEXT NOT NULL DEFAULT '',
    total       INTEGER NOT NULL DEFAULT 0, -- posts to match
    started_at  TEXT NOT NULL,
    finished_at TEXT
);

-- Only one round is computed at a time: it takes every core.
CREATE UNIQUE INDEX round_jobs_one_running ON round_jobs (status) WHERE status = 'running';
