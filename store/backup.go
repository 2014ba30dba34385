package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/matchmaker/matchmaker/match"
)

// BackupInfo describes a copy of the database.
type BackupInfo struct {
	Path   string
	Bytes  int64
	Posts  map[match.Status]int // posts in the copy, by status
	Schema string               // the newest migration the copy has
}

// PostCount returns the number of posts in the copy.
func (b BackupInfo) PostCount() int {
	n := 0
	for _, c := range b.Posts {
		n += c
	}
	return n
}

// Backup writes a consistent copy of the database file at dbPath to dest,
// while other processes (a running server) may be reading and writing it.
// It takes no lock of Matchmaker's own and runs no migrations; it only
// reads. It refuses to replace an existing dest unless force is set: the
// error then matches match.ErrConflict.
func Backup(ctx context.Context, dbPath, dest string, force bool) (BackupInfo, error) {
	if _, err := os.Stat(dbPath); err != nil {
		return BackupInfo{}, fmt.Errorf("no database to back up: %w", err)
	}
	src, err := openReader(dbPath)
	if err != nil {
		return BackupInfo{}, err
	}
	defer src.Close()
	return backupFrom(ctx, src, dest, force)
}

// Backup writes a consistent copy of the open database to dest while it
// keeps serving; see the package function Backup.
func (db *DB) Backup(ctx context.Context, dest string, force bool) (BackupInfo, error) {
	return backupFrom(ctx, db.read.DB, dest, force)
}

// openReader opens a database file for reading only, without migrating it.
// The connection is read-write at the file level (so that SQLite can recover
// a WAL left by a killed process) but refuses every write statement.
func openReader(path string) (*sql.DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: abs}).EscapedPath()+"?_busy_timeout=10000&_query_only=true")
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// backupFrom copies src with SQLite's online backup API rather than VACUUM
// INTO: both read one snapshot in a single read transaction, which in WAL
// mode never blocks the server's writer, but the backup API copies pages
// as they are, where VACUUM INTO rebuilds every table and index, costing
// the serving machine far more CPU for a copy that is no more consistent.
// One step over all pages keeps the snapshot whole (a stepwise backup would
// restart whenever another connection writes).
//
// The copy is written to a temporary file beside dest, checked, synced to
// disk and only then moved into place, so dest is never half written.
func backupFrom(ctx context.Context, src *sql.DB, dest string, force bool) (info BackupInfo, err error) {
	dest, err = filepath.Abs(dest)
	if err != nil {
		return info, err
	}
	if !force {
		if _, err := os.Lstat(dest); err == nil {
			return info, match.Errorf(match.ECONFLICT, "%s exists already: choose another name, or replace it with --force", dest)
		}
	}
	tmpFile, err := os.CreateTemp(filepath.Dir(dest), "."+filepath.Base(dest)+".tmp-*")
	if err != nil {
		return info, err
	}
	tmp := tmpFile.Name()
	tmpFile.Close()
	defer func() {
		if err != nil {
			os.Remove(tmp)
			os.Remove(tmp + "-journal")
		}
	}()

	dst, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: tmp}).EscapedPath()+"?_busy_timeout=10000")
	if err != nil {
		return info, err
	}
	defer dst.Close()
	dst.SetMaxOpenConns(1)
	if err := copyDatabase(ctx, src, dst); err != nil {
		return info, fmt.Errorf("backup: %w", err)
	}
	// The copy carries the source's WAL flag; a backup is better as one
	// self-contained file.
	if _, err := dst.ExecContext(ctx, "PRAGMA journal_mode=DELETE"); err != nil {
		return info, err
	}
	if problems, err := quickCheck(ctx, dst); err != nil || len(problems) > 0 {
		return info, fmt.Errorf("the copy fails SQLite's check (%v %v): the database itself may be damaged; run matchmaker check", problems, err)
	}
	if info.Posts, info.Schema, err = describe(ctx, dst); err != nil {
		return info, fmt.Errorf("the copy is not a Matchmaker database: %w", err)
	}
	if err := dst.Close(); err != nil {
		return info, err
	}
	if err := syncFile(tmp); err != nil {
		return info, err
	}
	if force {
		err = os.Rename(tmp, dest)
	} else if err = os.Link(tmp, dest); err == nil { // fails if dest appeared meanwhile
		os.Remove(tmp)
	} else if errors.Is(err, os.ErrExist) {
		err = match.Errorf(match.ECONFLICT, "%s exists already: choose another name, or replace it with --force", dest)
	}
	if err != nil {
		return info, err
	}
	if err := syncDir(filepath.Dir(dest)); err != nil {
		return info, err
	}
	st, err := os.Stat(dest)
	if err != nil {
		return info, err
	}
	info.Path, info.Bytes = dest, st.Size()
	return info, nil
}

