package match

// ExplainAfresh explains the pair (a, b) as Explain does, but analysing
// both posts' texts anew instead of using the analyses the engine kept.
func ExplainAfresh(e *Engine, a, b int64) []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	return e.pair(e.slots[a], e.slots[b], analyses{}).Reasons
}

// KeptAnalyses returns how many live posts have their analyses kept.
func KeptAnalyses(e *Engine) int {
	e.mu.RLock()
	defer e.mu.RUnlock()
	n := 0
	for _, d := range e.docs {
		if d.alive && d.texts.counts != nil {
			n++
		}
	}
	return n
}

// WhileRefreshing makes f run each time e has built a new idf table,
// before it lets go of the read lock; nil stops it.
func WhileRefreshing(e *Engine, f func()) {
	e.writing.Lock()
	defer e.writing.Unlock()
	e.refreshing = f
}
