// Package evalset reads labelled sets of posts and measures how well a
// ranking of partners agrees with their labels: the yardstick every change
// to matching is held to (see BENCHMARKS.md).
//
// A set is JSON Lines, one post a line, in the format the project's
// baseline tool reads:
//
//	{"key": "a1", "role": "bookkeeper_salons", "offer": "...", "seek": "...",
//	 "customers": "...", "relevant": {"b2": 2, "c3": 1}, "competitors": ["a2"]}
//
// relevant grades a partner 2 (strong) or 1 (plausible); competitors lists
// rivals (same offer, same audience), and every other post of the same role
// counts as one too. A line may also carry any field of a post
// (business, email, lane, industry, region, tags, quarter); a post without
// an email gets one of its own, so that no two posts look like one business.
package evalset

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// Item is one labelled post.
type Item struct {
	Key         string         `json:"key"`
	Role        string         `json:"role"`
	Relevant    map[string]int `json:"relevant"`
	Competitors []string       `json:"competitors"`
	Note        string         `json:"note"`
}

// Set is a labelled set: Posts[i] is the post of Items[i], with ID i+1.
type Set struct {
	Posts []match.Post
	Items []Item
	byKey map[string]int
}

// line is one line of a set file.
type line struct {
	Item
	match.PostInput
	Key string `json:"key"`
}

