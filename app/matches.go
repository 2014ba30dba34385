package app

import (
	"context"
	"math"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// MatchView is a match as the API and the command line show it. The partner
// is shown by its public fields only: no email, no external id.
type MatchView struct {
	Post    MatchPost    `json:"post"`
	Score   float64      `json:"score"`
	Scores  match.Scores `json:"scores"`
	Reasons []string     `json:"reasons"`
	// Interest is what the post's owner said about this partner: "yes"
	// (asked the host for an introduction) or "" (nothing yet); a "no"
	// takes the partner out of the list.
	Interest string `json:"interest"`
	// Feedback is what the post's owner (or the host) said of this
	// partner, when they said it is a good fit (a "not a fit" takes the
	// partner out of the list, but for a "not now" of an earlier quarter).
	Feedback *FeedbackSaid `json:"feedback"`
}

// FeedbackSaid is an answer about a match, as a list of matches shows it.
type FeedbackSaid struct {
	Verdict match.Verdict `json:"verdict"`
	Reason  match.Reason  `json:"reason"`
}

// MatchPost is the public part of a matched post.
type MatchPost struct {
	ID        int64      `json:"id"`
	Business  string     `json:"business"`
	Website   string     `json:"website"`
	Offer     string     `json:"offer"`
	Seek      string     `json:"seek"`
	Customers string     `json:"customers"`
	Industry  string     `json:"industry"`
	Region    string     `json:"region"`
	Lane      match.Lane `json:"lane"`
}

// Matches returns the best partners for a post, explained. It returns
// ENOTFOUND if the post does not exist (the engine holds every post).
func (a *App) Matches(ctx context.Context, id int64, opt match.MatchOptions) ([]MatchView, error) {
	seen, err := a.Store.Seen(ctx, id)
	if err != nil {
		return nil, err
	}
	// Pairs introduced before, or that either side is not interested in,
	// are never shown again.
	if opt.Exclude == nil && len(seen.Excluded) > 0 {
		opt.Exclude = func(partner int64) bool { return seen.Excluded[partner] }
	}
	engine, err := a.matcher(ctx)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	ms, err := engine.Matches(id, opt)
	a.Metrics.Matching.WithLabelValues("post").Observe(time.Since(start).Seconds())
	if err != nil {
		return nil, err
	}
	out := make([]MatchView, len(ms))
	for i, m := range ms {
		p := m.Post
		out[i] = MatchView{
			Post: MatchPost{ID: p.ID, Business: p.Business, Website: p.Website, Offer: p.Offer, Seek: p.Seek,
				Customers: p.Customers, Industry: p.Industry, Region: p.Region, Lane: p.Lane},
			Score: RoundScore(m.Score),
			Scores: match.Scores{
				TheyOfferWhatYouSeek: RoundScore(m.Scores.TheyOfferWhatYouSeek),
				YouOfferWhatTheySeek: RoundScore(m.Scores.YouOfferWhatTheySeek),
				SharedCustomers:      RoundScore(m.Scores.SharedCustomers),
				SameOffer:            RoundScore(m.Scores.SameOffer),
			},
			Reasons:  m.Reasons,
			Interest: seen.Said[p.ID],
		}
		if f, ok := seen.Verdicts[p.ID]; ok {
			out[i].Feedback = &FeedbackSaid{Verdict: f.Verdict, Reason: f.Reason}
		}
		if out[i].Reasons == nil {
			out[i].Reasons = []string{}
		}
	}
	return out, nil
}

// RoundScore rounds a score to three decimals for display: more digits
// only suggest a precision the scores do not have.
func RoundScore(x float64) float64 { return math.Round(x*1000) / 1000 }
