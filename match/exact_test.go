package match_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// TestFastPathIsExact holds the engine to its promise: the inverted-list
// path returns what scoring every eligible post would, for every kind of
// query, after the churn that rebuilds its lists (removals past the
// compaction threshold, growth past the idf refresh, status changes).
func TestFastPathIsExact(t *testing.T) {
	posts := syntheticPosts(t, 6000)
	rng := rand.New(rand.NewPCG(3, 4))
	quarters := []match.Quarter{"2026-Q2", "2026-Q3"}
	for i := range posts {
		posts[i].Quarter = quarters[rng.IntN(2)]
	}
	e := match.NewEngine(match.DefaultVocabulary(), match.DefaultWeights())
	e.Load(posts[:4000])
	// Churn: 1,500 removals (past the compaction threshold), 2,000 new
	// posts one by one (past several idf refreshes), some posts paused.
	for _, i := range rng.Perm(4000)[:1500] {
		e.Remove(posts[i].ID)
	}
	for _, p := range posts[4000:] {
		e.Upsert(p)
	}
	for i := range 300 {
		p := posts[4000+i*5]
		p.Status = match.StatusPaused
		e.Upsert(p)
	}
	var live []int64
	for _, p := range posts {
		if _, err := e.Explain(p.ID, p.ID); err == nil {
			live = append(live, p.ID)
		}
	}
	if want := 6000 - 1500; len(live) != want {
		t.Fatalf("engine holds %d posts, want %d", len(live), want)
	}
	// What answers teach reaches the lists too: words that answer others,
	// rival words, pairs lifted as good fits.
	var answers []match.Feedback
	for range 600 {
		a, b := live[rng.IntN(len(live))], live[rng.IntN(len(live))]
		f := match.Feedback{Post: a, Other: b, Verdict: match.GoodFit}
		if rng.IntN(4) == 0 {
			f.Verdict, f.Reason = match.NotAFit, match.ReasonCompetitor
		}
		answers = append(answers, f)
	}
	if learned := e.Learn(answers, nil); len(learned) < 10 {
		t.Fatalf("learned %d relations from 600 answers; the test needs some", len(learned))
	}
	lanes := []match.Lane{"", match.LaneStrategic, match.LaneReferral}
	for q := range 400 {
		id := live[rng.IntN(len(live))]
		opt := match.MatchOptions{Limit: 1 + rng.IntN(25), Lane: lanes[rng.IntN(3)], NoReasons: true}
		if q%3 == 0 {
			opt.Quarter = quarters[rng.IntN(2)]
		}
		if q%4 == 0 {
			banned := map[int64]bool{}
			for range 50 {
				banned[live[rng.IntN(len(live))]] = true
			}
			opt.Exclude = func(id int64) bool { return banned[id] }
		}
		fast, err := e.Matches(id, opt)
		if err != nil {
			t.Fatal(err)
		}
		opt.Exact = true
		exact, err := e.Matches(id, opt)
		if err != nil {
			t.Fatal(err)
		}
		if err := sameRanking(fast, exact); err != nil {
			t.Fatalf("post %d, %+v: %v", id, opt, err)
		}
	}
}

// sameRanking reports how two rankings differ beyond float rounding: the
// two paths add the same terms in another order, so a near tie may come
// out either way round.
func sameRanking(fast, exact []match.Match) error {
	if len(fast) != len(exact) {
		return fmt.Errorf("fast path gave %d matches, exhaustive %d", len(fast), len(exact))
	}
	const tolerance = 1e-5
	for i := range fast {
		if math.Abs(fast[i].Score-exact[i].Score) > tolerance {
			return fmt.Errorf("match %d scores %.6f on the fast path and %.6f exhaustively", i, fast[i].Score, exact[i].Score)
		}
		if fast[i].Post.ID != exact[i].Post.ID && !nearTie(exact, i, tolerance) {
			return fmt.Errorf("match %d is post %d on the fast path and %d exhaustively", i, fast[i].Post.ID, exact[i].Post.ID)
		}
	}
	return nil
}

func nearTie(ms []match.Match, i int, tolerance float64) bool {
	return i > 0 && ms[i-1].Score-ms[i].Score <= tolerance || i+1 < len(ms) && ms[i].Score-ms[i+1].Score <= tolerance ||
		i+1 == len(ms) // the last place may go to either of two near-equal posts
}

