package app_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

// addPosts creates n posts whose offers carry word, and returns them.
func addPosts(tb testing.TB, a *app.App, n int, word string) []match.Post {
	tb.Helper()
	var out []match.Post
	for i := range n {
		p, err := a.CreatePost(context.Background(), match.PostInput{
			Business: fmt.Sprintf("%s Studio %d", word, i), Email: fmt.Sprintf("owner%d@%s.example", i, word),
			Offer: word + " workshops for offices", Seek: "Office managers who book team days",
		})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// folderWithPosts returns a data folder (no process using it) holding n
// posts, its index all on disk.
func folderWithPosts(tb testing.TB, n int, word string) string {
	tb.Helper()
	dir := tb.TempDir()
	a := mustOpen(tb, dir)
	addPosts(tb, a, n, word)
	closeSettled(tb, a)
	return dir
}

// closeSettled closes a after rebuilding its index, which is written to disk
// in full: Bleve may otherwise still hold the last batches in memory at
// close (the server replays them on start), and these tests want to know
// what the index on disk holds.
func closeSettled(tb testing.TB, a *app.App) {
	tb.Helper()
	if err := a.Reindex(context.Background()); err != nil {
		tb.Fatal(err)
	}
	if err := a.Close(); err != nil {
		tb.Fatal(err)
	}
}

func mustCheck(tb testing.TB, dir string) app.CheckReport {
	tb.Helper()
	r, err := app.Check(context.Background(), dir)
	if err != nil {
		tb.Fatalf("check: %v", err)
	}
	return r
}

// wantFinding fails unless r has a finding (a problem, or a note) whose
// text holds what and whose repair holds repair.
func wantFinding(tb testing.TB, r app.CheckReport, problem bool, what, repair string) {
	tb.Helper()
	for _, f := range r.Findings {
		if f.Problem == problem && strings.Contains(f.What, what) && strings.Contains(f.Repair, repair) {
			return
		}
	}
	tb.Errorf("findings %+v: want a finding (problem %v) about %q, repaired by %q", r.Findings, problem, what, repair)
}

// sqlOn runs statements on a database file behind the app's back, as a
// bug or a hand edit would.
func sqlOn(tb testing.TB, path string, stmts ...string) {
	tb.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			tb.Fatalf("%s: %v", s, err)
		}
	}
}

func TestCheckHealthyFolder(t *testing.T) {
	dir := folderWithPosts(t, 25, "pottery")
	r := mustCheck(t, dir)
	if r.Problems() != 0 || r.ServerPID != "" || r.Index == nil {
		t.Fatalf("healthy folder: %+v", r)
	}
	if len(r.Database.PostIDs) != 25 || r.Database.Posts[match.StatusActive] != 25 {
		t.Errorf("database: %d posts (%v), want 25 active", len(r.Database.PostIDs), r.Database.Posts)
	}
	if r.Index.AppliedSeq != r.Database.LastChangeSeq || len(r.Index.IDs) != 25 || r.Index.DocCount != 25 {
		t.Errorf("index: %d posts, applied change %d; want 25 and %d", len(r.Index.IDs), r.Index.AppliedSeq, r.Database.LastChangeSeq)
	}
}

