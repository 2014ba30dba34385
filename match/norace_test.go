//go:build !race

package match_test

// underRace is set when the tests run with the race detector (see
// race_test.go).
const underRace = false
