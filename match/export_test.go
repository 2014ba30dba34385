package match

// WhileRefreshing makes f run each time e has built a new idf table,
// before it lets go of the read lock; nil stops it.
func WhileRefreshing(e *Engine, f func()) {
	e.writing.Lock()
	defer e.writing.Unlock()
	e.refreshing = f
}
