package app_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

func searchIDs(tb testing.TB, a *app.App, text string) []int64 {
	tb.Helper()
	page, err := a.SearchPosts(context.Background(), app.Who{Host: true}, app.SearchParams{Text: text, Limit: 100})
	if err != nil {
		tb.Fatalf("search %q: %v", text, err)
	}
	var ids []int64
	for _, p := range page.Posts {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	return ids
}

func postIDs(posts []match.Post) []int64 {
	var ids []int64
	for _, p := range posts {
		ids = append(ids, p.ID)
	}
	return ids
}

func mustBackup(tb testing.TB, dir string) string {
	tb.Helper()
	file := filepath.Join(tb.TempDir(), "backup.db")
	if _, err := app.Backup(context.Background(), dir, file, false); err != nil {
		tb.Fatalf("backup: %v", err)
	}
	return file
}

func TestRestoreIntoAFreshFolder(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	a := mustOpen(t, src)
	posts := addPosts(t, a, 12, "marquetry")
	file := mustBackup(t, src) // while the app has the folder open
	a.Close()

	fresh := filepath.Join(t.TempDir(), "data")
	rep, err := app.Restore(ctx, fresh, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.KeptAs != "" || rep.Indexed != 12 || rep.Restored.PostCount() != 12 {
		t.Errorf("restore report %+v: want 12 posts restored and indexed, nothing kept", rep)
	}
	if r := mustCheck(t, fresh); r.Problems() != 0 {
		t.Errorf("check after restore: %+v", r.Findings)
	}
	b := mustOpen(t, fresh)
	if got := searchIDs(t, b, "marquetry"); !slices.Equal(got, postIDs(posts)) {
		t.Errorf("search after restore: %v, want %v", got, postIDs(posts))
	}
}

// TestRestoreRebuildsTheIndex restores a backup of the folder's own
// database. The index was built from that very database (the same identity)
// and has seen changes made after the backup; kept, it would find posts by
// words they no longer have.
func TestRestoreRebuildsTheIndex(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := mustOpen(t, dir)
	posts := addPosts(t, a, 5, "marquetry")
	file := mustBackup(t, dir)
	offer := "Taxidermy workshops for offices"
	if _, err := a.UpdatePost(ctx, app.Who{Host: true}, posts[2], match.PostPatch{Offer: &offer}); err != nil {
		t.Fatal(err)
	}
	later := addPosts(t, a, 2, "taxidermy")
	closeSettled(t, a)

	rep, err := app.Restore(ctx, dir, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := store.CheckFile(ctx, rep.KeptAs, -1)
	if err != nil || len(kept.PostIDs) != 7 {
		t.Errorf("kept database %s: %+v, %v; want the 7 posts it had", rep.KeptAs, kept, err)
	}
	b := mustOpen(t, dir)
	if got := searchIDs(t, b, "taxidermy"); len(got) != 0 {
		t.Errorf("after restore, taxidermy finds %v: the index still holds what came after the backup", got)
	}
	if got := searchIDs(t, b, "marquetry"); !slices.Equal(got, postIDs(posts)) {
		t.Errorf("after restore, marquetry finds %v, want %v", got, postIDs(posts))
	}
	// New posts take the IDs the discarded ones had: the index must not
	// confuse them.
	again := addPosts(t, b, 1, "basketry")
	if again[0].ID != later[0].ID {
		t.Fatalf("new post got ID %d, not the discarded one's %d: the test's premise no longer holds", again[0].ID, later[0].ID)
	}
	if got := searchIDs(t, b, "basketry"); !slices.Equal(got, postIDs(again)) {
		t.Errorf("new post after restore: basketry finds %v, want %v", got, postIDs(again))
	}
	if got := searchIDs(t, b, "taxidermy"); len(got) != 0 {
		t.Errorf("new post after restore: taxidermy finds %v", got)
	}
	if ms, err := b.Matches(context.Background(), posts[0].ID, match.MatchOptions{}); err != nil || slices.ContainsFunc(ms, func(m app.MatchView) bool {
		return strings.Contains(m.Post.Offer, "Taxidermy")
	}) {
		t.Errorf("matches after restore: %v, %v", ms, err)
	}
}

func TestRestoreRefusesWhileServing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := mustOpen(t, dir)
	posts := addPosts(t, a, 3, "marquetry")
	file := mustBackup(t, dir)
	addPosts(t, a, 1, "taxidermy")
	_, err := app.Restore(ctx, dir, file, nil)
	if !errors.Is(err, app.ErrDataInUse) || !strings.Contains(err.Error(), "stop it") {
		t.Fatalf("restore while serving: got %v, want ErrDataInUse saying to stop the server", err)
	}
	if got := searchIDs(t, a, "marquetry"); !slices.Equal(got, postIDs(posts)) {
		t.Errorf("the running app lost posts: %v", got)
	}
	if n, _ := a.Index.DocCount(); n != 4 {
		t.Errorf("the running app's index holds %d posts, want 4", n)
	}
}

func TestRestoreRefusesBadBackups(t *testing.T) {
	ctx := context.Background()
	dir := folderWithPosts(t, 3, "marquetry")
	good := mustBackup(t, dir)

	damaged := filepath.Join(t.TempDir(), "damaged.db")
	other := filepath.Join(t.TempDir(), "other.db")
	future := filepath.Join(t.TempDir(), "future.db")
	notDB := filepath.Join(t.TempDir(), "posts.jsonl")
	for _, f := range []string{damaged, future} {
		raw, _ := os.ReadFile(good)
		os.WriteFile(f, append(raw, make([]byte, 8192)...), 0o600)
	}
	damageFile(t, damaged)
	sqlOn(t, future, "INSERT INTO schema_migrations (version, applied_at) VALUES ('9999_from_the_future', 'x')")
	sqlOn(t, other, "CREATE TABLE notes (body TEXT)")
	os.WriteFile(notDB, []byte(strings.Repeat(`{"business":"x"}`+"\n", 400)), 0o600)

	for file, want := range map[string]string{
		damaged: "damaged", notDB: "not a database", other: "not a Matchmaker database", future: "newer Matchmaker",
		filepath.Join(dir, "matchmaker.db"): "own database",
	} {
		_, err := app.Restore(ctx, dir, file, nil)
		if !errors.Is(err, match.ErrInvalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("restore %s: got %v, want an invalid error saying %q", filepath.Base(file), err, want)
		}
	}
	if _, err := app.Restore(ctx, dir, filepath.Join(dir, "missing.db"), nil); err == nil {
		t.Error("restore of a missing file succeeded")
	}
	// Nothing changed: the same database, its index still in place.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), "before-restore") || strings.Contains(e.Name(), "restoring") {
			t.Errorf("a refused restore left %s", e.Name())
		}
	}
	if r := mustCheck(t, dir); r.Problems() != 0 || r.Index == nil || len(r.Index.IDs) != 3 {
		t.Errorf("after refused restores: %+v", r)
	}
}

