package app

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// Phases of a round's computation, as the host follows it.
const (
	phaseMatching   = "matching"   // every post's candidates
	phaseExplaining = "explaining" // the chosen suggestions' reasons
	phaseSaving     = "saving"     // one transaction
)

// roundProgress is how far a round's computation got: its phase, and the
// items of the phase done of its total. Read while it is written.
type roundProgress struct {
	mu         sync.Mutex
	phase      string
	total      int
	phaseStart time.Time
	done       atomic.Int64
}

func (p *roundProgress) begin(phase string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.phase, p.total, p.phaseStart = phase, total, time.Now()
	p.done.Store(0)
}

// RoundJob is the latest computation of a quarter's round: while it runs,
// its phase, how far the phase got and an estimate of the time it has
// left.
type RoundJob struct {
	domain.RoundJob
	Phase string // while running: matching, explaining or saving
	Done  int    // of PhaseTotal
	// PhaseTotal is the phase's work: posts while matching, suggestions
	// while explaining and saving.
	PhaseTotal int
	// Left estimates the phase's time left from its pace so far (0 before
	// the first item is done).
	Left time.Duration
}

// roundJobs runs one round computation at a time in the background.
type roundJobs struct {
	mu      sync.Mutex
	current *runningRound // nil when none runs in this process
	// gate, when set (by tests), runs in the job before it computes, so
	// that a test can hold a job running.
	gate func(ctx context.Context)
}

type runningRound struct {
	quarter  match.Quarter
	progress roundProgress
	finished chan struct{}
}

// StartRound starts computing a quarter's round (see RunRound) in the
// background and returns its job; RoundJob follows it. Only one round is
// computed at a time: while one runs, StartRound returns ECONFLICT.
func (a *App) StartRound(ctx context.Context, quarter match.Quarter, perPost int) (RoundJob, error) {
	if err := validRound(quarter, perPost); err != nil {
		return RoundJob{}, err
	}
	if err := a.startRound(ctx, quarter, perPost); err != nil {
		return RoundJob{}, err
	}
	return a.RoundJob(ctx, quarter)
}

// startRound is StartRound but for the answer.
func (a *App) startRound(ctx context.Context, quarter match.Quarter, perPost int) error {
	a.rounds.mu.Lock()
	defer a.rounds.mu.Unlock()
	if r := a.rounds.current; r != nil {
		return match.Errorf(match.ECONFLICT, "the round for %s is being computed; wait until it is done", r.quarter)
	}
	ids, err := a.Store.ActivePostIDs(ctx, quarter)
	if err != nil {
		return err
	}
	if _, err := a.Store.StartRoundJob(ctx, quarter, perPost, len(ids)); err != nil {
		return err
	}
	r := &runningRound{quarter: quarter, finished: make(chan struct{})}
	r.progress.begin(phaseMatching, len(ids))
	a.rounds.current = r
	a.tasks.Add(1)
	go func() {
		defer a.tasks.Done()
		defer close(r.finished)
		if a.rounds.gate != nil {
			a.rounds.gate(a.stop)
		}
		// When the app closes, a.stop ends the computation: its job stays
		// "running" in the database and is run again at the next start.
		_, err := a.computeRound(a.stop, quarter, perPost, ids, &r.progress)
		if a.stop.Err() == nil {
			if err != nil {
				a.Log.Error("round failed", "quarter", quarter, "err", err)
			}
			if ferr := a.Store.FinishRoundJob(context.Background(), quarter, err); ferr != nil {
				a.Log.Error("record the end of a round", "quarter", quarter, "err", ferr)
			}
		}
		a.rounds.mu.Lock()
		a.rounds.current = nil
		a.rounds.mu.Unlock()
	}()
	return nil
}

// RoundJob returns the latest computation of a quarter's round, or
// ENOTFOUND if none was started.
func (a *App) RoundJob(ctx context.Context, quarter match.Quarter) (RoundJob, error) {
	job, err := a.Store.RoundJob(ctx, quarter)
	if err != nil {
		return RoundJob{}, err
	}
	return a.roundJobOf(job), nil
}

func (a *App) roundJobOf(job domain.RoundJob) RoundJob {
	out := RoundJob{RoundJob: job}
	if job.Status != domain.JobRunning {
		return out
	}
	a.rounds.mu.Lock()
	r := a.rounds.current
	a.rounds.mu.Unlock()
	if r == nil || r.quarter != job.Quarter {
		out.Phase = phaseMatching // left by a stopped server, not yet resumed
		out.PhaseTotal = job.Total
		return out
	}
	p := &r.progress
	p.mu.Lock()
	defer p.mu.Unlock()
	out.Phase, out.PhaseTotal, out.Done = p.phase, p.total, int(p.done.Load())
	if out.Done > 0 && out.Done < out.PhaseTotal {
		took := time.Since(p.phaseStart)
		out.Left = time.Duration(float64(took) / float64(out.Done) * float64(out.PhaseTotal-out.Done)).Round(time.Second)
	}
	return out
}

// RoundJobs returns the latest job of every quarter's round, by quarter.
func (a *App) RoundJobs(ctx context.Context) (map[match.Quarter]RoundJob, error) {
	jobs, err := a.Store.RoundJobs(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[match.Quarter]RoundJob, len(jobs))
	for _, j := range jobs {
		out[j.Quarter] = a.roundJobOf(j)
	}
	return out, nil
}

// WaitRound waits until the round being computed, if any, has finished.
func (a *App) WaitRound() {
	a.rounds.mu.Lock()
	r := a.rounds.current
	a.rounds.mu.Unlock()
	if r != nil {
		<-r.finished
	}
}

// ResumeRound runs again the round a stopped server was computing, if any:
// its suggestions were never saved (they are saved at the end, in one
// transaction), so it starts over.
func (a *App) ResumeRound(ctx context.Context) error {
	job, err := a.Store.RunningRoundJob(ctx)
	if errors.Is(err, match.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := a.Store.FinishRoundJob(ctx, job.Quarter, errors.New("the server stopped while computing this round")); err != nil {
		return err
	}
	a.Log.Info("computing again the round a stopped server was computing", "quarter", job.Quarter)
	_, err = a.StartRound(ctx, job.Quarter, job.PerPost)
	return err
}

// HoldRounds makes the round jobs started from now on wait, once started,
// until release is closed or the app closes; started receives as each
// begins to wait. It is for tests, which need a job held running.
func (a *App) HoldRounds() (started <-chan struct{}, release chan struct{}) {
	s, r := make(chan struct{}, 1), make(chan struct{})
	wait := waitFor(r)
	a.rounds.gate = func(ctx context.Context) {
		s <- struct{}{}
		wait(ctx)
	}
	return s, r
}

// waitFor returns a gate that waits until release is closed or its
// context ends: what the tests' holds are made of.
func waitFor(release <-chan struct{}) func(ctx context.Context) {
	return func(ctx context.Context) {
		select {
		case <-release:
		case <-ctx.Done():
		}
	}
}
