package match

// ExplainAfresh explains the pair (a, b) as Explain does, but analysing
// both posts' texts anew instead of using the analyses the engine kept.
func ExplainAfresh(e *Engine, a, b int64) []string {
	e.mu.RLock()
	defer e.mu.RUnlock()
	x, y := &e.docs[e.slots[a]], &e.docs[e.slots[b]]
	seek := e.cosine(x.seek, y.offer, x.nSeek, y.nOffer)
	give := e.cosine(x.offer, y.seek, x.nOffer, y.nSeek)
	scores, score := e.score(x, y, seek, give)
	return e.explain(x.post, Match{Post: y.post, Score: score, Scores: scores}, analyses{})
}

// WhileRefreshing makes f run each time the engine has built a new idf
// table, before it lets go of the read lock; nil stops it.
func WhileRefreshing(f func()) { refreshing = f }