// copyDatabase copies every page of src's main database into dst.
func copyDatabase(ctx context.Context, src, dst *sql.DB) error {
	sconn, err := src.Conn(ctx)
	if err != nil {
		return err
	}
	defer sconn.Close()
	dconn, err := dst.Conn(ctx)
	if err != nil {
		return err
	}
	defer dconn.Close()
	return dconn.Raw(func(d any) error {
		return sconn.Raw(func(s any) error {
			bk, err := d.(*sqlite3.SQLiteConn).Backup("main", s.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			for {
				// Busy only while another connection recovers the WAL.
				done, err := bk.Step(-1)
				if err != nil || done {
					return errors.Join(err, bk.Finish())
				}
				select {
				case <-ctx.Done():
					return errors.Join(ctx.Err(), bk.Finish())
				case <-time.After(50 * time.Millisecond):
				}
			}
		})
	})
}

// quickCheck runs SQLite's quick_check and returns what it reports (nil
// when the file is sound).
func quickCheck(ctx context.Context, db *sql.DB) ([]string, error) {
	lines, err := queryAll(ctx, db, func(r rowScanner) (string, error) {
		var s string
		return s, r.Scan(&s)
	}, "PRAGMA quick_check")
	if err != nil || len(lines) == 1 && lines[0] == "ok" {
		return nil, err
	}
	return lines, nil
}

// describe counts the posts of a Matchmaker database by status and names
// its newest migration.
func describe(ctx context.Context, db *sql.DB) (map[match.Status]int, string, error) {
	var schema sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT MAX(version) FROM schema_migrations").Scan(&schema); err != nil {
		return nil, "", err
	}
	posts, err := postsByStatus(ctx, db)
	if err != nil {
		return nil, "", err
	}
	return posts, schema.String, nil
}

// Replace makes the database at backup the database at dbPath, keeping
// the one it replaces (if any) beside it as dbPath.before-restore-<time>,
// and returns that name. The caller must have the database to itself: no
// connection may be open on dbPath.
//
// The backup is copied in through SQLite (so whatever its WAL holds comes
// along), checked and synced first; the swap is one rename. A crash at any
// point leaves either the old database in place or the new one, never none.
func Replace(ctx context.Context, dbPath, backup string, now time.Time) (kept string, info BackupInfo, err error) {
	incoming := dbPath + ".restoring"
	if info, err = Backup(ctx, backup, incoming, true); err != nil {
		return "", info, err
	}
	defer func() {
		if err != nil {
			os.Remove(incoming)
		}
	}()
	if _, err := os.Stat(dbPath); err == nil {
		kept = dbPath + ".before-restore-" + now.UTC().Format("20060102T150405Z")
		for i := 2; exists(kept); i++ { // restored twice within a second
			kept = fmt.Sprintf("%s.before-restore-%s-%d", dbPath, now.UTC().Format("20060102T150405Z"), i)
		}
		if err := keep(ctx, dbPath, kept); err != nil {
			return "", info, fmt.Errorf("keep the current database as %s: %w", kept, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", info, err
	}
	// A stale shared-memory index must not be read with the new file.
	if err := os.Remove(dbPath + "-shm"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return kept, info, err
	}
	if err := os.Rename(incoming, dbPath); err != nil {
		return kept, info, err
	}
	if err := syncDir(filepath.Dir(dbPath)); err != nil {
		return kept, info, err
	}
	info.Path = dbPath
	return kept, info, nil
}

// keep puts the database at path, with what its WAL holds, under the name
// kept while leaving it in place. It first folds the WAL into the file (a
// write-ahead log left beside the new database would be applied to it), and
// if that fails, as it may for a damaged file, moves the WAL along.
func keep(ctx context.Context, path, kept string) error {
	if db, err := sql.Open("sqlite3", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_busy_timeout=10000"); err == nil {
		db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
		db.Close() // the last connection to close removes the WAL
	}
	if err := os.Link(path, kept); err != nil {
		if err := copyFile(path, kept); err != nil {
			return err
		}
	}
	if err := os.Rename(path+"-wal", kept+"-wal"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return syncDir(filepath.Dir(path))
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a rename or a new name in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// copyFile copies the file at src to dest (created, not replaced) and
// syncs it, where a hard link is not possible.
func copyFile(src, dest string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dest)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
