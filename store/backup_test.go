package store_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

// TestBackupWhileWriting backs up a database that another connection keeps
// writing to, as the backup command does while the server serves: the copy
// is sound, holds every post acknowledged before the backup began, and is
// one snapshot (every post with its change-log entry, no gaps).
func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	for i := range 500 {
		if _, err := db.CreatePost(ctx, samplePost(i)); err != nil {
			t.Fatal(err)
		}
	}
	var (
		mu    sync.Mutex
		acked []int64
		stop  = make(chan struct{})
		done  = make(chan error)
	)
	go func() {
		for i := 500; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			p, err := db.CreatePost(ctx, samplePost(i))
			if err != nil {
				done <- err
				return
			}
			mu.Lock()
			acked = append(acked, p.ID)
			mu.Unlock()
		}
	}()
	for range 3 { // backups while writes go on
		mu.Lock()
		before := slices.Clone(acked)
		mu.Unlock()
		dest := filepath.Join(t.TempDir(), "backup.db")
		info, err := store.Backup(ctx, db.Path(), dest, false)
		if err != nil {
			t.Fatal(err)
		}
		r, err := store.CheckFile(ctx, dest, -1)
		if err != nil || !r.Sound() {
			t.Fatalf("backup check: %+v, %v", r, err)
		}
		if n := len(r.PostIDs); n < 500+len(before) || r.PostIDs[0] != 1 || r.PostIDs[n-1] != int64(n) {
			t.Fatalf("backup holds posts %d..%d (%d), want 1..n with n >= %d (every acknowledged post)",
				r.PostIDs[0], r.PostIDs[n-1], n, 500+len(before))
		}
		if r.LastChangeSeq != int64(len(r.PostIDs)) || info.PostCount() != len(r.PostIDs) || info.Posts[match.StatusActive] != len(r.PostIDs) {
			t.Fatalf("backup: %d posts, %d changes logged, info %+v: want one change per post and counts that agree",
				len(r.PostIDs), r.LastChangeSeq, info)
		}
		if info.Schema == "" || info.Bytes <= 0 || info.Path != dest {
			t.Errorf("backup info %+v lacks its schema, size or path", info)
		}
		// One self-contained file: no journal or WAL beside it.
		if entries, _ := os.ReadDir(filepath.Dir(dest)); len(entries) != 1 {
			t.Errorf("backup folder holds %v, want only the backup", entries)
		}
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatalf("writer: %v", err)
	}
	t.Logf("%d posts written while the backups ran", len(acked))
}

