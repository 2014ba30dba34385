package auth_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/auth"
)

var hexDigest = regexp.MustCompile(`^[0-9a-f]{64}$`)

// FuzzMatches checks the comparison every link, session and token lookup
// rests on: a token matches its own hash and nothing else does, whatever
// either string holds; a hash is always 64 lower-case hex digits (safe to
// store and to look up by); an empty hash matches nothing.
func FuzzMatches(f *testing.F) {
	real := auth.NewToken("mml_")
	for _, seed := range [][2]string{
		{real, real}, {real, real + "x"}, {real, strings.ToUpper(real)}, {real, auth.Hash(real)},
		{"", ""}, {"", " "}, {"mmh_", "mmh_"}, {"a\x00b", "a"}, {"\xff\xfe", "\ufffd\ufffd"}, {"é", "e\u0301"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, token, other string) {
		h := auth.Hash(token)
		if !hexDigest.MatchString(h) {
			t.Fatalf("Hash(%q) = %q, want 64 lower-case hex digits", token, h)
		}
		if !auth.Matches(token, h) {
			t.Fatalf("%q does not match its own hash", token)
		}
		if got := auth.Matches(other, h); got != (other == token) {
			t.Fatalf("Matches(%q, Hash(%q)) = %v", other, token, got)
		}
		// A stored value that is not a hash of anything (say, garbage in a
		// column) is never matched, and an empty one never at all.
		if auth.Matches(token, other) != (other == h) {
			t.Fatalf("Matches(%q, %q) = %v", token, other, !(other == h))
		}
		if auth.Matches(token, "") {
			t.Fatalf("%q matched the empty hash", token)
		}
	})
}
