package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/index"
	"github.com/matchmaker/matchmaker/match"
)

func TestSearch(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)

	t.Run("a post is found as soon as its POST returns", func(t *testing.T) {
		for i := range 20 {
			word := fmt.Sprintf("fresh%cword%cqz", 'a'+i, 'a'+i)
			p := ts.createPost(t, post("offer", "We sell "+word+" to cafés and bakeries"))
			if got := ts.searchIDs(t, anonymous, "q", word); !slices.Equal(got, []int64{p.ID}) {
				t.Fatalf("search %q right after POST: got %v, want [%d]", word, got, p.ID)
			}
		}
	})

	t.Run("stemming", func(t *testing.T) {
		books := ts.createPost(t, post("offer", "Bookkeeping for florists and garden centres"))
		consult := ts.createPost(t, post("offer", "Consulting on menus for seaside restaurants"))
		for _, c := range []struct {
			q    string
			want []int64
		}{
			{"bookkeepers", []int64{books.ID}},
			{"bookkeeper", []int64{books.ID}},
			{"florist", []int64{books.ID}},
			{"consultants", []int64{consult.ID}},
			{"menu restaurant", []int64{consult.ID}},
		} {
			if got := ts.searchIDs(t, anonymous, "q", c.q); !slices.Equal(got, c.want) {
				t.Errorf("q=%q: got %v, want %v", c.q, got, c.want)
			}
		}
	})

	t.Run("stop words", func(t *testing.T) {
		upholstery := ts.createPost(t, post("offer", "Upholstery repairs for boutique hotels"))
		// Full of stop words and nothing else the query asks for.
		ts.createPost(t, post("offer", "The best of the best, and then some more of the same", "seek", "The one who is there for the rest of them"))
		if got := ts.searchIDs(t, anonymous, "q", "the upholstery of"); !slices.Equal(got, []int64{upholstery.ID}) {
			t.Errorf("q=\"the upholstery of\": got %v, want only [%d]", got, upholstery.ID)
		}
		r := ts.do(t, http.MethodGet, "/api/v1/posts?q=the+and+of", anonymous, "")
		wantStatus(t, r, http.StatusOK)
		if got := decode[postPageJSON](t, r).Posts; len(got) != 0 {
			t.Errorf("q of stop words only: got %d posts, want none", len(got))
		}
	})

	t.Run("field boosts", func(t *testing.T) {
		// The same sentence in different fields, the rest filler of equal
		// length. Created seek first so that a tie would put it first.
		const text = "Taxidermy workshops for natural history museums"
		const filler = "Pottery classes for community arts centres ok"
		inSeek := ts.createPost(t, post("offer", filler, "seek", text, "customers", filler, "business", "Seek Side"))
		inCustomers := ts.createPost(t, post("offer", filler, "seek", filler, "customers", text, "business", "Customer Side"))
		inOffer := ts.createPost(t, post("offer", text, "seek", filler, "customers", filler, "business", "Offer Side"))
		want := []int64{inOffer.ID, inCustomers.ID, inSeek.ID}
		if got := ts.searchIDs(t, anonymous, "q", "taxidermy"); !slices.Equal(got, want) {
			t.Errorf("q=taxidermy: got %v, want offer, customers, seek: %v", got, want)
		}
	})

	t.Run("filters", func(t *testing.T) {
		mk := func(lane, quarter, industry, region string) int64 {
			return ts.createPost(t, post("offer", "Gondolier training for canal tour operators", "lane", lane,
				"quarter", quarter, "industry", industry, "region", region)).ID
		}
		strategic := mk("strategic", "2031-Q2", "Dental Care", "Lisbon")
		referral := mk("referral", "2031-Q2", "Tourism", "Venice")
		either := mk("either", "2031-Q2", "Tourism", "Lisbon")
		later := mk("strategic", "2031-Q3", "Dental Care", "Venice")
		hidden := ts.createPost(t, post("offer", "Gondolier repairs", "quarter", "2031-Q2", "status", "hidden", "lane", "either")).ID
		paused := ts.createPost(t, post("offer", "Gondolier uniforms", "quarter", "2031-Q2", "status", "paused", "lane", "either")).ID
		paris := mk("strategic", "2031-Q4", "Tourism", "Île-de-France")
		mine := []int64{strategic, referral, either, later, hidden, paused, paris}

		for _, c := range []struct {
			name   string
			w      who
			params []string
			want   []int64
		}{
			{"lane strategic", anonymous, []string{"lane", "strategic", "quarter", "2031-Q2"}, []int64{strategic, either}},
			{"lane referral", anonymous, []string{"lane", "referral", "quarter", "2031-Q2"}, []int64{referral, either}},
			{"lane either", anonymous, []string{"lane", "either", "quarter", "2031-Q2"}, []int64{either}},
			{"lane strategic in all quarters", anonymous, []string{"lane", "strategic"}, []int64{strategic, either, later, paris}},
			{"quarter", anonymous, []string{"quarter", "2031-Q3"}, []int64{later}},
			{"industry in other case", anonymous, []string{"industry", "dental care", "quarter", "2031-Q2"}, []int64{strategic}},
			{"industry in upper case", anonymous, []string{"industry", "DENTAL CARE"}, []int64{strategic, later}},
			{"industry is exact", anonymous, []string{"industry", "dental"}, nil},
			{"region outside ASCII in other case", anonymous, []string{"region", "île-de-france"}, []int64{paris}},
			{"region", anonymous, []string{"region", "lisbon", "quarter", "2031-Q2"}, []int64{strategic, either}},
			{"anonymous sees active only", anonymous, []string{"quarter", "2031-Q2"}, []int64{strategic, referral, either}},
			{"host sees all", host, []string{"quarter", "2031-Q2"}, []int64{strategic, referral, either, hidden, paused}},
			{"host picks a status", host, []string{"quarter", "2031-Q2", "status", "hidden", "lane", "referral"}, []int64{hidden}},
		} {
			t.Run(c.name, func(t *testing.T) {
				// The same filters with and without search text.
				list := ts.searchIDs(t, c.w, c.params...)
				search := ts.searchIDs(t, c.w, append([]string{"q", "gondolier"}, c.params...)...)
				slices.Sort(list)
				slices.Sort(search)
				want := slices.Sorted(slices.Values(c.want))
				// Without a quarter the list also holds other subtests' posts.
				list = slices.DeleteFunc(list, func(id int64) bool { return !slices.Contains(mine, id) })
				if !slices.Equal(list, want) {
					t.Errorf("list %v: got %v, want %v", c.params, list, want)
				}
				if !slices.Equal(search, want) {
					t.Errorf("search %v: got %v, want %v", c.params, search, want)
				}
			})
		}
	})
}

