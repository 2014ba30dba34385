package app

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// SuggestionFilter narrows a round's suggestions for the host's curation,
// on the server: a round of a large community has a thousand pairs.
type SuggestionFilter struct {
	Status string
	// Text is found, ignoring case, in any field of either post (names,
	// what they do and seek, customers, region, industry, tags), in the
	// reasons or in the host's note.
	Text string
	// Lane keeps the pairs that can work in it: both posts accept it.
	Lane match.Lane
	// Region keeps the pairs of which a post's region holds it, ignoring case.
	Region string
	// Industry keeps the pairs of which a post's industry holds it,
	// ignoring case.
	Industry string
	// MinScore keeps the pairs at least this strong (the score shown, 0 to 1).
	MinScore float64
	// Rivals keeps the pairs warned of as possible rivals
	// (match.RivalWarning): RivalsOnly keeps only them, RivalsHidden
	// leaves them out; "" keeps every pair.
	Rivals string
	// Sort orders them: SortStrongest (the default), SortWeakest or
	// SortNewest (pairs added last, by hand or by a swap, first).
	Sort string
}

// The orders of a round's suggestions.
const (
	SortStrongest = "strongest"
	SortWeakest   = "weakest"
	SortNewest    = "newest"
)

// The choices of SuggestionFilter.Rivals.
const (
	RivalsOnly   = "only"
	RivalsHidden = "hide"
)

// FilterSuggestions returns the round's suggestions that pass f, in its
// order, with the posts of every suggestion of the status by ID (read once:
// the filters need them, and so does whoever shows the pairs).
func (a *App) FilterSuggestions(ctx context.Context, quarter match.Quarter, f SuggestionFilter) ([]domain.Suggestion, map[int64]match.Post, error) {
	list, err := a.Store.Suggestions(ctx, quarter, f.Status) // strongest first
	if err != nil {
		return nil, nil, err
	}
	switch f.Sort {
	case SortWeakest:
		slices.Reverse(list)
	case SortNewest:
		slices.SortStableFunc(list, func(x, y domain.Suggestion) int { return cmp.Compare(y.ID, x.ID) })
	}
	ids := make([]int64, 0, 2*len(list))
	for _, sg := range list {
		ids = append(ids, sg.PostA, sg.PostB)
	}
	posts, err := a.Store.PostsByID(ctx, ids)
	if err != nil || (f.Text == "" && f.Lane == "" && f.Region == "" && f.Industry == "" && f.MinScore == 0 && f.Rivals == "") {
		return list, posts, err
	}
	text, region, industry := strings.ToLower(strings.TrimSpace(f.Text)), strings.ToLower(strings.TrimSpace(f.Region)), strings.ToLower(strings.TrimSpace(f.Industry))
	out := list[:0]
	for _, sg := range list {
		pa, pb := posts[sg.PostA], posts[sg.PostB]
		switch {
		case f.MinScore > 0 && RoundScore(sg.Score) < f.MinScore:
		case f.Rivals == RivalsOnly && sg.Scores.SameOffer < match.RivalWarning:
		case f.Rivals == RivalsHidden && sg.Scores.SameOffer >= match.RivalWarning:
		case f.Lane != "" && (!pa.Lane.Accepts(f.Lane) || !pb.Lane.Accepts(f.Lane)):
		case region != "" && !strings.Contains(strings.ToLower(pa.Region), region) && !strings.Contains(strings.ToLower(pb.Region), region):
		case industry != "" && !strings.Contains(strings.ToLower(pa.Industry), industry) && !strings.Contains(strings.ToLower(pb.Industry), industry):
		case text != "" && !strings.Contains(suggestionText(sg, pa, pb), text):
		default:
			out = append(out, sg)
		}
	}
	return out, posts, nil
}

// suggestionText is everything a host may look for in a pair, lower case.
func suggestionText(sg domain.Suggestion, posts ...match.Post) string {
	var b strings.Builder
	for _, p := range posts {
		for _, s := range append([]string{p.Business, p.Offer, p.Seek, p.Customers, p.Region, p.Industry, string(p.Lane)}, p.Tags...) {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	for _, s := range append(append([]string{sg.Note}, sg.ReasonsA...), sg.ReasonsB...) {
		b.WriteString(s)
		b.WriteByte('\n')
	}
	return strings.ToLower(b.String())
}