func TestRestoreSaysWhenTheHostTokenFileIsStale(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, err := app.Open(ctx, app.Config{DataDir: dir}) // generates a host token file
	if err != nil {
		t.Fatal(err)
	}
	file := mustBackup(t, dir)
	a.Close()
	if rep, err := app.Restore(ctx, dir, file, nil); err != nil || rep.HostTokenNote != "" {
		t.Fatalf("restore with the same host token: %+v, %v; want no note", rep, err)
	}
	a, err = app.Open(ctx, app.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.RotateHostToken(ctx); err != nil {
		t.Fatal(err)
	}
	a.Close()
	rep, err := app.Restore(ctx, dir, file, nil)
	if err != nil || !strings.Contains(rep.HostTokenNote, "rotate-host-token") {
		t.Errorf("restore after the token was rotated: %+v, %v; want a note to rotate it", rep, err)
	}
}

// A member erased after a backup was taken stays erased when the backup is
// restored: the data folder's register of erasures (hashes, never
// addresses) erases them again before the service starts.
func TestRestoreKeepsErasedMembersErased(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := mustOpen(t, dir)
	posts := addPosts(t, a, 3, "marquetry")
	file := mustBackup(t, dir)
	gone := posts[1].Email
	if _, err := a.EraseMember(ctx, app.Who{Host: true}, gone, gone); err != nil {
		t.Fatal(err)
	}
	register, err := os.ReadFile(filepath.Join(dir, "erasures"))
	if err != nil || strings.Contains(string(register), gone) || len(strings.Fields(string(register))) != 1 {
		t.Fatalf("the register: %q, %v; want one hash, no address", register, err)
	}
	closeSettled(t, a)

	rep, err := app.Restore(ctx, dir, file, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ErasedAgain != 1 {
		t.Errorf("restore erased %d members again, want 1", rep.ErasedAgain)
	}
	b := mustOpen(t, dir)
	if got := searchIDs(t, b, "marquetry"); !slices.Equal(got, []int64{posts[0].ID, posts[2].ID}) {
		t.Errorf("after restore, marquetry finds %v: want the two posts not erased", got)
	}
	ex, err := b.ExportMember(ctx, app.Who{Host: true}, gone)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Tables["posts"]) != 0 {
		t.Errorf("the restored database holds %d posts of the erased member", len(ex.Tables["posts"]))
	}
}