// TestPaging walks pages of 10 over 45 posts whose search scores tie, so
// that only the ID tie-break keeps the pages apart.
func TestPaging(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	// Posts that neither match the query nor the quarter, around the others.
	for range 5 {
		ts.createPost(t, post("offer", "Unrelated: bicycle repairs", "quarter", "2032-Q2"))
	}
	var created []int64
	for i := range 45 {
		p := ts.createPost(t, post("offer", "Mural painting for cafés and bakeries", "quarter", "2032-Q1",
			"business", fmt.Sprintf("Painter %d", i)))
		created = append(created, p.ID)
	}
	for range 5 {
		ts.createPost(t, post("offer", "Unrelated: kayak rentals", "quarter", "2032-Q2"))
	}

	// The premise: the scores really tie.
	hits, err := ts.App.Index.Search(context.Background(), index.Query{Text: "mural", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 45 {
		t.Fatalf("index search: got %d hits, want 45", len(hits))
	}
	for _, h := range hits {
		if h.Score != hits[0].Score {
			t.Fatalf("premise broken: scores differ (%v and %v), so the tie-break is not exercised", hits[0].Score, h.Score)
		}
	}

	walk := func(t *testing.T, query url.Values) (pages [][]int64) {
		t.Helper()
		query.Set("limit", "10")
		for range 10 {
			p := ts.list(t, anonymous, query)
			pages = append(pages, ids(p.Posts))
			if p.NextCursor == nil {
				return pages
			}
			query.Set("cursor", *p.NextCursor)
		}
		t.Fatalf("more than 10 pages of 10 for 45 posts")
		return nil
	}
	checkPages := func(t *testing.T, pages [][]int64, wantOrder []int64) {
		t.Helper()
		var sizes []int
		var all []int64
		for _, p := range pages {
			sizes = append(sizes, len(p))
			all = append(all, p...)
		}
		if want := []int{10, 10, 10, 10, 5}; !slices.Equal(sizes, want) {
			t.Errorf("page sizes: got %v, want %v", sizes, want)
		}
		if !slices.Equal(all, wantOrder) {
			t.Errorf("pages joined:\ngot  %v\nwant %v", all, wantOrder)
		}
		got := slices.Sorted(slices.Values(all))
		if !slices.Equal(got, created) {
			t.Errorf("posts seen (sorted): got %v, want each of %v exactly once", got, created)
		}
	}

	t.Run("newest first", func(t *testing.T) {
		newestFirst := slices.Clone(created)
		slices.Reverse(newestFirst)
		checkPages(t, walk(t, url.Values{"quarter": {"2032-Q1"}}), newestFirst)
	})

	t.Run("search", func(t *testing.T) {
		whole := ts.searchIDs(t, anonymous, "q", "mural")
		checkPages(t, walk(t, url.Values{"q": {"mural"}}), whole)
		if again := ts.searchIDs(t, anonymous, "q", "mural"); !slices.Equal(again, whole) {
			t.Errorf("the same search twice: got %v then %v, want the same order", whole, again)
		}
	})

	t.Run("a cursor belongs to its kind of query", func(t *testing.T) {
		listPage := ts.list(t, anonymous, url.Values{"quarter": {"2032-Q1"}, "limit": {"10"}})
		searchPage := ts.list(t, anonymous, url.Values{"q": {"mural"}, "limit": {"10"}})
		for _, path := range []string{
			"/api/v1/posts?q=mural&cursor=" + url.QueryEscape(*listPage.NextCursor),
			"/api/v1/posts?cursor=" + url.QueryEscape(*searchPage.NextCursor),
			"/api/v1/posts?cursor=" + url.QueryEscape((*listPage.NextCursor)[1:]),
			"/api/v1/posts?cursor=" + b64("n:abc"),
			"/api/v1/posts?cursor=" + b64("n:5:6"),
		} {
			r := ts.do(t, http.MethodGet, path, anonymous, "")
			wantStatus(t, r, http.StatusBadRequest)
			checkCommon(t, r)
			if got := fieldKeys(decode[errorEnvelope](t, r).Error.Fields); !slices.Equal(got, []string{"cursor"}) {
				t.Errorf("%s: fields got %v, want [cursor]", path, got)
			}
		}
	})

	t.Run("a post created while paging does not disturb the list", func(t *testing.T) {
		q := url.Values{"quarter": {"2032-Q1"}, "limit": {"10"}}
		first := ts.list(t, anonymous, q)
		added := ts.createPost(t, post("offer", "Mural restoration", "quarter", "2032-Q1"))
		t.Cleanup(func() { ts.do(t, http.MethodDelete, fmt.Sprintf("/api/v1/posts/%d", added.ID), host, "") })
		q.Set("cursor", *first.NextCursor)
		rest := ts.listAll(t, anonymous, q, 10)
		all := append(ids(first.Posts), ids(rest)...)
		if slices.Contains(all, added.ID) {
			t.Errorf("the post added after page 1 (%d) showed up on a later page", added.ID)
		}
		if got := slices.Sorted(slices.Values(all)); !slices.Equal(got, created) {
			t.Errorf("posts seen (sorted): got %v, want each of %v exactly once", got, created)
		}
	})

	t.Run("a post created while paging does not disturb a search", func(t *testing.T) {
		q := url.Values{"q": {"mural"}, "limit": {"10"}}
		first := ts.list(t, anonymous, q)
		added := ts.createPost(t, post("offer", "Unrelated: kayak rentals", "quarter", "2032-Q2"))
		t.Cleanup(func() { ts.do(t, http.MethodDelete, fmt.Sprintf("/api/v1/posts/%d", added.ID), host, "") })
		q.Set("cursor", *first.NextCursor)
		all := append(ids(first.Posts), ids(ts.listAll(t, anonymous, q, 10))...)
		if got := slices.Sorted(slices.Values(all)); !slices.Equal(got, created) {
			t.Errorf("posts seen (sorted): got %v, want each of %v exactly once", got, created)
		}
	})
}

// TestHiddenPostsStayHiddenWhileIndexLags: the index can trail the database
// (between a commit and its catch-up, or after a failed catch-up). A post
// hidden in the database but still active in the index must not reach an
// anonymous caller.
func TestHiddenPostsStayHiddenWhileIndexLags(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	p := ts.createPost(t, post("offer", "Beekeeping courses for rooftop gardens"))
	hidden := match.StatusHidden
	// Straight to the database, as if the index write had not happened yet.
	if _, err := ts.App.Store.UpdatePost(context.Background(), p.ID, match.PostPatch{Status: &hidden}); err != nil {
		t.Fatal(err)
	}
	r := ts.do(t, http.MethodGet, "/api/v1/posts?q=beekeeping", anonymous, "")
	wantStatus(t, r, http.StatusOK)
	if got := ids(decode[postPageJSON](t, r).Posts); len(got) != 0 {
		t.Errorf("anonymous search: got %v, want the hidden post %d left out", got, p.ID)
	}
	if strings.Contains(string(r.Body), "owner@harbour.example") {
		t.Errorf("anonymous search leaks the email: %s", r)
	}
}
