package app

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// learner keeps the matcher's learning in step with the answers: each
// change to the answers, or to what the host told it to forget, teaches
// the engine afresh from all of them, one change at a time.
type learner struct {
	mu      sync.Mutex
	learned []match.Learned // what the last lesson found
}

// relearn teaches the engine from every answer in the store, if it is
// loaded (loading does it).
func (a *App) relearn(ctx context.Context) error {
	engine := a.matching.loaded()
	if engine == nil {
		return nil
	}
	a.learning.mu.Lock()
	defer a.learning.mu.Unlock()
	l, err := a.Store.Learning(ctx)
	if err != nil {
		return err
	}
	a.learning.learned = engine.Learn(l.Answers, l.Forgotten)
	return nil
}

// feedbackSources are where an answer may come from, as callers say it.
var feedbackSources = []string{domain.FeedbackFromMatches, domain.FeedbackFromRound, domain.FeedbackFromDigest, domain.FeedbackFromFollowUp}

// FeedbackInput is an answer about a match, as a caller gives it.
type FeedbackInput struct {
	Verdict match.Verdict
	Reason  match.Reason
	Note    string
	Source  string // "" for matches
	ByHost  bool
}

// RecordFeedback stores what the owner of me (or the host, ByHost) says of
// the match with the post other, and teaches the engine at once: the next
// list of matches reads it. It returns EINVALID for an unknown verdict,
// reason or source, or a bad note; ENOTFOUND when other is not a post the
// member could have been shown (an active one, or a paused one they may
// have seen); EINVALID for a post of their own business.
func (a *App) RecordFeedback(ctx context.Context, me match.Post, otherID int64, in FeedbackInput) (domain.Feedback, error) {
	if in.Source == "" {
		in.Source = domain.FeedbackFromMatches
	}
	fields := map[string]string{}
	switch {
	case in.Verdict != match.GoodFit && in.Verdict != match.NotAFit:
		fields["verdict"] = "must be good_fit or not_a_fit"
	case !in.Verdict.Valid(in.Reason):
		fields["reason"] = fmt.Sprintf("must be one of %s for %s", reasonList(in.Verdict), in.Verdict)
	}
	if !slices.Contains(feedbackSources, in.Source) {
		fields["source"] = "must be matches, round, digest or follow_up"
	}
	in.Note = match.OneLine(in.Note)
	if len([]rune(in.Note)) > maxInterestNote || !match.IsCleanText(in.Note) {
		fields["note"] = fmt.Sprintf("must be plain text of at most %d characters", maxInterestNote)
	}
	if len(fields) > 0 {
		return domain.Feedback{}, match.Invalid("some fields are not valid", fields)
	}
	posts, err := a.Store.PostsByID(ctx, []int64{otherID})
	if err != nil {
		return domain.Feedback{}, err
	}
	other, ok := posts[otherID]
	if !ok || (other.Status != match.StatusActive && other.Status != match.StatusPaused) {
		return domain.Feedback{}, match.Errorf(match.ENOTFOUND, "post %d not found", otherID)
	}
	if me.ID == other.ID || match.SameBusiness(me, other) {
		return domain.Feedback{}, match.Invalid("a post cannot be paired with its own business", map[string]string{"other": "is the same business"})
	}
	f, err := a.Store.RecordFeedback(ctx, domain.Feedback{
		Feedback: match.Feedback{Post: me.ID, Other: other.ID, Verdict: in.Verdict, Reason: in.Reason},
		Source:   in.Source, ByHost: in.ByHost, Quarter: match.QuarterOf(a.Store.Now()), Note: in.Note,
	})
	if err != nil {
		return domain.Feedback{}, err
	}
	return f, a.relearn(ctx)
}

func reasonList(v match.Verdict) string {
	var out []string
	for _, r := range match.Reasons[v] {
		if r == match.ReasonNone {
			out = append(out, `""`)
		} else {
			out = append(out, string(r))
		}
	}
	return fmt.Sprint(out)
}

// UndoFeedback takes an answer back (the host's undo) and teaches the
// engine without it. It returns ENOTFOUND for an unknown answer.
func (a *App) UndoFeedback(ctx context.Context, id int64) (domain.Feedback, error) {
	f, err := a.Store.DeleteFeedback(ctx, id)
	if err != nil {
		return domain.Feedback{}, err
	}
	return f, a.relearn(ctx)
}

// Learned returns what the matcher learned from the answers, the
// relations the host told it to forget marked so.
func (a *App) Learned() []match.Learned {
	a.learning.mu.Lock()
	defer a.learning.mu.Unlock()
	return slices.Clone(a.learning.learned)
}

// Forget tells the matcher to forget a learned relation (forget false: to
// count it again), at once. It returns EINVALID for an unknown kind.
func (a *App) Forget(ctx context.Context, k match.LearnedKey, forget bool) error {
	if k.Kind != match.KindAnswers && k.Kind != match.KindRivals {
		return match.Invalid("some fields are not valid", map[string]string{"kind": "must be answers or rivals"})
	}
	if k.A == "" || k.B == "" {
		return match.Invalid("some fields are not valid", map[string]string{"a": "a learned relation names two words"})
	}
	if err := a.Store.SetForgotten(ctx, k, forget); err != nil {
		return err
	}
	return a.relearn(ctx)
}
