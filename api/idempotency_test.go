package api

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// A write sent twice with one Idempotency-Key acts once: introducing a
// pair twice (a double click, a retry after a lost answer) emails its
// members once, and the repeat gets the first answer, marked replayed.
func TestIdempotencyKeyActsOnce(t *testing.T) {
	ts := newTestServer(t)
	importEvalSet(t, ts)
	ts.runRound(t, `{"quarter":"2026-Q3"}`)
	s := approvedPair(t, ts, 0)
	introduce := fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d/introduce", s.ID)
	keyed := func(w who, method, path, key, body string) response {
		t.Helper()
		h := map[string]string{"Idempotency-Key": key}
		if body != "" {
			h["Content-Type"] = "application/json"
		}
		return ts.request(t, method, path, w, strings.NewReader(body), h)
	}

	before := len(ts.outbox(t))
	// Two at once, as a double click sends them: one runs, the other
	// waits its turn for the answer or is told the first still runs.
	var wg sync.WaitGroup
	answers := make([]response, 2)
	for i := range answers {
		wg.Go(func() { answers[i] = keyed(host, http.MethodPost, introduce, "intro-1", "") })
	}
	wg.Wait()
	// One ran (its answer not replayed); the other, had it come after the
	// first's answer, got that answer replayed.
	var first response
	ran := 0
	for _, r := range answers {
		switch r.Status {
		case http.StatusCreated:
			if r.Header.Get("Idempotent-Replayed") == "" {
				first = r
				ran++
			}
		case http.StatusConflict:
			if !strings.Contains(string(r.Body), "still running") {
				t.Errorf("a repeat during the first: %s, want 'still running'", r)
			}
		default:
			t.Errorf("a keyed introduction answered %s", r)
		}
	}
	if ran != 1 {
		t.Fatalf("%d keyed introductions ran, want one: %v", ran, answers)
	}

	// Sent again later: the first answer, word for word, marked replayed.
	again := keyed(host, http.MethodPost, introduce, "intro-1", "")
	wantStatus(t, again, http.StatusCreated)
	if again.Header.Get("Idempotent-Replayed") != "true" || string(again.Body) != string(first.Body) {
		t.Errorf("the repeat: %s (replayed %q), want the first answer %s", again, again.Header.Get("Idempotent-Replayed"), first)
	}
	if n := len(ts.outbox(t)) - before; n != 2 {
		t.Errorf("%d emails after introducing with one key three times, want 2 (one to each member)", n)
	}

	// A new key is a new write: refused on its merits, as without a key.
	wantStatus(t, keyed(host, http.MethodPost, introduce, "intro-2", ""), http.StatusConflict)
	// The same key for another request is a mistake, named.
	other := fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d", s.ID)
	r := keyed(host, http.MethodPatch, other, "intro-1", `{"note":"x"}`)
	wantStatus(t, r, http.StatusBadRequest)
	if !strings.Contains(string(r.Body), "another request") {
		t.Errorf("a key reused for another request: %s", r)
	}
	// A key that is not one: too long, or not visible ASCII.
	wantStatus(t, keyed(host, http.MethodPost, introduce, strings.Repeat("k", 256), ""), http.StatusBadRequest)
	wantStatus(t, keyed(host, http.MethodPost, introduce, "clé", ""), http.StatusBadRequest)

	// One caller's key is not another's: two members making a personal
	// token with the same key and body each get their own, and the host's
	// key of the same name answers neither.
	tokens := map[string]string{}
	for _, email := range []string{s.A.Post.Email, s.B.Post.Email} {
		m := signIn(t, ts, email)
		h := map[string]string{"Content-Type": "application/json", csrfHeader: m.csrf, "Idempotency-Key": "intro-1"}
		r := m.do(t, http.MethodPost, "/api/v1/me/tokens", `{"name":"shop"}`, h)
		wantStatus(t, r, http.StatusCreated)
		if r.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("%s's first token with key intro-1 came back replayed: %s", email, r)
		}
		tokens[decode[tokenView](t, r).Token] = email
	}
	if len(tokens) != 2 {
		t.Errorf("two members with one key got one token between them: %v", tokens)
	}

	// Refusals are kept as well: a second send of a refused write is
	// refused the same way without running.
	bad := keyed(host, http.MethodPatch, other, "note-1", `{"status":"flying"}`)
	wantStatus(t, bad, http.StatusBadRequest)
	again = keyed(host, http.MethodPatch, other, "note-1", `{"status":"flying"}`)
	if again.Status != bad.Status || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("a refused keyed write sent again: %s, want the refusal replayed", again)
	}
}
