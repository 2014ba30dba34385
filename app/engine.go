package app

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// loadBatch is how many posts loading hands the engine at a time.
const loadBatch = 5000

// matching is the matching engine, loaded on first need rather than when
// the data folder opens: with a million posts loading takes most of a
// minute, and a server must answer (search, posts, health) long before
// that; a command that never matches (import, backup, check) never loads
// it.
type matching struct {
	weights match.Weights
	once    sync.Once
	ready   chan struct{} // closed once loaded, or failed
	mu      sync.Mutex
	engine  *match.Engine // set when loaded, guarded by mu
	err     error         // why loading failed, guarded by mu
	started time.Time     // when loading began, guarded by mu
	// gate, when set (by tests), runs before loading, so that a test can
	// hold the engine loading.
	gate func(ctx context.Context)
}

func newMatching(w match.Weights) *matching {
	return &matching{weights: w, ready: make(chan struct{})}
}

// loaded returns the engine if it is loaded, or nil.
func (m *matching) loaded() *match.Engine {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.engine
}

// StartEngine begins loading the matching engine in the background, once.
// serve calls it at start, so that matching is ready soon after; other
// commands leave it until they first match.
func (a *App) StartEngine() {
	m := a.matching
	m.once.Do(func() {
		m.mu.Lock()
		m.started = time.Now()
		m.mu.Unlock()
		a.tasks.Add(1)
		go func() {
			defer a.tasks.Done()
			if m.gate != nil {
				m.gate(a.stop)
			}
			err := a.loadEngine(a.stop)
			if err != nil && a.stop.Err() == nil {
				a.Log.Error("load matching engine", "err", err)
			}
			m.mu.Lock()
			m.err = err
			m.mu.Unlock()
			close(m.ready)
		}()
	})
}

// Matching states, as health checks report them.
const (
	MatchingIdle    = "idle"    // not asked for yet: a command that never matched
	MatchingLoading = "loading" // reading every post
	MatchingReady   = "ready"
	MatchingFailed  = "failed" // see the log
)

// MatchingState says where the matching engine stands.
func (a *App) MatchingState() string {
	m := a.matching
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case m.engine != nil:
		return MatchingReady
	case m.err != nil:
		return MatchingFailed
	case !m.started.IsZero():
		return MatchingLoading
	}
	return MatchingIdle
}

// Matcher returns the matching engine, loading it first if need be: it
// waits until the engine is loaded or ctx ends. Background work (a round,
// a digest run) uses it; what a person waits for uses matcher.
func (a *App) Matcher(ctx context.Context) (*match.Engine, error) { return a.waitEngine(ctx, 0) }

// matcher is Matcher for what a person waits for: it waits at most
// Config.EngineWait, then returns an EUNAVAILABLE error saying the engine
// is loading (a server answers 503, and the person tries again).
func (a *App) matcher(ctx context.Context) (*match.Engine, error) {
	return a.waitEngine(ctx, a.engineWait)
}

// waitEngine waits for the engine at most patience (0: as long as ctx
// lasts).
func (a *App) waitEngine(ctx context.Context, patience time.Duration) (*match.Engine, error) {
	a.StartEngine()
	m := a.matching
	var timeout <-chan time.Time
	if patience > 0 {
		t := time.NewTimer(patience)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-m.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-timeout:
		m.mu.Lock()
		took := time.Since(m.started).Round(time.Second)
		m.mu.Unlock()
		return nil, match.Errorf(match.EUNAVAILABLE, "the matching engine is loading every post (for %s so far); try again in a moment", took)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err != nil {
		return nil, fmt.Errorf("load matching engine: %w", m.err)
	}
	return m.engine, nil
}

// loadEngine fills a new matching engine with every post, from one
// snapshot, and makes it the app's; then it gives it the host's areas and
// what the community's answers taught, and the changes since the
// snapshot. Areas and answers written while it loads are not lost:
// applyAreas and relearn leave an engine that is not loaded alone, and
// this reads them after making the engine the app's.
func (a *App) loadEngine(ctx context.Context) error {
	start := time.Now()
	engine := match.NewEngine(match.DefaultVocabulary(), a.matching.weights)
	// The posts go into the engine as they are read, a batch at a time:
	// holding them all first would add a copy of every post's text to the
	// peak memory of loading. They come from one snapshot (a read
	// transaction open while the engine loads); what was written
	// meanwhile is applied after, from the change log.
	var (
		seq int64
		n   int
		err error
	)
	engine.ApplyAll(func(yield func([]match.Post, []int64) bool) {
		batch := make([]match.Post, 0, loadBatch)
		seq, err = a.Store.EachPost(ctx, func(p match.Post) error {
			if batch = append(batch, p); len(batch) == loadBatch {
				if !yield(batch, nil) {
					return errStopped
				}
				batch = batch[:0] // the engine keeps copies, not the batch
			}
			n++
			return ctx.Err()
		})
		if err == nil && len(batch) > 0 {
			yield(batch, nil)
		}
	})
	if err != nil {
		return err
	}
	// Loading leaves behind as much garbage as the engine holds (every
	// post's analysis): hand that memory back to the system now rather
	// than keep it for the garbage collector's next cycles. A server's
	// memory after loading then drops by half.
	debug.FreeOSMemory()
	a.engineMu.Lock()
	a.engineSeq = seq
	a.matching.mu.Lock()
	a.matching.engine = engine
	a.matching.mu.Unlock()
	a.engineMu.Unlock()
	if err := a.applyAreas(ctx); err != nil {
		return err
	}
	if err := a.relearn(ctx); err != nil {
		return err
	}
	a.Log.Info("matching engine loaded", "posts", n, "took", time.Since(start).Round(time.Millisecond))
	return a.catchUp(ctx)
}

// HoldEngine makes the engine, once it starts loading, wait until release
// is closed or the app closes. It is for tests, which need to see what a
// server does while the engine loads; call it before anything loads it.
func (a *App) HoldEngine() (release chan struct{}) {
	r := make(chan struct{})
	a.matching.gate = waitFor(r)
	return r
}