func TestBackupRefusesToReplaceAFile(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	if _, err := db.CreatePost(ctx, samplePost(1)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dest := filepath.Join(dir, "backup.db")
	if err := os.WriteFile(dest, []byte("precious"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Backup(ctx, dest, false); !errors.Is(err, match.ErrConflict) {
		t.Fatalf("backup over an existing file: got %v, want a conflict", err)
	}
	if b, _ := os.ReadFile(dest); string(b) != "precious" {
		t.Errorf("the existing file was changed to %q", b)
	}
	info, err := db.Backup(ctx, dest, true)
	if err != nil {
		t.Fatalf("backup --force: %v", err)
	}
	if info.PostCount() != 1 {
		t.Errorf("forced backup holds %d posts, want 1", info.PostCount())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("folder holds %v, want only the backup (no temporary files)", entries)
	}
	if _, err := store.Backup(ctx, filepath.Join(dir, "none.db"), filepath.Join(dir, "x.db"), false); err == nil {
		t.Error("backup of a missing database succeeded")
	}
}

func TestReplaceKeepsTheOldDatabase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "matchmaker.db")
	db, err := store.Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := db.CreatePost(ctx, samplePost(1))
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := db.Backup(ctx, backup, false); err != nil {
		t.Fatal(err)
	}
	newer, _ := db.CreatePost(ctx, samplePost(2))
	db.Close()

	now := time.Date(2026, 8, 1, 12, 30, 0, 0, time.UTC)
	kept, info, err := store.Replace(ctx, live, backup, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := live + ".before-restore-20260801T123000Z"; kept != want || info.PostCount() != 1 {
		t.Fatalf("Replace = %q, %+v; want kept as %s and 1 post restored", kept, info, want)
	}
	for path, want := range map[string][]int64{live: {old.ID}, kept: {old.ID, newer.ID}} {
		r, err := store.CheckFile(ctx, path, -1)
		if err != nil || !r.Sound() || !slices.Equal(r.PostIDs, want) {
			t.Errorf("%s: posts %v (%+v, %v), want %v", filepath.Base(path), r.PostIDs, r, err, want)
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "restoring") || strings.HasSuffix(e.Name(), "-wal") || strings.HasSuffix(e.Name(), "-shm") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestCheckFile(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	for i := range 300 {
		db.CreatePost(ctx, samplePost(i))
	}
	db.DeletePost(ctx, 7)
	r, err := store.CheckFile(ctx, db.Path(), 290)
	if err != nil || !r.Sound() || r.DatabaseID == "" || len(r.Pending) > 0 || r.Schema == "" {
		t.Fatalf("healthy database: %+v, %v", r, err)
	}
	if len(r.PostIDs) != 299 || r.Posts[match.StatusActive] != 299 || r.LastChangeSeq != 301 {
		t.Errorf("healthy database: %d posts %v, last change %d; want 299 and 301", len(r.PostIDs), r.Posts, r.LastChangeSeq)
	}
	if want := []int64{291, 292, 293, 294, 295, 296, 297, 298, 299, 300, 7}; !slices.Equal(r.Changed, want) {
		t.Errorf("posts changed after 290: %v, want %v", r.Changed, want)
	}

	// Garbage over every page but the first (the schema).
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if _, err := db.Backup(ctx, copyPath, false); err != nil {
		t.Fatal(err)
	}
	damage(t, copyPath)
	if r, err := store.CheckFile(ctx, copyPath, -1); err != nil || len(r.Damaged) == 0 || r.Sound() {
		t.Errorf("damaged database: %+v, %v; want what the integrity check reports", r, err)
	}

	notDB := filepath.Join(t.TempDir(), "posts.jsonl")
	os.WriteFile(notDB, []byte(strings.Repeat(`{"business":"x"}`+"\n", 500)), 0o600)
	if r, err := store.CheckFile(ctx, notDB, -1); err != nil || len(r.Damaged) == 0 {
		t.Errorf("a file that is no database: %+v, %v; want it reported as damaged", r, err)
	}

	other := filepath.Join(t.TempDir(), "other.db")
	sqlExec(t, other, "CREATE TABLE notes (body TEXT)")
	if r, err := store.CheckFile(ctx, other, -1); err != nil || r.Matchmaker || r.Sound() {
		t.Errorf("another program's database: %+v, %v; want it not taken for Matchmaker's", r, err)
	}

	future := filepath.Join(t.TempDir(), "future.db")
	if _, err := db.Backup(ctx, future, false); err != nil {
		t.Fatal(err)
	}
	sqlExec(t, future, "INSERT INTO schema_migrations (version, applied_at) VALUES ('9999_from_the_future', 'x')")
	if r, err := store.CheckFile(ctx, future, -1); err != nil || !slices.Equal(r.Unknown, []string{"9999_from_the_future"}) || r.Sound() {
		t.Errorf("a newer schema: %+v, %v; want the unknown migration named", r, err)
	}
}

// damage writes garbage over every page of a database file but the first.
func damage(tb testing.TB, path string) {
	tb.Helper()
	st, err := os.Stat(path)
	if err != nil || st.Size() < 8192 {
		tb.Fatalf("damage %s: %v (size %d)", path, err, st.Size())
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	garbage := []byte(strings.Repeat("\xde\xad\xbe\xef", int(st.Size()-4096)/4))
	if _, err := f.WriteAt(garbage, 4096); err != nil {
		tb.Fatal(err)
	}
}

func sqlExec(tb testing.TB, path, stmt string) {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(stmt); err != nil {
		tb.Fatal(err)
	}
}
