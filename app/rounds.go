package app

import (
	"context"
	"time"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
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
func (a *App) RunRound(ctx context.Context, quarter match.Quarter, perPost int) (store.Round, error) {
	if !quarter.Valid() {
		return store.Round{}, match.Invalid("some fields are not valid", map[string]string{"quarter": "must be a quarter like 2026-Q3"})
	}
	if perPost < 1 || perPost > 20 {
		return store.Round{}, match.Invalid("some fields are not valid", map[string]string{"per_post": "must be from 1 to 20"})
	}
	ids, err := a.Store.ActivePostIDs(ctx, quarter)
	if err != nil {
		return store.Round{}, err
	}
	excluded, err := a.Store.ExcludedPairs(ctx)
	if err != nil {
		return store.Round{}, err
	}
	// A few more candidates than slots, so that the assignment can move
	// posts to their next-best partner when the best one is full.
	start := time.Now()
	cands := a.Engine.Pairs(ids, match.MatchOptions{Limit: 2*perPost + 4, Quarter: quarter})
	a.Metrics.Matching.WithLabelValues("round").Observe(time.Since(start).Seconds())
	kept := cands[:0]
	for _, p := range cands {
		if !excluded[[2]int64{min(p.A, p.B), max(p.A, p.B)}] {
			kept = append(kept, p)
		}
	}
	var proposals []store.Suggestion
	for _, p := range match.Assign(kept, perPost, DecentScore) {
		s, err := a.suggestion(p.A, p.B)
		if err != nil {
			return store.Round{}, err
		}
		proposals = append(proposals, s)
	}
	return a.Store.SaveRound(ctx, quarter, perPost, proposals)
}

// suggestion scores and explains the pair (a, b) for both sides.
func (a *App) suggestion(x, y int64) (store.Suggestion, error) {
	x, y = min(x, y), max(x, y)
	toX, err := a.Engine.Explain(x, y)
	if err != nil {
		return store.Suggestion{}, err
	}
	toY, err := a.Engine.Explain(y, x)
	if err != nil {
		return store.Suggestion{}, err
	}
	return store.Suggestion{PostA: x, PostB: y, Score: toX.Score, Scores: toX.Scores,
		ReasonsA: toX.Reasons, ReasonsB: toY.Reasons}, nil
}

// AddSuggestion pairs two posts by hand in a round, approved at once; with
// replace set it swaps that suggestion for this one. It refuses a post with
// itself or its own business, lanes that do not fit, and posts that are not
// active.
func (a *App) AddSuggestion(ctx context.Context, quarter match.Quarter, x, y int64, note string, replace int64) (store.Suggestion, error) {
	posts, err := a.Store.PostsByID(ctx, []int64{x, y})
	if err != nil {
		return store.Suggestion{}, err
	}
	px, okX := posts[x]
	py, okY := posts[y]
	if !okX || !okY {
		return store.Suggestion{}, match.Errorf(match.ENOTFOUND, "post %d or %d not found", x, y)
	}
	if err := pairable(px, py); err != nil {
		return store.Suggestion{}, err
	}
	s, err := a.suggestion(x, y)
	if err != nil {
		return store.Suggestion{}, err
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
