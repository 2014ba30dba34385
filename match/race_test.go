//go:build race

package match_test

// underRace is set when the tests run with the race detector, which makes
// them several times slower: the concurrency tests then use fewer posts.
const underRace = true
