package auth_test

import (
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/auth"
)

func TestTokens(t *testing.T) {
	a, b := auth.NewToken("mmh_"), auth.NewToken("mmh_")
	if a == b || !strings.HasPrefix(a, "mmh_") || len(a) < 40 {
		t.Fatalf("tokens %q and %q: want distinct, prefixed, 43+ random characters", a, b)
	}
	h := auth.Hash(a)
	if strings.Contains(h, a) || len(h) != 64 {
		t.Errorf("hash %q should be a 64-char digest that does not contain the token", h)
	}
	if !auth.Matches(a, h) {
		t.Error("a token does not match its own hash")
	}
	for _, wrong := range []string{b, "", a + "x", strings.ToUpper(a)} {
		if auth.Matches(wrong, h) {
			t.Errorf("token %q matched another token's hash", wrong)
		}
	}
	if auth.Matches("", "") {
		t.Error("an empty hash (no token configured) matched the empty token")
	}
}
