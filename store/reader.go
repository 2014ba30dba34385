package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// reader is the pool of read-only connections. Its queries run as prepared
// statements, each query text prepared once: for the short indexed reads
// the API makes on every request, SQLite spends as long compiling a
// statement as running it.
//
// Only fixed query texts belong here. A query whose text is built per call
// (a filter's clauses, a list of IDs) runs on the pool itself, r.DB: each
// shape would otherwise be a statement kept for good, crowding out the
// hot ones.
type reader struct {
	*sql.DB

	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// readerStatements bounds the statements kept, should a built query come
// here by mistake; past it, queries simply run unprepared.
const readerStatements = 256

func newReader(db *sql.DB) *reader { return &reader{DB: db, stmts: map[string]*sql.Stmt{}} }

// stmt returns the prepared statement for query, or nil when it is not
// kept (the cache is full, or it did not prepare: running it unprepared
// then reports the error). Reads share the lock; a statement is prepared
// outside it, so compiling one holds up no other read.
func (r *reader) stmt(ctx context.Context, query string) *sql.Stmt {
	r.mu.RLock()
	s, ok := r.stmts[query]
	full := len(r.stmts) >= readerStatements
	r.mu.RUnlock()
	if ok || full {
		return s
	}
	s, err := r.DB.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if kept, ok := r.stmts[query]; ok { // prepared meanwhile by another read
		s.Close()
		return kept
	}
	r.stmts[query] = s
	return s
}

func (r *reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := r.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return r.DB.QueryContext(ctx, query, args...)
}

func (r *reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := r.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return r.DB.QueryRowContext(ctx, query, args...)
}

// Close closes the statements, then the pool.
func (r *reader) Close() error {
	r.mu.Lock()
	var errs []error
	for _, s := range r.stmts {
		errs = append(errs, s.Close())
	}
	clear(r.stmts)
	r.mu.Unlock()
	return errors.Join(append(errs, r.DB.Close())...)
}
