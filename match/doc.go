// Package match is the domain core of Matchmaker: posts, lanes, quarters,
// domain errors and (later) match scoring and explanations.
//
// It is pure Go: no I/O, no SQL, no HTTP. The adapters (store, index, api)
// depend on it; it depends on none of them.
package match
