package index

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

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
	From     int // how many hits to skip
	Limit    int
}

// Hit is a matching post and its relevance score.
type Hit struct {
	ID    int64
	Score float64
}

// Search returns the posts matching q, best first, ties broken by ID.
func (ix *Index) Search(ctx context.Context, q Query) ([]Hit, error) {
	var text []query.Query
	for _, fb := range fieldBoosts {
		mq := bleve.NewMatchQuery(q.Text)
		mq.SetField(fb.field)
		mq.SetBoost(fb.boost)
		text = append(text, mq)
	}
	must := []query.Query{bleve.NewDisjunctionQuery(text...)}
	if len(q.Statuses) > 0 {
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
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(must...), max(q.Limit, 1), max(q.From, 0), false)
	req.SortBy([]string{"-_score", "_id"})
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	hits := make([]Hit, 0, len(res.Hits))
	for _, h := range res.Hits {
		id, err := strconv.ParseInt(h.ID, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("index holds a bad document id %q", h.ID)
		}
		hits = append(hits, Hit{ID: id, Score: h.Score})
	}
	return hits, nil
}

func term(field, value string) query.Query {
	t := bleve.NewTermQuery(value)
	t.SetField(field)
	return t
}
