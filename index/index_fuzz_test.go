package index_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"

	"github.com/matchmaker/matchmaker/index"
	"github.com/matchmaker/matchmaker/match"
)

// searchedText is what free-text search looks at: the fields named in
// search.go's fieldBoosts, nothing else.
func searchedText(p match.Post) []string { return []string{p.Business, p.Offer, p.Seek, p.Customers} }

// FuzzSearchText searches a real index with any text. A user's words must
// never reach a query parser: whatever the text holds (+-:^~*?"(){}[]/\,
// field names like email: or status:, invalid UTF-8), the search succeeds
// and finds exactly the posts that share a word with it (analysed as the
// index analyses posts) in their searched fields. So syntax is taken
// literally, nothing matches everything, and no other field (lane, status,
// region, the email that is not indexed at all) can be reached by text.
// The industry filter, also user input, is an exact value ignoring case.
func FuzzSearchText(f *testing.F) {
	for _, text := range []string{
		"bookkeeping", "Bookkeepers shopify", "", "   ", "the and for with",
		`+offer:wedding -bloom`, `"unclosed`, `*:*`, `*`, `?`, `offer:/.*/`, `/.*/`, `\`, `business:Ledger^100`,
		`email:secret`, `secret-ledger@hidden.example`, `status:hidden`, `lane:referral`, `region:zanzibar`, `quarter:2026-Q3`,
		`industry:finance`, `_id:1`, `_all:bookkeeping`, `bookkeeping~2`, `bookk*`, `(wedding OR shopify) AND NOT bloom`,
		`{"match_all":{}}`, `[a TO z]`, `C++ C# "quoted" (brackets) [x] {y} a/b\c ~tilde ^caret`, "日本語の投稿", "\xff\xfe\x00",
		strings.Repeat("wedding ", 60),
	} {
		f.Add(text, "")
	}
	f.Add("wedding", "EVENTS")
	f.Add("shopify", "web")
	f.Add("store", "İSTANBUL")
	f.Add("store", "\xff")

	ctx := context.Background()
	fx := newFixture(f)
	ix := fx.open(f)
	posts := []match.Post{
		fx.add(f, "Ledger Lane", "Bookkeeping for ecommerce brands", "Shopify developers with clients", func(p *match.Post) {
			p.Email, p.Customers, p.Industry, p.Region = "secret-ledger@hidden.example", "online store owners", "Finance", "Leeds"
		}),
		fx.add(f, "Pixel Shop", "Shopify store builds", "A bookkeeper for our clients", func(p *match.Post) {
			p.Lane, p.Industry, p.Region = match.LaneReferral, "Web", "İstanbul"
		}),
		fx.add(f, "Bloom Florals", "Wedding flowers and styling", "Wedding planners and venues", func(p *match.Post) {
			p.Lane, p.Industry, p.Region = match.LaneStrategic, "Events", "Zanzibar"
		}),
		fx.add(f, "Quiet Co", "Bookkeeping in private for weddings", "Nobody in particular", func(p *match.Post) {
			p.Status, p.Industry = match.StatusHidden, "Finance"
		}),
		fx.add(f, "Pause Ltd", "Shopify theme tweaks", "Agencies with overflow work", func(p *match.Post) {
			p.Status = match.StatusPaused
		}),
		fx.add(f, "AT&T: Ops", `C++ and C# consulting: "quoted" (brackets) [x] {y} a/b\c ~tilde ^caret *star ?q`, "Teams who need + and - fixed", func(p *match.Post) {
			p.Industry = "ΣΊΣΥΦΟΣ"
		}),
	}
	if err := ix.CatchUp(ctx, fx.db); err != nil {
		f.Fatal(err)
	}
	analyzer := bleve.NewIndexMapping().AnalyzerNamed(en.AnalyzerName)
	terms := func(texts ...string) map[string]bool {
		out := map[string]bool{}
		for _, s := range texts {
			for _, tok := range analyzer.Analyze([]byte(s)) {
				out[string(tok.Term)] = true
			}
		}
		return out
	}
	postTerms := make([]map[string]bool, len(posts))
	for i, p := range posts {
		postTerms[i] = terms(searchedText(p)...)
	}

	f.Fuzz(func(t *testing.T, text, industry string) {
		want := terms(text)
		for _, statuses := range [][]match.Status{{match.StatusActive}, nil} {
			hits, err := ix.Search(ctx, index.Query{Text: text, Statuses: statuses, Industry: industry, Limit: 100})
			if err != nil {
				t.Fatalf("search %q: %v", text, err)
			}
			var got, expected []int64
			for _, h := range hits {
				got = append(got, h.ID)
			}
			for i, p := range posts {
				shares := false
				for term := range want {
					shares = shares || postTerms[i][term]
				}
				if shares && (statuses == nil || slices.Contains(statuses, p.Status)) &&
					(industry == "" || strings.EqualFold(p.Industry, industry)) {
					expected = append(expected, p.ID)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, expected) {
				t.Fatalf("search %q (industry %q, statuses %v) found %v, want %v: the posts sharing a word %v with it",
					text, industry, statuses, got, expected, keys(want))
			}
		}
	})
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
