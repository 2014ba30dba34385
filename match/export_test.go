package match

import "fmt"

// WhileRefreshing makes f run each time e has built a new idf table,
// before it lets go of the read lock; nil stops it.
func WhileRefreshing(e *Engine, f func()) {
	e.writing.Lock()
	defer e.writing.Unlock()
	e.refreshing = f
}

// PairFeatures describes the measures of the pair (a, b), for debugging.
func PairFeatures(e *Engine, a, b int64) string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	x, y := &e.docs[e.slots[a]], &e.docs[e.slots[b]]
	q := e.queryOf(x)
	f := e.pairFeatures(x, y, q)
	w := &e.weights
	return fmt.Sprintf("seek %.2f give %.2f near %.2f back %.2f cust %.2f topic %.2f whom %.2f same %.2f ss %.2f sn %.2f | fit %.2f aud %.2f rival %.2f raw %.3f",
		f.seek, f.give, f.near, f.nearBack, f.customers, f.topic, f.whom, f.same, f.sameSeek, f.sameNear, w.fit(&f), w.audience(&f), w.rivalry(&f, w.audience(&f)), w.raw(&f))
}