func TestCheckIndexBehindButReplayable(t *testing.T) {
	dir := folderWithPosts(t, 5, "pottery")
	db, err := store.Open(context.Background(), filepath.Join(dir, "matchmaker.db"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 { // written while no index was told: logged for replay
		p := match.PostInput{Business: "Late Co", Email: fmt.Sprintf("late%d@late.example", i),
			Offer: "Weaving workshops for offices", Seek: "Office managers who book team days"}.Post(db.Now())
		if _, err := db.CreatePost(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	r := mustCheck(t, dir)
	if r.Problems() != 0 {
		t.Errorf("an index the log can bring in line: %+v, want no problems", r.Findings)
	}
	wantFinding(t, r, false, "changes behind", "replays")
}

func TestCheckIndexBehindALogThatNoLongerReaches(t *testing.T) {
	dir := folderWithPosts(t, 5, "pottery")
	db, err := store.Open(context.Background(), filepath.Join(dir, "matchmaker.db"))
	if err != nil {
		t.Fatal(err)
	}
	p := match.PostInput{Business: "Late Co", Email: "late@late.example",
		Offer: "Weaving workshops for offices", Seek: "Office managers who book team days"}.Post(db.Now())
	db.CreatePost(context.Background(), p)
	last, _ := db.LastChangeSeq(context.Background())
	if err := db.PruneChanges(context.Background(), last); err != nil {
		t.Fatal(err)
	}
	db.Close()
	r := mustCheck(t, dir)
	wantFinding(t, r, true, "no longer logs", "matchmaker reindex")
}

func TestCheckIndexDisagreesWithTheDatabase(t *testing.T) {
	dir := folderWithPosts(t, 6, "pottery")
	// Rows changed with the change log switched off: the index cannot know.
	sqlOn(t, filepath.Join(dir, "matchmaker.db"),
		"DROP TRIGGER posts_changed_delete",
		"DELETE FROM posts WHERE id IN (2, 4)",
		"DROP TRIGGER posts_changed_insert",
		`INSERT INTO posts (business, email, offer, seek, lane, quarter, status, created_at, updated_at)
		 SELECT business, 'x@x.example', offer, seek, lane, quarter, status, created_at, updated_at FROM posts WHERE id = 1`,
	)
	r := mustCheck(t, dir)
	wantFinding(t, r, true, "lacks 1 posts the database has (IDs 7)", "matchmaker reindex")
	wantFinding(t, r, true, "holds 2 posts the database does not have (IDs 2, 4)", "matchmaker reindex")
	if r.Problems() != 2 {
		t.Errorf("findings %+v: want exactly those two problems", r.Findings)
	}
}

func TestCheckIndexAheadOfTheDatabase(t *testing.T) {
	dir := t.TempDir()
	a := mustOpen(t, dir)
	addPosts(t, a, 5, "pottery")
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := app.Backup(context.Background(), a.DataDir(), backup, false); err != nil {
		t.Fatal(err)
	}
	addPosts(t, a, 5, "weaving")
	closeSettled(t, a)
	// An older copy put in place by hand, not by restore: the index, built
	// from the same database, has seen changes this copy never had.
	raw, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "matchmaker.db-wal"))
	os.Remove(filepath.Join(dir, "matchmaker.db-shm"))
	if err := os.WriteFile(filepath.Join(dir, "matchmaker.db"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	r := mustCheck(t, dir)
	wantFinding(t, r, true, "replaced behind the index's back", "matchmaker reindex")
}

func TestCheckUnreadableOrMissingIndex(t *testing.T) {
	dir := folderWithPosts(t, 5, "pottery")
	bolt := filepath.Join(dir, "index.bleve", "store", "root.bolt")
	if err := os.WriteFile(bolt, []byte(strings.Repeat("garbage ", 2000)), 0o600); err != nil {
		t.Fatal(err)
	}
	wantFinding(t, mustCheck(t, dir), true, "search index cannot be read", "matchmaker reindex")

	os.RemoveAll(filepath.Join(dir, "index.bleve"))
	wantFinding(t, mustCheck(t, dir), true, "no search index", "matchmaker reindex")
}

func TestCheckDamagedDatabase(t *testing.T) {
	dir := folderWithPosts(t, 200, "pottery")
	damageFile(t, filepath.Join(dir, "matchmaker.db"))
	r := mustCheck(t, dir)
	wantFinding(t, r, true, "database is damaged", "matchmaker restore")
	if r.Index != nil {
		t.Errorf("the index was compared with a damaged database: %+v", r.Index)
	}
}

func TestCheckWhileServing(t *testing.T) {
	dir := t.TempDir()
	a := mustOpen(t, dir)
	addPosts(t, a, 3, "pottery")
	r := mustCheck(t, dir)
	if r.ServerPID != fmt.Sprint(os.Getpid()) || r.Index != nil || r.Problems() != 0 {
		t.Fatalf("check while serving: %+v, want the server's pid, no index read, no problems", r)
	}
	if len(r.Database.PostIDs) != 3 {
		t.Errorf("database read while serving: %d posts, want 3", len(r.Database.PostIDs))
	}
	wantFinding(t, r, false, "is running", "stop the server")
	// The server goes on as before.
	addPosts(t, a, 1, "weaving")
}

// damageFile writes garbage over every page of a database file but the
// first, which holds the schema.
func damageFile(tb testing.TB, path string) {
	tb.Helper()
	st, err := os.Stat(path)
	if err != nil || st.Size() < 8192 {
		tb.Fatalf("damage %s: %v", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt([]byte(strings.Repeat("\xde\xad\xbe\xef", int(st.Size()-4096)/4)), 4096); err != nil {
		tb.Fatal(err)
	}
}
