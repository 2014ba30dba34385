package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
)

// TestReaderPreparesEachQueryOnce checks the read pool's statement cache:
// many concurrent reads of one query keep one statement and all get the
// answer; once the cache is full, other queries still run, unprepared.
func TestReaderPreparesEachQueryOnce(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := db.read
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var n int
			if err := r.QueryRowContext(ctx, "SELECT 41 + 1").Scan(&n); err != nil || n != 42 {
				errs <- fmt.Errorf("got %d, %v", n, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	r.mu.RLock()
	kept := len(r.stmts)
	_, ok := r.stmts["SELECT 41 + 1"]
	r.mu.RUnlock()
	if !ok {
		t.Fatalf("the query was not kept prepared (%d kept)", kept)
	}
	for i := len(r.stmts); i < readerStatements+10; i++ {
		var n int
		if err := r.QueryRowContext(ctx, fmt.Sprintf("SELECT %d", i)).Scan(&n); err != nil || n != i {
			t.Fatalf("query %d: got %d, %v", i, n, err)
		}
	}
	if len(r.stmts) != readerStatements {
		t.Errorf("%d statements kept, want the bound, %d", len(r.stmts), readerStatements)
	}
}
