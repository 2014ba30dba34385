package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/synth"
)

func mustOpen(tb testing.TB, dir string) *app.App {
	tb.Helper()
	a, err := app.Open(context.Background(), app.Config{DataDir: dir, HostToken: "test-host-token"})
	if err != nil {
		tb.Fatalf("open app: %v", err)
	}
	tb.Cleanup(func() { a.Close() })
	return a
}

func TestDataFolderIsLocked(t *testing.T) {
	dir := t.TempDir()
	a := mustOpen(t, dir)
	_, err := app.Open(context.Background(), app.Config{DataDir: dir})
	if !errors.Is(err, app.ErrDataInUse) {
		t.Fatalf("second open: got %v, want ErrDataInUse", err)
	}
	if !strings.Contains(err.Error(), "in use") && !strings.Contains(err.Error(), "being used") {
		t.Errorf("message %q does not say the folder is in use", err)
	}
	a.Close()
	b := mustOpen(t, dir) // released on close
	b.Close()
}

func TestImportThenSearch(t *testing.T) {
	ctx := context.Background()
	a := mustOpen(t, t.TempDir())
	a.StartEngine()
	var buf bytes.Buffer
	if err := synth.Write(&buf, synth.Options{N: 500, Seed: 3, Quarter: "2026-Q3"}); err != nil {
		t.Fatal(err)
	}
	buf.WriteString(`{"business":"x"}` + "\n")
	var progressed int
	report, err := a.Import(ctx, &buf, intake.FormatJSONL, func(n int) { progressed = n })
	if err != nil {
		t.Fatal(err)
	}
	if report.Lines != 501 || report.Created != 500 || report.Rejected != 1 || report.Errors[0].Line != 501 {
		t.Errorf("report = %+v, want 501 lines, 500 created, line 501 rejected", report)
	}
	if progressed != 501 {
		t.Errorf("last progress call said %d lines, want 501", progressed)
	}
	// Searchable as soon as the import returned.
	page, err := a.SearchPosts(ctx, app.Who{}, app.SearchParams{Text: "bookkeeping", Statuses: []match.Status{match.StatusActive}, Limit: 5})
	if err != nil || len(page.Posts) == 0 {
		t.Errorf("search after import: %d posts, err %v", len(page.Posts), err)
	}
	if n, _ := a.Index.DocCount(); n != 500 {
		t.Errorf("index holds %d posts, want 500", n)
	}
	// The engine (loading since the app opened, as serve has it) caught
	// up with the import, and matches right away.
	engine, err := a.Matcher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := engine.Len(); n != 500 {
		t.Errorf("engine holds %d posts, want 500", n)
	}
	ms, err := a.Matches(ctx, page.Posts[0].ID, match.MatchOptions{Limit: 5})
	if err != nil || len(ms) == 0 {
		t.Errorf("matches after import: %d, err %v", len(ms), err)
	}
}

func TestEngineReloadsOnOpen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := mustOpen(t, dir)
	p, err := a.CreatePost(ctx, match.PostInput{Business: "Ledger Lane", Email: "hi@ledger.example",
		Offer: "Bookkeeping for ecommerce brands", Seek: "Shopify developers"})
	if err != nil {
		t.Fatal(err)
	}
	a.Close()
	a = mustOpen(t, dir)
	engine, err := a.Matcher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := engine.Matches(p.ID, match.MatchOptions{}); err != nil {
		t.Errorf("after reopening, the engine does not know post %d: %v", p.ID, err)
	}
}

// BenchmarkImport measures importing a synthetic community into a fresh
// data folder: parsing, validation, one SQLite transaction and the Bleve
// catch-up. Run with -benchtime 3x; each iteration imports 10,000 posts.
func BenchmarkImport(b *testing.B) {
	const n = 10_000
	var file bytes.Buffer
	if err := synth.Write(&file, synth.Options{N: n, Seed: 1, Quarter: "2026-Q3"}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		a := mustOpen(b, filepath.Join(b.TempDir(), fmt.Sprint(i)))
		b.StartTimer()
		report, err := a.Import(context.Background(), bytes.NewReader(file.Bytes()), intake.FormatJSONL, nil)
		if err != nil || report.Created != n {
			b.Fatalf("import: %+v %v", report, err)
		}
		b.StopTimer()
		a.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "posts/s")
}

func TestIntroductionLifetimeIsConfigurable(t *testing.T) {
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DataDir: t.TempDir(), HostToken: "t", IntroductionTTL: 48 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	for _, in := range []match.PostInput{
		{Business: "Ledger Lane", Email: "hi@ledger.example", Offer: "Bookkeeping for Shopify stores", Seek: "Shopify developers whose clients need an accountant", Quarter: "2026-Q3"},
		{Business: "Storefront Forge", Email: "hi@forge.example", Offer: "We build Shopify stores for brands", Seek: "An accountant who understands Shopify payouts", Quarter: "2026-Q3"},
	} {
		if _, err := a.CreatePost(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.RunRound(ctx, "2026-Q3", 3); err != nil {
		t.Fatal(err)
	}
	list, err := a.Store.Suggestions(ctx, "2026-Q3", "")
	if err != nil || len(list) != 1 {
		t.Fatalf("suggestions: %v %v", list, err)
	}
	approved := "approved"
	if _, err := a.Store.UpdateSuggestion(ctx, "2026-Q3", list[0].ID, &approved, nil); err != nil {
		t.Fatal(err)
	}
	in, err := a.Introduce(ctx, "2026-Q3", list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := in.ExpiresAt.Sub(in.CreatedAt); got != 48*time.Hour {
		t.Errorf("introduction lasts %v, want the configured 48h", got)
	}
}

// BenchmarkRunRound measures a host's quarterly round on a synthetic
// community of 10,000 posts: candidates from the engine, the fair
// assignment, both sides' reasons and one transaction storing them.
func BenchmarkRunRound(b *testing.B) {
	const n = 10_000
	ctx := context.Background()
	a := mustOpen(b, b.TempDir())
	var file bytes.Buffer
	if err := synth.Write(&file, synth.Options{N: n, Seed: 1, Quarter: "2026-Q3"}); err != nil {
		b.Fatal(err)
	}
	if _, err := a.Import(ctx, &file, intake.FormatJSONL, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := a.Matcher(ctx); err != nil { // loaded before the clock starts
		b.Fatal(err)
	}
	b.ResetTimer()
	var r domain.Round
	for range b.N {
		var err error
		if r, err = a.RunRound(ctx, "2026-Q3", 3); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "posts/s")
	b.ReportMetric(float64(r.Counts[domain.SuggestionProposed]), "suggestions")
}
