package index_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/index"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

var quiet = slog.New(slog.DiscardHandler)

type fixture struct {
	db   *store.DB
	dir  string
	path string
}

func newFixture(tb testing.TB) fixture {
	tb.Helper()
	dir := tb.TempDir()
	db, err := store.Open(context.Background(), filepath.Join(dir, "test.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return fixture{db: db, dir: dir, path: filepath.Join(dir, "index.bleve")}
}

func (f fixture) open(tb testing.TB) *index.Index {
	tb.Helper()
	ix, err := index.Open(context.Background(), f.path, f.db, quiet)
	if err != nil {
		tb.Fatalf("open index: %v", err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

func (f fixture) add(tb testing.TB, business, offer, seek string, mods ...func(*match.Post)) match.Post {
	tb.Helper()
	in := match.PostInput{Business: business, Email: "x@example.com", Offer: offer, Seek: seek}
	p := in.Post(time.Now())
	for _, m := range mods {
		m(&p)
	}
	p, err := f.db.CreatePost(context.Background(), p)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

func ids(hits []index.Hit) []int64 {
	out := make([]int64, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out
}

func search(tb testing.TB, ix *index.Index, q index.Query) []int64 {
	tb.Helper()
	if q.Limit == 0 {
		q.Limit = 50
	}
	hits, err := ix.Search(context.Background(), q)
	if err != nil {
		tb.Fatalf("search %q: %v", q.Text, err)
	}
	return ids(hits)
}

func TestSearchAnalysisBoostsAndFilters(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ix := f.open(t)
	books := f.add(t, "Ledger Lane", "Bookkeeping for ecommerce brands", "Shopify developers with clients")
	seeker := f.add(t, "Pixel Shop", "Shopify store builds", "A bookkeeper for our clients", func(p *match.Post) { p.Lane = match.LaneReferral })
	f.add(t, "Bloom Florals", "Wedding flowers and styling", "Wedding planners and venues", func(p *match.Post) {
		p.Industry, p.Region, p.Lane = "Events", "Porto", match.LaneStrategic
	})
	if err := ix.CatchUp(ctx, f.db); err != nil {
		t.Fatal(err)
	}

	// Stemming joins bookkeepers/bookkeeping/bookkeeper; the post offering it
	// ranks above the one seeking it.
	got := search(t, ix, index.Query{Text: "bookkeepers"})
	if len(got) != 2 || got[0] != books.ID || got[1] != seeker.ID {
		t.Errorf("search bookkeepers = %v, want [%d %d] (offer boosted over seek)", got, books.ID, seeker.ID)
	}
	if got := search(t, ix, index.Query{Text: "the and for with"}); len(got) != 0 {
		t.Errorf("stop words alone matched %v", got)
	}
	if got := search(t, ix, index.Query{Text: "bookkeeping", Lane: match.LaneStrategic}); len(got) != 1 || got[0] != books.ID {
		t.Errorf("lane strategic keeps either posts and drops referral ones: got %v, want [%d]", got, books.ID)
	}
	if got := search(t, ix, index.Query{Text: "wedding", Industry: "EVENTS", Region: "porto"}); len(got) != 1 {
		t.Errorf("industry/region filters ignore case: got %v", got)
	}
	if got := search(t, ix, index.Query{Text: "wedding", Region: "Lisbon"}); len(got) != 0 {
		t.Errorf("region Lisbon matched %v", got)
	}
	// Query syntax is just text: nothing here may error or change the query.
	for _, text := range []string{`+offer:wedding -bloom`, `"unclosed`, `*:*`, `offer:/.*/`, `\`, `business:Ledger^100`, "日本語の投稿"} {
		if _, err := ix.Search(ctx, index.Query{Text: text, Limit: 5}); err != nil {
			t.Errorf("search %q failed: %v", text, err)
		}
	}
	if got := search(t, ix, index.Query{Text: `*:*`}); len(got) != 0 {
		t.Errorf("'*:*' matched %d posts; it must not act as match-all", len(got))
	}
}

func TestSearchPagesWithTies(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ix := f.open(t)
	for i := range 45 {
		f.add(t, fmt.Sprintf("Studio %d", i), "Wedding photography for couples", "Florists and planners")
	}
	if err := ix.CatchUp(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	seen := map[int64]bool{}
	for from := 0; from < 100; from += 10 {
		hits, err := ix.Search(ctx, index.Query{Text: "wedding photography", From: from, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 {
			break
		}
		for _, h := range hits {
			if seen[h.ID] {
				t.Fatalf("post %d returned twice", h.ID)
			}
			seen[h.ID] = true
		}
	}
	if len(seen) != 45 {
		t.Errorf("paging returned %d posts, want 45", len(seen))
	}
}

func TestCatchUpAppliesUpdatesAndDeletes(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ix := f.open(t)
	p := f.add(t, "Ledger Lane", "Bookkeeping for ecommerce brands", "Shopify developers")
	gone := f.add(t, "Old Co", "Bookkeeping for dentists", "Dental marketing agencies")
	ix.CatchUp(ctx, f.db)
	offer := "Payroll services for restaurants"
	if _, err := f.db.UpdatePost(ctx, p.ID, match.PostPatch{Offer: &offer}); err != nil {
		t.Fatal(err)
	}
	f.db.DeletePost(ctx, gone.ID)
	if err := ix.CatchUp(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	if got := search(t, ix, index.Query{Text: "bookkeeping"}); len(got) != 0 {
		t.Errorf("after update and delete, bookkeeping still finds %v", got)
	}
	if got := search(t, ix, index.Query{Text: "payroll restaurants"}); len(got) != 1 || got[0] != p.ID {
		t.Errorf("updated offer not found: %v", got)
	}
	hidden := match.StatusHidden
	f.db.UpdatePost(ctx, p.ID, match.PostPatch{Status: &hidden})
	ix.CatchUp(ctx, f.db)
	if got := search(t, ix, index.Query{Text: "payroll", Statuses: []match.Status{match.StatusActive}}); len(got) != 0 {
		t.Errorf("hidden post found among active ones: %v", got)
	}
}

func TestReopenReplaysWhatTheIndexMissed(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ix := f.open(t)
	f.add(t, "Ledger Lane", "Bookkeeping for ecommerce brands", "Shopify developers")
	ix.CatchUp(ctx, f.db)
	ix.Close()
	// Writes committed while the index was not told: as after a crash
	// between the database commit and the index write.
	late := f.add(t, "Late Bloom", "Wedding flowers for couples", "Wedding planners")
	ix = f.open(t)
	if got := search(t, ix, index.Query{Text: "wedding flowers"}); len(got) != 1 || got[0] != late.ID {
		t.Errorf("after reopen, the missed post is not found: %v", got)
	}
	if n, _ := ix.DocCount(); n != 2 {
		t.Errorf("doc count %d, want 2", n)
	}
	// Reopening prunes the log up to what the index holds on disk, never
	// beyond: the entries left are those after the persisted point.
	changes, _ := f.db.PostChanges(ctx, 0, 10)
	if len(changes) == 0 || changes[len(changes)-1].PostID != late.ID {
		t.Errorf("change log after reopen = %+v; it must still hold the replayed change", changes)
	}
}

func TestUnusableIndexIsRebuilt(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ix := f.open(t)
	p := f.add(t, "Ledger Lane", "Bookkeeping for ecommerce brands", "Shopify developers")
	ix.CatchUp(ctx, f.db)
	ix.Close()

	// Garbage where the index should be.
	if err := os.RemoveAll(f.path); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(f.path, 0o700)
	os.WriteFile(filepath.Join(f.path, "index_meta.json"), []byte("{not json"), 0o600)
	ix = f.open(t)
	if got := search(t, ix, index.Query{Text: "bookkeeping"}); len(got) != 1 || got[0] != p.ID {
		t.Errorf("after rebuilding a corrupt index: %v, want [%d]", got, p.ID)
	}
	ix.Close()

	// An index built from another database (say, before a restore).
	other := newFixture(t)
	other.add(t, "Someone Else", "Dog grooming for busy owners", "Pet shops and vets")
	otherIx := other.open(t)
	otherIx.Close()
	os.RemoveAll(f.path)
	if err := os.Rename(other.path, f.path); err != nil {
		t.Fatal(err)
	}
	ix = f.open(t)
	if got := search(t, ix, index.Query{Text: "grooming"}); len(got) != 0 {
		t.Errorf("an index from another database was used: grooming found %v", got)
	}
	if got := search(t, ix, index.Query{Text: "bookkeeping"}); len(got) != 1 {
		t.Errorf("rebuilt index misses this database's post: %v", got)
	}
}

func TestRebuild(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ix := f.open(t)
	for i := range 25 {
		f.add(t, fmt.Sprintf("Shop %d", i), "Custom printing for cafés", "Coffee roasters")
	}
	if err := ix.Rebuild(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	if n, _ := ix.DocCount(); n != 25 {
		t.Errorf("after rebuild: %d docs, want 25", n)
	}
	seq, _ := f.db.LastChangeSeq(ctx)
	if ix.AppliedSeq() != seq {
		t.Errorf("applied seq %d after rebuild, want %d", ix.AppliedSeq(), seq)
	}
	if _, err := os.Stat(f.path + ".building"); !os.IsNotExist(err) {
		t.Errorf("the build folder was left behind: %v", err)
	}
}

func TestPrunedLogGapForcesRebuild(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ix := f.open(t)
	f.add(t, "Ledger Lane", "Bookkeeping for ecommerce brands", "Shopify developers")
	ix.Close()
	// Changes the closed index never saw, and a log pruned past them: the
	// index cannot replay its way back and must be rebuilt.
	late := f.add(t, "Late Bloom", "Wedding flowers for couples", "Wedding planners")
	last, _ := f.db.LastChangeSeq(ctx)
	if err := f.db.PruneChanges(ctx, last); err != nil {
		t.Fatal(err)
	}
	ix = f.open(t)
	if got := search(t, ix, index.Query{Text: "wedding"}); len(got) != 1 || got[0] != late.ID {
		t.Errorf("after a log gap: wedding finds %v, want [%d]", got, late.ID)
	}
	if n, _ := ix.DocCount(); n != 2 {
		t.Errorf("doc count %d, want 2", n)
	}
}

// TestIndexAheadOfDatabaseIsRebuilt: an older copy of the database put in
// place (same database, fewer changes) must not leave the index showing
// posts the database no longer has.
func TestIndexAheadOfDatabaseIsRebuilt(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ix := f.open(t)
	kept := f.add(t, "Ledger Lane", "Bookkeeping for ecommerce brands", "Shopify developers")
	older := filepath.Join(t.TempDir(), "older.db")
	if _, err := f.db.Backup(ctx, older, false); err != nil {
		t.Fatal(err)
	}
	f.add(t, "Late Bloom", "Wedding flowers for couples", "Wedding planners")
	if err := ix.CatchUp(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	f.db.Close()
	dbPath := filepath.Join(f.dir, "test.db")
	for _, p := range []string{dbPath + "-wal", dbPath + "-shm"} {
		os.Remove(p)
	}
	data, err := os.ReadFile(older)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dbPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if f.db, err = store.Open(ctx, dbPath); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.db.Close() })
	ix = f.open(t)
	if got := search(t, ix, index.Query{Text: "wedding"}); len(got) != 0 {
		t.Errorf("the index still finds %v, a post the database does not have", got)
	}
	if got := search(t, ix, index.Query{Text: "bookkeeping"}); len(got) != 1 || got[0] != kept.ID {
		t.Errorf("bookkeeping finds %v, want [%d]", got, kept.ID)
	}
}

// TestSearchStatusFilter covers both ways a status filter runs: leaving
// the other statuses out (when active is wanted) and keeping the wanted ones.
func TestSearchStatusFilter(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	ix := f.open(t)
	byStatus := map[match.Status]int64{}
	for _, s := range []match.Status{match.StatusPending, match.StatusActive, match.StatusPaused, match.StatusHidden} {
		byStatus[s] = f.add(t, "Studio "+string(s), "Wedding photography for couples", "Florists", func(p *match.Post) { p.Status = s }).ID
	}
	if err := ix.CatchUp(ctx, f.db); err != nil {
		t.Fatal(err)
	}
	for _, want := range [][]match.Status{
		nil,
		{match.StatusActive},
		{match.StatusActive, match.StatusPaused},
		{match.StatusPaused},
		{match.StatusPending, match.StatusHidden},
	} {
		got := search(t, ix, index.Query{Text: "wedding", Statuses: want})
		expect := map[int64]bool{}
		for s, id := range byStatus {
			if len(want) == 0 || slices.Contains(want, s) {
				expect[id] = true
			}
		}
		if len(got) != len(expect) {
			t.Fatalf("statuses %v: got %v, want the posts %v", want, got, expect)
		}
		for _, id := range got {
			if !expect[id] {
				t.Fatalf("statuses %v: got %v, want the posts %v", want, got, expect)
			}
		}
	}
}
