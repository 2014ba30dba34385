// Package store keeps Matchmaker's data in SQLite, the source of truth.
//
// One public method is one transaction. Writes go through a single writer
// connection (SQLite allows one writer at a time; queueing in Go is kinder
// than busy-waiting in SQLite); reads use a separate pool that sees the last
// committed state thanks to WAL.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is the SQLite database.
type DB struct {
	write *sql.DB
	read  *reader
	path  string

	// clock returns the current time; tests replace it (SetClock) to move
	// time, while the app's sender and other goroutines read it.
	clock atomic.Pointer[func() time.Time]
}

// Now returns the current time by the store's clock: every timestamp the
// store writes, and every "today" the app works out, reads it.
func (db *DB) Now() time.Time { return (*db.clock.Load())() }

// Clock returns the store's clock.
func (db *DB) Clock() func() time.Time { return *db.clock.Load() }

// SetClock replaces the store's clock: tests move time with it.
func (db *DB) SetClock(now func() time.Time) { db.clock.Store(&now) }

// Open opens (creating if needed) the database file at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	// Pragmas live in the DSN so that every pooled connection gets them.
	// synchronous=NORMAL in WAL mode survives a killed process; only a power
	// loss can lose the last transactions.
	base := "file:" + (&url.URL{Path: abs}).EscapedPath() +
		"?_busy_timeout=10000&_foreign_keys=on&_synchronous=NORMAL"
	// The writer gets a 64 MiB page cache (SQLite's default is 2 MiB): an
	// import of a million posts inserts into four indexes of posts, whose
	// pages would otherwise be read back from the file again and again.
	//
	// Deleted and overwritten content is zeroed (secure_delete), so that
	// what a member erased, or edited away, is not left in the file's free
	// space.
	write, err := sql.Open("sqlite3", base+"&_journal_mode=WAL&_txlock=immediate&_cache_size=-65536&_secure_delete=on")
	if err != nil {
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	// Timestamps are stored to the microsecond; handing out the same
	// precision keeps a returned post equal to the stored one.
	db := &DB{write: write, path: abs}
	db.SetClock(func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) })
	if err := db.migrate(ctx); err != nil {
		write.Close()
		return nil, err
	}
	read, err := sql.Open("sqlite3", base+"&_query_only=true")
	if err != nil {
		write.Close()
		return nil, err
	}
	read.SetMaxOpenConns(max(4, 2*runtime.GOMAXPROCS(0)))
	read.SetMaxIdleConns(max(4, 2*runtime.GOMAXPROCS(0)))
	db.read = newReader(read)
	if err := db.ensureDatabaseID(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes both connection pools.
func (db *DB) Close() error {
	var errs []error
	if db.read != nil {
		errs = append(errs, db.read.Close())
	}
	errs = append(errs, db.write.Close())
	return errors.Join(errs...)
}

// Path returns the absolute path of the database file.
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// migrate runs the embedded migrations not yet recorded, each in its own
// transaction, in file name order.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	versions, err := migrationVersions()
	if err != nil {
		return err
	}
	for _, version := range versions {
		if err := db.migrateOne(ctx, version, "migrations/"+version+".sql"); err != nil {
			return fmt.Errorf("migration %s: %w", version, err)
		}
	}
	return nil
}

func (db *DB) migrateOne(ctx context.Context, version, name string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", version).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
			version, formatTime(db.Now())); err != nil {
			return err
		}
		return nil
	})
}

// DatabaseID returns the random identity this database was given when it
// was created. The search index records it, so an index built from another
// database (say, before a restore) is recognised and rebuilt.
func (db *DB) DatabaseID(ctx context.Context) (string, error) {
	return db.Setting(ctx, "database_id")
}

func (db *DB) ensureDatabaseID(ctx context.Context) error {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	_, err := db.exec(ctx,
		"INSERT OR IGNORE INTO settings (key, value) VALUES ('database_id', ?)", hex.EncodeToString(b))
	return err
}

// SigningKey returns the random key this database signs with (CSRF
// tokens, links), creating it on first use.
func (db *DB) SigningKey(ctx context.Context) ([]byte, error) {
	b := make([]byte, 32)
	rand.Read(b)
	if _, err := db.exec(ctx,
		"INSERT OR IGNORE INTO settings (key, value) VALUES ('signing_key', ?)", hex.EncodeToString(b)); err != nil {
		return nil, err
	}
	v, err := db.Setting(ctx, "signing_key")
	if err != nil {
		return nil, err
	}
	return hex.DecodeString(v)
}

// Setting returns the value stored under key, or an ENOTFOUND error.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.read.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", match.Errorf(match.ENOTFOUND, "setting %q not found", key)
	}
	return v, err
}

// SetSetting stores value under key, replacing any earlier value.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	_, err := db.exec(ctx,
		"INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		key, value)
	return err
}

// queryAll runs a query and scans every row with scan. It returns an empty,
// non-nil slice when there are no rows, so lists show as [] in JSON.
func queryAll[T any](ctx context.Context, q querier, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// timeLayout is fixed width so that stored timestamps sort as text.
const timeLayout = "2006-01-02T15:04:05.000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) { return time.Parse(timeLayout, s) }

// translate turns driver errors into domain errors by their codes.
func translate(err error, what string) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique {
		return match.Errorf(match.ECONFLICT, "%s", what)
	}
	return err
}

// isForeignKey reports whether err is a broken foreign key: a row that
// names one that does not exist.
func isForeignKey(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey
}

// inTx runs fn in one write transaction, committed when fn returns nil and
// rolled back otherwise: the one way the store writes more than one
// statement. inWrite is inTx for a function with a result.
func (db *DB) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	// The mail this change owes (domain.OweMail) is stored with it.
	owed := domain.OwedMailOf(ctx)
	if len(owed) > 0 {
		if _, err := db.queueMail(ctx, tx, owed); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if len(owed) > 0 {
		domain.MarkOwedMailQueued(ctx)
	}
	return nil
}

// exec runs one write statement. Made with a context that carries owed
// mail (domain.OweMail), it runs in a transaction with the mail (inTx), so
// that every write, however small, stores the mail it owes with it.
func (db *DB) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if len(domain.OwedMailOf(ctx)) == 0 {
		return db.write.ExecContext(ctx, query, args...)
	}
	var res sql.Result
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = tx.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// inWrite runs fn in one write transaction (see inTx) and returns its
// result once committed.
func inWrite[T any](ctx context.Context, db *DB, fn func(*sql.Tx) (T, error)) (T, error) {
	var out T
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	if err != nil {
		var zero T
		return zero, err
	}
	return out, nil
}

// inSnapshot runs fn in one read-only transaction: every query it makes
// reads the same state of the database, whatever is written meanwhile.
func (db *DB) inSnapshot(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// inSnapshot runs fn in one read-only transaction (see DB.inSnapshot) and
// returns its result.
func inSnapshot[T any](ctx context.Context, db *DB, fn func(*sql.Tx) (T, error)) (T, error) {
	var out T
	err := db.inSnapshot(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = fn(tx)
		return err
	})
	return out, err
}

// DB is the app's store on SQLite.
var _ domain.Store = (*DB)(nil)
