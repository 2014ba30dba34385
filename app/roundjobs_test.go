package app

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// openWithPosts opens a data folder holding n complementary posts of
// 2026-Q3 (bookkeepers and the store builders who need them).
func openWithPosts(t *testing.T, dir string, n int) *App {
	t.Helper()
	ctx := context.Background()
	a, err := Open(ctx, Config{DataDir: dir, HostToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		in := match.PostInput{Business: fmt.Sprintf("Ledger %d", i), Email: fmt.Sprintf("hi@ledger%d.example", i),
			Offer: "Bookkeeping for Shopify stores", Seek: "Shopify developers whose clients need an accountant", Quarter: "2026-Q3"}
		if i%2 == 1 {
			in = match.PostInput{Business: fmt.Sprintf("Forge %d", i), Email: fmt.Sprintf("hi@forge%d.example", i),
				Offer: "We build Shopify stores for brands", Seek: "An accountant who understands Shopify payouts", Quarter: "2026-Q3"}
		}
		if _, err := a.CreatePost(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

func TestRoundJobRunsOneAtATimeAndReportsProgress(t *testing.T) {
	ctx := context.Background()
	a := openWithPosts(t, t.TempDir(), 6)
	defer a.Close()
	started, release := a.HoldRounds()

	job, err := a.StartRound(ctx, "2026-Q3", 2)
	if err != nil {
		t.Fatal(err)
	}
	if job.Status != domain.JobRunning || job.Total != 6 || job.PhaseTotal != 6 || job.Phase != phaseMatching {
		t.Fatalf("a started job: %+v", job)
	}
	<-started
	for _, q := range []match.Quarter{"2026-Q3", "2026-Q4"} {
		if _, err := a.StartRound(ctx, q, 2); !errors.Is(err, match.ErrConflict) {
			t.Errorf("a second round (%s) while one runs: %v, want a conflict", q, err)
		}
	}
	// The database holds the rule too, for whatever goes around the app.
	if _, err := a.Store.StartRoundJob(ctx, "2026-Q4", 2, 0); !errors.Is(err, match.ErrConflict) {
		t.Errorf("a second running job in the database: %v, want a conflict", err)
	}
	if _, err := a.Store.Round(ctx, "2026-Q3"); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("a round is stored before its job is done: %v", err)
	}
	close(release)
	a.WaitRound()

	job, err = a.RoundJob(ctx, "2026-Q3")
	if err != nil {
		t.Fatal(err)
	}
	if job.Status != domain.JobDone || job.FinishedAt.IsZero() || job.Error != "" {
		t.Fatalf("a finished job: %+v", job)
	}
	r, err := a.Store.Round(ctx, "2026-Q3")
	if err != nil || r.Counts[domain.SuggestionProposed] == 0 {
		t.Fatalf("the round after its job: %+v %v", r, err)
	}
	// Once done, another may start.
	a.rounds.gate = nil
	if _, err := a.StartRound(ctx, "2026-Q4", 2); err != nil {
		t.Errorf("a round after the last one finished: %v", err)
	}
	a.WaitRound()
}

func TestRoundJobStoppedWithTheServerRunsAgainAtStart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a := openWithPosts(t, dir, 6)
	started, _ := a.HoldRounds()
	if _, err := a.StartRound(ctx, "2026-Q3", 2); err != nil {
		t.Fatal(err)
	}
	<-started
	if err := a.Close(); err != nil { // the server stops mid-round
		t.Fatal(err)
	}

	a, err := Open(ctx, Config{DataDir: dir, HostToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	job, err := a.RoundJob(ctx, "2026-Q3")
	if err != nil || job.Status != domain.JobRunning {
		t.Fatalf("after a restart the stopped job should show as running: %+v %v", job, err)
	}
	if _, err := a.Store.Round(ctx, "2026-Q3"); !errors.Is(err, match.ErrNotFound) {
		t.Fatalf("a stopped job left a round behind: %v", err)
	}
	if err := a.ResumeRound(ctx); err != nil {
		t.Fatal(err)
	}
	a.WaitRound()
	job, err = a.RoundJob(ctx, "2026-Q3")
	if err != nil || job.Status != domain.JobDone || job.PerPost != 2 {
		t.Fatalf("the job run again: %+v %v", job, err)
	}
	if r, err := a.Store.Round(ctx, "2026-Q3"); err != nil || r.Counts[domain.SuggestionProposed] == 0 {
		t.Fatalf("the round run again: %+v %v", r, err)
	}
	if jobs, err := a.RoundJobs(ctx); err != nil || len(jobs) != 1 || jobs["2026-Q3"].Status != domain.JobDone {
		t.Errorf("the jobs after it ran again: %+v %v", jobs, err)
	}
}
