package index

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/matchmaker/matchmaker/match"
)

// Field boosts for free-text search: people mostly search for what a
// business does, then who it is, then whom it serves and what it seeks.
var fieldBoosts = []struct {
	field string
	boost float64
}{
	{fieldOffer, 3},
	{fieldBusiness, 2},
	{fieldCustomers, 1.5},
	{fieldSeek, 1},
}

// Query is a full-text search with filters. Text is analysed like the posts
// are; it never reaches a query-string parser, so no input can change the
// shape of the query.
type Query struct {
	Text     string
	Statuses []match.Status // empty: any status
	Lane     match.Lane     // "strategic" also finds "either"; "either" finds only "either"
	Quarter  match.Quarter
	Industry string
	Region   string
	// Near, when set, keeps the posts whose region places them within
	// Near.Km of the point.
	Near  *Near
	From  int // how many hits to skip
	Limit int
}

// Near is a circle on the map.
type Near struct {
	Lat, Lon, Km float64
}

// Hit is a matching post and its relevance score.
type Hit struct {
	ID    int64
	Score float64
}

// Search returns the posts matching q, best first, ties broken by ID.
func (ix *Index) Search(ctx context.Context, q Query) ([]Hit, error) {
	var must []query.Query
	if strings.TrimSpace(q.Text) != "" {
		var text []query.Query
		for _, fb := range fieldBoosts {
			mq := bleve.NewMatchQuery(q.Text)
			mq.SetField(fb.field)
			mq.SetBoost(fb.boost)
			text = append(text, mq)
		}
		must = append(must, bleve.NewDisjunctionQuery(text...))
	}
	if q.Near != nil {
		gq := bleve.NewGeoDistanceQuery(q.Near.Lon, q.Near.Lat, strconv.FormatFloat(q.Near.Km, 'f', -1, 64)+"km")
		gq.SetField(fieldLocation)
		must = append(must, gq)
	}
	if len(must) == 0 {
		return nil, nil // no words and no place: nothing is asked for
	}
	var mustNot []query.Query
	switch {
	case len(q.Statuses) == 0:
	case slices.Contains(q.Statuses, match.StatusActive):
		// Nearly every post is active: leaving out the few others costs a
		// few skips, where intersecting with the active ones would walk
		// all of them.
		for _, s := range match.Statuses {
			if !slices.Contains(q.Statuses, s) {
				mustNot = append(mustNot, term(fieldStatus, string(s)))
			}
		}
	default:
		var any []query.Query
		for _, s := range q.Statuses {
			any = append(any, term(fieldStatus, string(s)))
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	switch q.Lane {
	case "":
	case match.LaneEither:
		must = append(must, term(fieldLane, string(match.LaneEither)))
	default:
		must = append(must, bleve.NewDisjunctionQuery(term(fieldLane, string(q.Lane)), term(fieldLane, string(match.LaneEither))))
	}
	if q.Quarter != "" {
		must = append(must, term(fieldQuarter, string(q.Quarter)))
	}
	if q.Industry != "" {
		must = append(must, term(fieldIndustry, strings.ToLower(q.Industry)))
	}
	if q.Region != "" {
		must = append(must, term(fieldRegion, strings.ToLower(q.Region)))
	}
	var all query.Query = bleve.NewConjunctionQuery(must...)
	if len(must) == 1 {
		all = must[0] // a conjunction of one only costs time
	}
	if len(mustNot) > 0 {
		b := bleve.NewBooleanQuery()
		b.AddMust(all)
		b.AddMustNot(mustNot...)
		all = b
	}
	best, err := ix.collect(ctx, all, max(q.From, 0)+max(q.Limit, 1))
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return best[min(max(q.From, 0), len(best)):], nil
}

// collect returns the best n hits of q, by score and then by post ID.
//
// It reads the searcher's hits itself rather than through a Bleve search
// request: sorting on the document ID there looks up the ID of every hit,
// a stored-field read, and a common word hits a large share of the posts.
// Here an ID is looked up only for a hit that makes the best n so far (or
// ties the last of them), which after the first few is almost none.
func (ix *Index) collect(ctx context.Context, q query.Query, n int) ([]Hit, error) {
	r, err := snapshot(ix.bleve)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	s, err := q.Searcher(ctx, r, ix.bleve.Mapping(), search.SearcherOptions{})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	best := make([]Hit, 0, n+1)
	for seen := 0; ; seen++ {
		if seen%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if dm == nil {
			return best, nil
		}
		score := dm.Score
		if len(best) == n && score < best[n-1].Score {
			sctx.DocumentMatchPool.Put(dm)
			continue
		}
		ext, err := r.ExternalID(dm.IndexInternalID)
		sctx.DocumentMatchPool.Put(dm)
		if err != nil {
			return nil, err
		}
		id, err := strconv.ParseInt(ext, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("index holds a bad document id %q", ext)
		}
		h := Hit{ID: id, Score: score}
		i, _ := slices.BinarySearchFunc(best, h, func(a, b Hit) int {
			if c := cmp.Compare(b.Score, a.Score); c != 0 {
				return c
			}
			return cmp.Compare(a.ID, b.ID)
		})
		if i < n {
			best = slices.Insert(best, i, h)[:min(len(best)+1, n)]
		}
	}
}

func term(field, value string) query.Query {
	t := bleve.NewTermQuery(value)
	t.SetField(field)
	return t
}

// snapshot opens a reader on the index as it stands; the caller closes it.
func snapshot(bi bleve.Index) (index.IndexReader, error) {
	adv, err := bi.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}