// Load reads the set in the file at path.
func Load(path string) (*Set, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Parse reads a set. It returns an error naming the line of a post that is
// not valid JSON, lacks a key, offer or seek, repeats a key, or labels a
// key the set does not hold.
func Parse(r io.Reader) (*Set, error) {
	s := &Set{byKey: map[string]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	// A fixed time, so that a set always gets the same default quarter.
	now := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if l.Key == "" || l.Offer == "" || l.Seek == "" {
			return nil, fmt.Errorf("line %d: a post needs a key, an offer and a seek", n)
		}
		if _, dup := s.byKey[l.Key]; dup {
			return nil, fmt.Errorf("line %d: key %q appears twice", n, l.Key)
		}
		in := l.PostInput
		if in.Business == "" {
			in.Business = l.Key
		}
		if in.Email == "" {
			in.Email = "post@" + l.Key + ".set.example"
		}
		in.Normalize()
		p := in.Post(now)
		p.ID = int64(len(s.Posts) + 1)
		p.ExternalID = l.Key
		l.Item.Key = l.Key
		s.byKey[l.Key] = len(s.Posts)
		s.Posts = append(s.Posts, p)
		s.Items = append(s.Items, l.Item)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, it := range s.Items {
		for k := range it.Relevant {
			if _, ok := s.byKey[k]; !ok {
				return nil, fmt.Errorf("post %s: relevant names %q, which the set does not hold", it.Key, k)
			}
		}
		for _, k := range it.Competitors {
			if _, ok := s.byKey[k]; !ok {
				return nil, fmt.Errorf("post %s: competitors name %q, which the set does not hold", it.Key, k)
			}
		}
	}
	return s, nil
}

// Key returns the key of the post with the given ID, or "" for a post not
// in the set (a distractor).
func (s *Set) Key(id int64) string {
	if id < 1 || int(id) > len(s.Items) {
		return ""
	}
	return s.Items[id-1].Key
}

// Post returns the post with the given key.
func (s *Set) Post(key string) (match.Post, bool) {
	i, ok := s.byKey[key]
	if !ok {
		return match.Post{}, false
	}
	return s.Posts[i], true
}

// Rivals returns the keys of the rivals of the post with the given key: its
// labelled competitors and the other posts of its role.
func (s *Set) Rivals(key string) []string {
	it := s.Items[s.byKey[key]]
	out := slices.Clone(it.Competitors)
	if it.Role != "" {
		for _, o := range s.Items {
			if o.Role == it.Role && o.Key != key && !slices.Contains(out, o.Key) {
				out = append(out, o.Key)
			}
		}
	}
	return out
}

// Metrics are how well rankings agree with a set's labels, as the
// project's baseline tool computes them.
type Metrics struct {
	NDCG10    float64 `json:"ndcg10"`
	Recall5   float64 `json:"recall5"`
	P1        float64 `json:"p1"`
	RivalTop3 float64 `json:"rival_in_top3"` // share of queries with a rival in the top 3
	Queries   int     `json:"queries"`       // posts with at least one relevant partner
}

func (m Metrics) String() string {
	return fmt.Sprintf("NDCG@10 %.3f  recall@5 %.3f  P@1 %.3f  rival in top 3 %.3f  (%d queries)",
		m.NDCG10, m.Recall5, m.P1, m.RivalTop3, m.Queries)
}

// Score measures rankings (by key, best first; keys outside the set are
// distractors and count as wrong) against the labels. Only posts with a
// relevant partner are queries, and the rival figure is over those too, as
// in the baseline tool.
func (s *Set) Score(rankings map[string][]string) Metrics {
	return s.ScoreOnly(rankings, func(string) bool { return true })
}

// ScoreOnly is Score over the posts whose keys pass the filter.
func (s *Set) ScoreOnly(rankings map[string][]string, only func(key string) bool) Metrics {
	var m Metrics
	for _, it := range s.Items {
		if len(it.Relevant) == 0 || !only(it.Key) {
			continue
		}
		m.Queries++
		q := s.Query(it.Key, rankings[it.Key])
		m.NDCG10 += q.NDCG10
		m.Recall5 += q.Recall5
		if q.Hit1 {
			m.P1++
		}
		if q.RivalTop3 {
			m.RivalTop3++
		}
	}
	if m.Queries > 0 {
		n := float64(m.Queries)
		m.NDCG10, m.Recall5, m.P1, m.RivalTop3 = m.NDCG10/n, m.Recall5/n, m.P1/n, m.RivalTop3/n
	}
	return m
}

// QueryMetrics are the figures of one post's ranking.
type QueryMetrics struct {
	NDCG10, Recall5 float64
	Hit1, RivalTop3 bool
}

// Query scores one post's ranking.
func (s *Set) Query(key string, ranked []string) QueryMetrics {
	it := s.Items[s.byKey[key]]
	ranked = slices.DeleteFunc(slices.Clone(ranked), func(k string) bool { return k == key })
	ranked = ranked[:min(10, len(ranked))]
	var q QueryMetrics
	dcg := 0.0
	for i, k := range ranked {
		dcg += (math.Pow(2, float64(it.Relevant[k])) - 1) / math.Log2(float64(i+2))
	}
	grades := make([]int, 0, len(it.Relevant))
	for _, g := range it.Relevant {
		grades = append(grades, g)
	}
	slices.Sort(grades)
	slices.Reverse(grades)
	idcg := 0.0
	for i, g := range grades[:min(10, len(grades))] {
		idcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
	}
	if idcg > 0 {
		q.NDCG10 = dcg / idcg
	}
	found := 0
	for _, k := range ranked[:min(5, len(ranked))] {
		if it.Relevant[k] > 0 {
			found++
		}
	}
	if len(it.Relevant) > 0 {
		q.Recall5 = float64(found) / float64(min(5, len(it.Relevant)))
	}
	q.Hit1 = len(ranked) > 0 && it.Relevant[ranked[0]] > 0
	rivals := s.Rivals(key)
	for _, k := range ranked[:min(3, len(ranked))] {
		if slices.Contains(rivals, k) {
			q.RivalTop3 = true
		}
	}
	return q
}

// Rank ranks every post of the set with the engine, which holds the set's
// posts and perhaps distractors, and returns each post's top 10.
//
// Distractors are posts the labels say nothing about: some of them may well
// be good partners. Strict, they stay in the ranking as "#<id>" and count
// as wrong; otherwise they are passed over and the top 10 is of the set's
// own posts (a condensed list, the usual way to score rankings that hold
// unjudged items), which measures whether the set's order survives a larger
// community around it.
func (s *Set) Rank(e *match.Engine, strict bool) map[string][]string {
	limit := 10
	if !strict && e.Len() > len(s.Posts) {
		limit = 200
	}
	out := make(map[string][]string, len(s.Items))
	ids := make([]int64, len(s.Posts))
	for i, p := range s.Posts {
		ids[i] = p.ID
	}
	for id, ms := range e.Round(ids, match.MatchOptions{Limit: limit, NoReasons: true}) {
		keys := make([]string, 0, 10)
		for _, m := range ms {
			k := s.Key(m.Post.ID)
			switch {
			case k == "" && strict:
				k = fmt.Sprintf("#%d", m.Post.ID)
			case k == "":
				continue
			}
			if keys = append(keys, k); len(keys) == 10 {
				break
			}
		}
		out[s.Key(id)] = keys
	}
	return out
}
