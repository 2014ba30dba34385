package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/matchmaker/matchmaker/match"
)

// FileReport is what CheckFile found in a database file.
type FileReport struct {
	// Damaged lists what SQLite's integrity check reports (or why the file
	// could not be read as a database at all); empty when the file is sound.
	Damaged []string
	// Orphans lists rows that refer to a row that does not exist.
	Orphans []string
	// Matchmaker is false for a SQLite database that is not Matchmaker's;
	// the fields below are then empty.
	Matchmaker bool
	// Unknown lists applied migrations this build does not have (the file
	// comes from a newer Matchmaker); Pending the ones it has not applied
	// yet (opening it applies them).
	Unknown, Pending []string
	Schema           string // the newest migration applied
	DatabaseID       string
	Posts            map[match.Status]int
	PostIDs          []int64 // every post, ascending
	// The change log: its oldest entry still kept (0 when empty) and the
	// newest ever written; Changed lists the posts of the changes after the
	// seq given to CheckFile, in log order.
	FirstChangeSeq, LastChangeSeq int64
	Changed                       []int64
}

// Sound reports whether the file is an undamaged Matchmaker database this
// build can open.
func (r FileReport) Sound() bool {
	return len(r.Damaged) == 0 && len(r.Orphans) == 0 && r.Matchmaker && len(r.Unknown) == 0
}

// CheckFile checks the database file at path without changing what it
// holds (other processes may use it meanwhile): SQLite's integrity and
// foreign key checks, the schema, and what the search index needs to be
// compared with. A damaged file is a report, not an error; the error is for
// a file that cannot be read at all. changesAfter < 0 skips the change list.
func CheckFile(ctx context.Context, path string, changesAfter int64) (FileReport, error) {
	var r FileReport
	if _, err := os.Stat(path); err != nil {
		return r, err
	}
	db, err := openReader(path)
	if err != nil {
		return r, err
	}
	defer db.Close()
	// One read transaction: every figure comes from one snapshot.
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err == nil {
		defer tx.Rollback()
		err = r.check(ctx, tx, changesAfter)
	}
	if damaged(err) {
		r.Damaged = append(r.Damaged, err.Error())
		return r, nil
	}
	return r, err
}

func (r *FileReport) check(ctx context.Context, tx *sql.Tx, changesAfter int64) error {
	text := func(rs rowScanner) (string, error) {
		var s string
		return s, rs.Scan(&s)
	}
	lines, err := queryAll(ctx, tx, text, "PRAGMA integrity_check")
	if err != nil {
		return err
	}
	if len(lines) != 1 || lines[0] != "ok" {
		r.Damaged = lines
		return nil // what the rest would read cannot be trusted
	}
	orphans, err := queryAll(ctx, tx, func(rs rowScanner) (string, error) {
		var table, parent string
		var rowid sql.NullInt64
		err := rs.Scan(&table, &rowid, &parent, new(int))
		return fmt.Sprintf("%s row %d refers to a missing %s row", table, rowid.Int64, parent), err
	}, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	r.Orphans = orphans

	tables, err := queryAll(ctx, tx, text, "SELECT name FROM sqlite_master WHERE type = 'table'")
	if err != nil {
		return err
	}
	for _, need := range []string{"schema_migrations", "settings", "posts", "post_changes"} {
		if !slices.Contains(tables, need) {
			return nil
		}
	}
	r.Matchmaker = true
	applied, err := queryAll(ctx, tx, text, "SELECT version FROM schema_migrations ORDER BY version")
	if err != nil {
		return err
	}
	known, err := migrationVersions()
	if err != nil {
		return err
	}
	for _, v := range applied {
		if !slices.Contains(known, v) {
			r.Unknown = append(r.Unknown, v)
		}
	}
	for _, v := range known {
		if !slices.Contains(applied, v) {
			r.Pending = append(r.Pending, v)
		}
	}
	if n := len(applied); n > 0 {
		r.Schema = applied[n-1]
	}
	if err := tx.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = 'database_id'").Scan(&r.DatabaseID); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if r.Posts, err = postsByStatus(ctx, tx); err != nil {
		return err
	}
	id := func(rs rowScanner) (int64, error) {
		var v int64
		return v, rs.Scan(&v)
	}
	if r.PostIDs, err = queryAll(ctx, tx, id, "SELECT id FROM posts ORDER BY id"); err != nil {
		return err
	}
	if r.LastChangeSeq, err = lastChangeSeq(ctx, tx); err != nil {
		return err
	}
	var first sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT MIN(seq) FROM post_changes").Scan(&first); err != nil {
		return err
	}
	r.FirstChangeSeq = first.Int64
	if changesAfter >= 0 {
		r.Changed, err = queryAll(ctx, tx, id, "SELECT post_id FROM post_changes WHERE seq > ? ORDER BY seq", changesAfter)
	}
	return err
}

// postsByStatus counts the posts of each status.
func postsByStatus(ctx context.Context, q querier) (map[match.Status]int, error) {
	type count struct {
		status match.Status
		n      int
	}
	counts, err := queryAll(ctx, q, func(rs rowScanner) (count, error) {
		var c count
		return c, rs.Scan(&c.status, &c.n)
	}, "SELECT status, COUNT(*) FROM posts GROUP BY status")
	if err != nil {
		return nil, err
	}
	out := make(map[match.Status]int, len(counts))
	for _, c := range counts {
		out[c.status] = c.n
	}
	return out, nil
}

// damaged reports whether err says the file is not a (sound) database.
func damaged(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB)
}

// migrationVersions returns the versions of the embedded migrations, in
// the order they run.
func migrationVersions() ([]string, error) {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	for i, name := range names {
		names[i] = strings.TrimSuffix(filepath.Base(name), ".sql")
	}
	return names, nil
}
