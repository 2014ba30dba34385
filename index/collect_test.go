package index

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/matchmaker/matchmaker/match"
)

// TestCollectRanksLikeBleveByScoreThenID checks the hand-run collector
// against Bleve's own search: the same hits with the same scores, ordered
// by score and then by post ID (as numbers), for every page, with many
// exact ties and an index whose internal order no longer follows IDs
// (posts updated and deleted after they were indexed).
func TestCollectRanksLikeBleveByScoreThenID(t *testing.T) {
	ctx := context.Background()
	db, ix := openBoth(t)
	rng := rand.New(rand.NewPCG(5, 6))
	offers := []string{"Wedding photography for couples", "Wedding flowers and photography", "Dental billing for clinics",
		"Photography of dental clinics", "Bookkeeping for wedding venues"}
	var posts []match.Post
	for i := range 300 {
		in := match.PostInput{Business: fmt.Sprintf("Studio %d", i), Email: fmt.Sprintf("s%d@example.com", i),
			Offer: offers[rng.IntN(len(offers))], Seek: offers[rng.IntN(len(offers))]}
		p, err := db.CreatePost(ctx, in.Post(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		posts = append(posts, p)
		if i%50 == 49 { // several segments
			if err := ix.CatchUp(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, i := range rng.Perm(300)[:60] {
		offer := offers[rng.IntN(len(offers))]
		if _, err := db.UpdatePost(ctx, posts[i].ID, match.PostPatch{Offer: &offer}); err != nil {
			t.Fatal(err)
		}
	}
	for _, i := range rng.Perm(300)[:20] {
		if err := db.DeletePost(ctx, posts[i].ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := ix.CatchUp(ctx, db); err != nil {
		t.Fatal(err)
	}

	for _, text := range []string{"wedding", "photography", "dental clinics", "bookkeeping venues", "nothing-matches"} {
		// The reference: every hit from Bleve's own search, sorted here.
		mq := bleve.NewMatchQuery(text)
		mq.SetField(fieldOffer)
		res, err := ix.bleve.Search(bleve.NewSearchRequestOptions(mq, 1000, 0, false))
		if err != nil {
			t.Fatal(err)
		}
		var want []Hit
		for _, h := range res.Hits {
			id, _ := strconv.ParseInt(h.ID, 10, 64)
			want = append(want, Hit{ID: id, Score: h.Score})
		}
		slices.SortFunc(want, func(a, b Hit) int {
			if c := cmp.Compare(b.Score, a.Score); c != 0 {
				return c
			}
			return cmp.Compare(a.ID, b.ID)
		})
		ties := 0
		for i := 1; i < len(want); i++ {
			if want[i].Score == want[i-1].Score {
				ties++
			}
		}
		if text != "nothing-matches" && ties < 10 {
			t.Fatalf("%q: only %d ties; the test needs many", text, ties)
		}
		for _, n := range []int{1, 7, 40, 1000} {
			got, err := ix.collect(ctx, mq, n)
			if err != nil {
				t.Fatal(err)
			}
			if exp := want[:min(n, len(want))]; !slices.Equal(got, exp) {
				t.Fatalf("%q, best %d:\n got %v\nwant %v", text, n, got, exp)
			}
		}
	}
}
