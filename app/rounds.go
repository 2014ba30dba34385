package app

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// DecentScore is the match score from which a partner is worth
// suggesting: a post with a candidate this good gets at least one
// suggestion in a round (see match.Assign). Measured on the evaluation set,
// labelled partners mostly score above 0.1 and unrelated posts below.
const DecentScore = 0.1

// RunRound computes a quarter's suggestions among its active posts: every
// post gets up to perPost partners, spread fairly (match.Assign), never a
// pair introduced before or one that either side is not interested in.
// Running it again recomputes the proposals the host has not acted on yet.
// It runs in the caller's goroutine; StartRound runs it as a job whose
// progress the host can follow.
func (a *App) RunRound(ctx context.Context, quarter match.Quarter, perPost int) (domain.Round, error) {
	if err := validRound(quarter, perPost); err != nil {
		return domain.Round{}, err
	}
	ids, err := a.Store.ActivePostIDs(ctx, quarter)
	if err != nil {
		return domain.Round{}, err
	}
	return a.computeRound(ctx, quarter, perPost, ids, &roundProgress{})
}

func validRound(quarter match.Quarter, perPost int) error {
	if !quarter.Valid() {
		return match.Invalid("some fields are not valid", map[string]string{"quarter": "must be a quarter like 2026-Q3"})
	}
	if perPost < 1 || perPost > 20 {
		return match.Invalid("some fields are not valid", map[string]string{"per_post": "must be from 1 to 20"})
	}
	return nil
}

// computeRound is RunRound on the posts ids, reporting to p as it goes:
// first every post's candidates (p counts posts), then the reasons of the
// chosen suggestions (p counts suggestions), then one transaction saves
// them all.
func (a *App) computeRound(ctx context.Context, quarter match.Quarter, perPost int, ids []int64, p *roundProgress) (domain.Round, error) {
	excluded, err := a.Store.ExcludedPairs(ctx)
	if err != nil {
		return domain.Round{}, err
	}
	// A few more candidates than slots, so that the assignment can move
	// posts to their next-best partner when the best one is full.
	engine, err := a.Matcher(ctx)
	if err != nil {
		return domain.Round{}, err
	}
	start := time.Now()
	p.begin(phaseMatching, len(ids))
	cands, err := engine.Pairs(ctx, ids, match.MatchOptions{Limit: 2*perPost + 4, Quarter: quarter}, &p.done)
	if err != nil {
		return domain.Round{}, err
	}
	a.Metrics.Matching.WithLabelValues("round").Observe(time.Since(start).Seconds())
	kept := cands[:0]
	for _, c := range cands {
		if !excluded[[2]int64{min(c.A, c.B), max(c.A, c.B)}] {
			kept = append(kept, c)
		}
	}
	chosen := match.Assign(kept, perPost, DecentScore)
	p.begin(phaseExplaining, len(chosen))
	proposals, err := a.suggestions(ctx, engine, chosen, &p.done)
	if err != nil {
		return domain.Round{}, err
	}
	p.begin(phaseSaving, len(proposals))
	return a.Store.SaveRound(ctx, quarter, perPost, proposals)
}

// suggestions scores and explains the chosen pairs on every core, in their
// order, counting each in done.
func (a *App) suggestions(ctx context.Context, engine *match.Engine, pairs []match.Pair, done *atomic.Int64) ([]domain.Suggestion, error) {
	out := make([]domain.Suggestion, len(pairs))
	errs := make([]error, runtime.GOMAXPROCS(0))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range errs {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(pairs); i = int(next.Add(1) - 1) {
				if errs[w] = ctx.Err(); errs[w] != nil {
					return
				}
				if out[i], errs[w] = suggestion(engine, pairs[i].A, pairs[i].B); errs[w] != nil {
					return
				}
				done.Add(1)
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// suggestion scores and explains the pair (x, y) for both sides.
func suggestion(engine *match.Engine, x, y int64) (domain.Suggestion, error) {
	x, y = min(x, y), max(x, y)
	toX, err := engine.Explain(x, y)
	if err != nil {
		return domain.Suggestion{}, err
	}
	toY, err := engine.Explain(y, x)
	if err != nil {
		return domain.Suggestion{}, err
	}
	return domain.Suggestion{PostA: x, PostB: y, Score: toX.Score, Scores: toX.Scores,
		ReasonsA: toX.Reasons, ReasonsB: toY.Reasons}, nil
}

// AddSuggestion pairs two posts by hand in a round, approved at once; with
// replace set it swaps that suggestion for this one. It refuses a post with
// itself or its own business, lanes that do not fit, and posts that are not
// active.
func (a *App) AddSuggestion(ctx context.Context, quarter match.Quarter, x, y int64, note string, replace int64) (domain.Suggestion, error) {
	posts, err := a.Store.PostsByID(ctx, []int64{x, y})
	if err != nil {
		return domain.Suggestion{}, err
	}
	px, okX := posts[x]
	py, okY := posts[y]
	if !okX || !okY {
		return domain.Suggestion{}, match.Errorf(match.ENOTFOUND, "post %d or %d not found", x, y)
	}
	if err := pairable(px, py); err != nil {
		return domain.Suggestion{}, err
	}
	engine, err := a.matcher(ctx)
	if err != nil {
		return domain.Suggestion{}, err
	}
	s, err := suggestion(engine, x, y)
	if err != nil {
		return domain.Suggestion{}, err
	}
	s.Note = note
	return a.Store.AddSuggestion(ctx, quarter, s, replace)
}

// pairable returns an EINVALID error saying why two posts cannot be
// paired, or nil: a post with itself or its own business, lanes that do
// not fit, posts that are not active.
func pairable(px, py match.Post) error {
	switch {
	case px.ID == py.ID || match.SameBusiness(px, py):
		return match.Invalid("a post cannot be paired with its own business", map[string]string{"partner": "is the same business"})
	case !px.Lane.Accepts(py.Lane):
		return match.Invalid("their lanes do not fit", map[string]string{"partner": "wants a " + string(py.Lane) + " partnership, the other a " + string(px.Lane) + " one"})
	case px.Status != match.StatusActive || py.Status != match.StatusActive:
		return match.Invalid("only active posts can be paired", map[string]string{"partner": "is not active"})
	}
	return nil
}
