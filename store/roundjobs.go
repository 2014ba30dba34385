package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

const roundJobColumns = "quarter, per_post, status, error, total, started_at, coalesce(finished_at, '')"

func scanRoundJob(row rowScanner) (domain.RoundJob, error) {
	var j domain.RoundJob
	var started, finished string
	err := row.Scan(&j.Quarter, &j.PerPost, &j.Status, &j.Error, &j.Total, &started, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return j, match.Errorf(match.ENOTFOUND, "no round job")
	}
	if err != nil {
		return j, err
	}
	j.StartedAt, _ = parseTime(started)
	if finished != "" {
		j.FinishedAt, _ = parseTime(finished)
	}
	return j, nil
}

// StartRoundJob records that a quarter's round is being computed. It
// returns ECONFLICT while another round is (only one runs at a time).
func (db *DB) StartRoundJob(ctx context.Context, quarter match.Quarter, perPost, total int) (domain.RoundJob, error) {
	var j domain.RoundJob
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		running, err := scanRoundJob(tx.QueryRowContext(ctx, "SELECT "+roundJobColumns+" FROM round_jobs WHERE status = 'running'"))
		switch {
		case err == nil:
			return match.Errorf(match.ECONFLICT, "the round for %s is being computed; wait until it is done", running.Quarter)
		case !errors.Is(err, match.ErrNotFound):
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO round_jobs (quarter, per_post, status, error, total, started_at, finished_at)
			VALUES (?, ?, 'running', '', ?, ?, NULL)
			ON CONFLICT (quarter) DO UPDATE SET per_post = excluded.per_post, status = 'running', error = '',
				total = excluded.total, started_at = excluded.started_at, finished_at = NULL`,
			quarter, perPost, total, formatTime(db.Now())); err != nil {
			return err
		}
		j, err = scanRoundJob(tx.QueryRowContext(ctx, "SELECT "+roundJobColumns+" FROM round_jobs WHERE quarter = ?", quarter))
		return err
	})
	return j, err
}

// FinishRoundJob records how a running job ended: done, or failed with
// the reason.
func (db *DB) FinishRoundJob(ctx context.Context, quarter match.Quarter, failure error) error {
	status, reason := domain.JobDone, ""
	if failure != nil {
		status, reason = domain.JobFailed, failure.Error()
	}
	_, err := db.exec(ctx, "UPDATE round_jobs SET status = ?, error = ?, finished_at = ? WHERE quarter = ? AND status = 'running'",
		status, reason, formatTime(db.Now()), quarter)
	return err
}

// RoundJob returns the latest job of a quarter's round, or ENOTFOUND.
func (db *DB) RoundJob(ctx context.Context, quarter match.Quarter) (domain.RoundJob, error) {
	j, err := scanRoundJob(db.read.QueryRowContext(ctx, "SELECT "+roundJobColumns+" FROM round_jobs WHERE quarter = ?", quarter))
	if errors.Is(err, match.ErrNotFound) {
		return j, match.Errorf(match.ENOTFOUND, "no round has been computed for %s", quarter)
	}
	return j, err
}

// RoundJobs returns the latest job of every quarter's round.
func (db *DB) RoundJobs(ctx context.Context) ([]domain.RoundJob, error) {
	return queryAll(ctx, db.read, scanRoundJob, "SELECT "+roundJobColumns+" FROM round_jobs ORDER BY quarter DESC")
}

// RunningRoundJob returns the job marked running, or ENOTFOUND: after a
// start, the one a stopped server left to be run again.
func (db *DB) RunningRoundJob(ctx context.Context) (domain.RoundJob, error) {
	return scanRoundJob(db.read.QueryRowContext(ctx, "SELECT "+roundJobColumns+" FROM round_jobs WHERE status = 'running'"))
}