// TestQueriesDuringWrites runs queries on every core while posts are
// added, changed and removed (run it with -race): every answer must hold
// only other, active posts with sound scores, and the engine must end up
// holding what was written.
func TestQueriesDuringWrites(t *testing.T) {
	n := 2000 // loaded, then as many written
	if underRace {
		n = 600
	}
	posts := syntheticPosts(t, 2*n)
	e := loadedEngine(t, posts[:n])
	done := make(chan struct{})
	errs := make(chan error, 8)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for {
				select {
				case <-done:
					return
				default:
				}
				id := posts[rng.IntN(n)].ID
				ms, err := e.Matches(id, match.MatchOptions{Limit: 10})
				if err != nil {
					continue // removed meanwhile
				}
				for _, m := range ms {
					if m.Post.ID == id || m.Post.Status != match.StatusActive || m.Score <= 0 || m.Score > 1 {
						errs <- fmt.Errorf("post %d got %d (%s, %.3f)", id, m.Post.ID, m.Post.Status, m.Score)
						return
					}
				}
			}
		}()
	}
	for i, p := range posts[n:] {
		e.Upsert(p)
		if i%3 == 0 {
			e.Remove(posts[i].ID)
		}
		if i%500 == 0 && n+i+150 <= len(posts) {
			e.Apply(posts[n+i:n+i+150], nil) // a batch, which refreshes the idf table
		}
	}
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if want := 2*n - (n+2)/3; e.Len() != want { // every third loaded post removed
		t.Errorf("engine holds %d posts, want %d", e.Len(), want)
	}
}

// TestWritesDoNotWaitForARound checks that a whole-community computation
// lets writes through as it goes: a round over a large community takes
// tens of seconds, and posting must not hang meanwhile. The writes are
// made while Pairs runs; they must all be done before it is.
func TestWritesDoNotWaitForARound(t *testing.T) {
	posts := syntheticPosts(t, 12000)
	e := loadedEngine(t, posts[:10000])
	ids := make([]int64, 10000)
	for i := range ids {
		ids[i] = posts[i].ID
	}
	var roundDone atomic.Bool
	finished := make(chan []match.Pair)
	// The writes start once the round has: else they could all be done
	// before it began, and prove nothing.
	started := make(chan struct{})
	var once sync.Once
	opt := match.MatchOptions{Limit: 5, Exclude: func(int64) bool { once.Do(func() { close(started) }); return false }}
	go func() {
		pairs, _ := e.Pairs(context.Background(), ids, opt, nil)
		roundDone.Store(true)
		once.Do(func() { close(started) }) // should Exclude never be asked
		finished <- pairs
	}()
	<-started
	for _, p := range posts[10000:10050] {
		e.Upsert(p)
	}
	wroteDuringRound := !roundDone.Load()
	pairs := <-finished
	if len(pairs) < 10000 {
		t.Fatalf("the round gave %d pairs for 10,000 posts", len(pairs))
	}
	if !wroteDuringRound {
		t.Fatal("the writes waited for the whole round")
	}
	if e.Len() != 10050 {
		t.Errorf("engine holds %d posts, want 10050", e.Len())
	}
}

// TestQueriesGoOnWhileTheIDFTableIsRebuilt checks that a query is answered
// while a write rebuilds the idf table and the inverted lists (tens of
// milliseconds at 100,000 posts, which would otherwise stall every
// reader), and that the rebuilt engine still ranks exactly.
func TestQueriesGoOnWhileTheIDFTableIsRebuilt(t *testing.T) {
	posts := syntheticPosts(t, 2400)
	e := loadedEngine(t, posts[:2000])
	rebuilds := 0
	match.WhileRefreshing(e, func() {
		rebuilds++
		answered := make(chan error, 1)
		go func() {
			_, err := e.Matches(posts[0].ID, match.MatchOptions{Limit: 10})
			answered <- err
		}()
		select {
		case err := <-answered:
			if err != nil {
				t.Errorf("query during the rebuild: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a query waited for the idf table to be rebuilt")
		}
	})
	defer match.WhileRefreshing(e, nil)
	e.Apply(posts[2000:2200], nil) // a batch, which refreshes the idf table
	for _, p := range posts[2200:] {
		e.Upsert(p) // one at a time, until the count drifts past 2%
	}
	if rebuilds < 2 {
		t.Fatalf("%d rebuilds, want the batch's and the drift's", rebuilds)
	}
	for _, p := range posts[:400] {
		fast, err := e.Matches(p.ID, match.MatchOptions{Limit: 10, NoReasons: true})
		if err != nil {
			t.Fatal(err)
		}
		exact, _ := e.Matches(p.ID, match.MatchOptions{Limit: 10, NoReasons: true, Exact: true})
		if err := sameRanking(fast, exact); err != nil {
			t.Fatalf("post %d after the rebuilds: %v", p.ID, err)
		}
	}
}
