package match_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/matchmaker/matchmaker/match"
)

// evalSet is the labelled community in testdata/eval: realistic posts and a
// host's judgement of who would be a good partner for whom.
type evalSet struct {
	posts  []match.Post
	byExt  map[string]int64
	labels []evalQuery
}

type evalQuery struct {
	Post        string         `json:"post"`
	Relevant    map[string]int `json:"relevant"`
	Competitors []string       `json:"competitors"`
}

func loadEvalSet(t testing.TB) evalSet {
	t.Helper()
	f, err := os.Open("testdata/eval/posts.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set := evalSet{byExt: map[string]int64{}}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	now := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
	for sc.Scan() {
		var in match.PostInput
		if err := json.Unmarshal(sc.Bytes(), &in); err != nil {
			t.Fatal(err)
		}
		in.Normalize()
		if err := match.Validate(&in); err != nil {
			t.Fatalf("eval post %s: %v", in.ExternalID, err)
		}
		p := in.Post(now)
		p.ID = int64(len(set.posts) + 1)
		set.posts = append(set.posts, p)
		set.byExt[p.ExternalID] = p.ID
	}
	var labels struct {
		Queries []evalQuery `json:"queries"`
	}
	data, err := os.ReadFile("testdata/eval/labels.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &labels); err != nil {
		t.Fatal(err)
	}
	set.labels = labels.Queries
	return set
}

// ranker returns, for a post, the IDs of the posts it ranks best first.
type ranker func(p match.Post) []int64

// metrics are the quality figures of one ranker over the evaluation set.
type metrics struct {
	NDCG10, P1, Rival3 float64
	queries, rivalQs   int
}

func evaluate(set evalSet, rank ranker) metrics {
	var m metrics
	for _, q := range set.labels {
		p := set.posts[set.byExt[q.Post]-1]
		got := rank(p)
		rel := map[int64]int{}
		for ext, g := range q.Relevant {
			rel[set.byExt[ext]] = g
		}
		if len(rel) > 0 {
			m.queries++
			m.NDCG10 += ndcg(got, rel, 10)
			if len(got) > 0 && rel[got[0]] > 0 {
				m.P1++
			}
		}
		if len(q.Competitors) > 0 {
			m.rivalQs++
			for _, id := range got[:min(3, len(got))] {
				if slices.Contains(q.Competitors, set.posts[id-1].ExternalID) {
					m.Rival3++
					break
				}
			}
		}
	}
	m.NDCG10 /= float64(m.queries)
	m.P1 /= float64(m.queries)
	m.Rival3 /= float64(m.rivalQs)
	return m
}

func ndcg(got []int64, rel map[int64]int, k int) float64 {
	dcg := 0.0
	for i, id := range got[:min(k, len(got))] {
		dcg += (math.Pow(2, float64(rel[id])) - 1) / math.Log2(float64(i+2))
	}
	var ideal []int
	for _, g := range rel {
		ideal = append(ideal, g)
	}
	slices.Sort(ideal)
	slices.Reverse(ideal)
	idcg := 0.0
	for i, g := range ideal[:min(k, len(ideal))] {
		idcg += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
	}
	return dcg / idcg
}

func engineRanker(set evalSet, w match.Weights) ranker {
	e := match.NewEngine(match.DefaultVocabulary(), w)
	e.Load(set.posts)
	return func(p match.Post) []int64 {
		ms, err := e.Matches(p.ID, match.MatchOptions{Limit: 10, NoReasons: true})
		if err != nil {
			panic(err)
		}
		ids := make([]int64, len(ms))
		for i, m := range ms {
			ids[i] = m.Post.ID
		}
		return ids
	}
}

// bleveRanker is a baseline: Bleve's own ranking (English analysis), with
// the same hard rules as the engine (not yourself, not your own business,
// lanes that fit) so that only the ranking is compared. field picks what is
// searched and text what is searched for.
func bleveRanker(t testing.TB, set evalSet, field string, text func(match.Post) string) ranker {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = en.AnalyzerName
	idx, err := bleve.NewMemOnly(m)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range set.posts {
		doc := map[string]string{
			"offer": p.Offer, "seek": p.Seek,
			"all": strings.Join([]string{p.Business, p.Offer, p.Seek, p.Customers, p.Industry, strings.Join(p.Tags, " ")}, " "),
		}
		if err := idx.Index(fmt.Sprint(p.ID), doc); err != nil {
			t.Fatal(err)
		}
	}
	owner := func(p match.Post) string {
		_, d, _ := strings.Cut(p.Email, "@")
		if d == "gmail.com" {
			return p.Email
		}
		return d
	}
	return func(p match.Post) []int64 {
		mq := bleve.NewMatchQuery(text(p))
		mq.SetField(field)
		req := bleve.NewSearchRequestOptions(query.Query(mq), 100, 0, false)
		res, err := idx.Search(req)
		if err != nil {
			panic(err)
		}
		var ids []int64
		for _, h := range res.Hits {
			var id int64
			fmt.Sscan(h.ID, &id)
			o := set.posts[id-1]
			if id == p.ID || owner(o) == owner(p) || !p.Lane.Accepts(o.Lane) {
				continue
			}
			ids = append(ids, id)
			if len(ids) == 10 {
				break
			}
		}
		return ids
	}
}

func TestEvaluationBeatsBaselines(t *testing.T) {
	set := loadEvalSet(t)
	if len(set.posts) < 60 || len(set.labels) < 60 {
		t.Fatalf("evaluation set has %d posts and %d queries; want at least 60", len(set.posts), len(set.labels))
	}
	engine := evaluate(set, engineRanker(set, match.DefaultWeights()))
	oneWay := evaluate(set, bleveRanker(t, set, "offer", func(p match.Post) string { return p.Seek }))
	similar := evaluate(set, bleveRanker(t, set, "all", func(p match.Post) string {
		return strings.Join([]string{p.Offer, p.Seek, p.Customers}, " ")
	}))
	t.Logf("%-34s %8s %8s %22s", "ranker", "NDCG@10", "P@1", "rival in top 3")
	for _, r := range []struct {
		name string
		m    metrics
	}{{"matchmaker engine", engine}, {"one-way search (seek -> offers)", oneWay}, {"similar posts (whole post)", similar}} {
		t.Logf("%-34s %8.3f %8.3f %21.3f", r.name, r.m.NDCG10, r.m.P1, r.m.Rival3)
	}
	t.Logf("%d queries with relevant partners, %d with competitors", engine.queries, engine.rivalQs)
	for _, b := range []metrics{oneWay, similar} {
		if engine.NDCG10 <= b.NDCG10 || engine.P1 <= b.P1 || engine.Rival3 >= b.Rival3 {
			t.Errorf("the engine (NDCG %.3f, P@1 %.3f, rivals %.3f) does not beat a baseline (NDCG %.3f, P@1 %.3f, rivals %.3f) on every figure",
				engine.NDCG10, engine.P1, engine.Rival3, b.NDCG10, b.P1, b.Rival3)
		}
	}
}
