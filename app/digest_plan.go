package app

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// Planning a digest run: every recipient's best new partners, from one
// whole-round computation, less the pairs excluded for them.

// digestMember is one recipient of a run: an address, all its posts, and
// the partners planned for its digest.
type digestMember struct {
	email   string
	posts   []match.Post // every post of the address, newest first
	active  []match.Post // its active posts in the quarter
	matches []plannedMatch
	skip    string // why no digest: domain.SkipUnsubscribed, domain.SkipNoNewMatches
}

type plannedMatch struct {
	post, partner int64 // the member's post, and the partner's
	score         float64
}

// candidatesPer is how many partners per post a plan asks the engine for:
// more than a digest shows, so that partners the member knows already can
// be dropped and the digest still be full.
func candidatesPer(perMember int) int { return 2*perMember + 4 }

// planDigests finds every recipient's partners for the quarter: one
// whole-round computation for all the quarter's active posts, then the
// exclusions. Only a member who lost so many candidates to the exclusions
// that the digest is not full gets a query of their own.
func (a *App) planDigests(ctx context.Context, q match.Quarter, perMember int) ([]*digestMember, error) {
	if err := a.catchUp(ctx); err != nil {
		return nil, err
	}
	byEmail, err := a.Store.DigestPosts(ctx, q)
	if err != nil {
		return nil, err
	}
	ex, err := a.Store.DigestExclusions(ctx, q, "")
	if err != nil {
		return nil, err
	}
	members := make([]*digestMember, 0, len(byEmail))
	owner := map[int64]string{}
	var ids []int64
	for email, posts := range byEmail {
		m := newDigestMember(email, posts, q)
		for _, p := range m.active {
			ids = append(ids, p.ID)
			owner[p.ID] = email
		}
		members = append(members, m)
	}
	slices.SortFunc(members, func(x, y *digestMember) int { return cmp.Compare(x.email, y.email) })
	limit := candidatesPer(perMember)
	byPost := map[int64][]match.Pair{}
	start := time.Now()
	engine, err := a.Matcher(ctx)
	if err != nil {
		return nil, err
	}
	pairs, err := engine.Pairs(ctx, ids, match.MatchOptions{Limit: limit, Quarter: q}, nil)
	if err != nil {
		return nil, err
	}
	a.Metrics.Matching.WithLabelValues("digest").Observe(time.Since(start).Seconds())
	for _, p := range pairs {
		byPost[p.A] = append(byPost[p.A], p)
	}
	for _, m := range members {
		if ex.Unsubscribed[m.email] {
			m.skip = domain.SkipUnsubscribed
			continue
		}
		var cands []plannedMatch
		// more: a post's list was cut at the limit while still decent, so
		// the engine holds decent partners beyond it.
		more := false
		for _, p := range m.active {
			list := byPost[p.ID]
			for _, pair := range list {
				cands = append(cands, plannedMatch{post: p.ID, partner: pair.B, score: pair.Score})
			}
			more = more || (len(list) >= limit && slices.MinFunc(list, func(x, y match.Pair) int { return cmp.Compare(x.Score, y.Score) }).Score >= DecentScore)
		}
		m.matches = pickDigestMatches(m.email, cands, &ex, perMember, func(id int64) string { return owner[id] })
		if len(m.matches) < perMember && more {
			m.matches = a.planMember(m, &ex, q, perMember)
		}
		if len(m.matches) == 0 {
			m.skip = domain.SkipNoNewMatches
		}
	}
	return members, nil
}

func newDigestMember(email string, posts []match.Post, q match.Quarter) *digestMember {
	m := &digestMember{email: email, posts: posts}
	for _, p := range posts {
		if p.Quarter == q && p.Status == match.StatusActive {
			m.active = append(m.active, p)
		}
	}
	return m
}

// planMember finds one member's partners with a query per active post, the
// exclusions applied inside the engine (which its caller has loaded).
func (a *App) planMember(m *digestMember, ex *domain.DigestExclusions, q match.Quarter, perMember int) []plannedMatch {
	engine := a.matching.loaded()
	var cands []plannedMatch
	owner := map[int64]string{}
	for _, p := range m.active {
		ms, err := engine.Matches(p.ID, match.MatchOptions{Limit: candidatesPer(perMember), Quarter: q, NoReasons: true,
			Exclude: func(id int64) bool { return digestExcluded(m.email, p.ID, id, ex) }})
		if err != nil {
			continue // deleted since the plan began
		}
		for _, x := range ms {
			cands = append(cands, plannedMatch{post: p.ID, partner: x.Post.ID, score: x.Score})
			owner[x.Post.ID] = x.Post.Email
		}
	}
	return pickDigestMatches(m.email, cands, ex, perMember, func(id int64) string { return owner[id] })
}

// digestExcluded reports whether partner is not new to the member with this
// address and post.
func digestExcluded(email string, post, partner int64, ex *domain.DigestExclusions) bool {
	return ex.Pairs[[2]int64{min(post, partner), max(post, partner)}] || ex.Answered[[2]int64{post, partner}] ||
		ex.Shown[email][partner]
}

// pickDigestMatches keeps the best n new, decent partners, one post per
// partner business (owner gives a partner post's address), best first.
func pickDigestMatches(email string, cands []plannedMatch, ex *domain.DigestExclusions, n int, owner func(int64) string) []plannedMatch {
	slices.SortFunc(cands, func(x, y plannedMatch) int {
		return cmp.Or(cmp.Compare(y.score, x.score), cmp.Compare(x.partner, y.partner), cmp.Compare(x.post, y.post))
	})
	var out []plannedMatch
	partners, businesses := map[int64]bool{}, map[string]bool{}
	for _, c := range cands {
		if len(out) == n || c.score < DecentScore {
			break
		}
		biz := owner(c.partner)
		if partners[c.partner] || businesses[biz] || digestExcluded(email, c.post, c.partner, ex) {
			continue
		}
		partners[c.partner], businesses[biz] = true, true
		out = append(out, c)
	}
	return out
}

// planOne plans one address's digest for the quarter, as a run would now.
func (a *App) planOne(ctx context.Context, q match.Quarter, email string, perMember int) (*digestMember, error) {
	posts, err := a.Store.PostsOf(ctx, email)
	if err != nil {
		return nil, err
	}
	m := newDigestMember(email, posts, q)
	if len(m.active) == 0 {
		return nil, match.Errorf(match.ENOTFOUND, "this address has no active post in %s, so it gets no digest", q)
	}
	ex, err := a.Store.DigestExclusions(ctx, q, email)
	if err != nil {
		return nil, err
	}
	if ex.Unsubscribed[email] {
		m.skip = domain.SkipUnsubscribed
		return m, nil
	}
	if _, err := a.matcher(ctx); err != nil {
		return nil, err
	}
	if m.matches = a.planMember(m, &ex, q, perMember); len(m.matches) == 0 {
		m.skip = domain.SkipNoNewMatches
	}
	return m, nil
}
