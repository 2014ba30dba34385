package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/mail"
)

func TestProbeBoundedMetrics(t *testing.T) {
	t.Parallel()
	s := probeServer(t)
	first := bogusBatch(t, s, 50, "X07METHOD", "FOOBAR")
	metrics(t, s) // the first scrape's own series shows from the second on
	before, body := metrics(t, s)
	second := bogusBatch(t, s, 50)
	after, body2 := metrics(t, s)
	var leaked []string
	for _, name := range append(first, second...) {
		if strings.Contains(body, name) || strings.Contains(body2, name) {
			leaked = append(leaked, name)
		}
	}
	if len(leaked) > 0 {
		t.Errorf("/metrics holds %d of the %d made-up methods and paths sent, e.g. %q:\n%s",
			len(leaked), len(first)+len(second), leaked[0], matchingLines(body2, leaked[0]))
	}
	if after != before {
		t.Errorf("matchmaker_http_requests_total series: %d after 50 made-up methods and paths, %d after 50 more; want no growth\n%s",
			before, after, matchingLines(body2, "matchmaker_http_requests_total{"))
	}
}

func randomLetters(n int, from string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = from[rand.N(len(from))]
	}
	return string(b)
}

// bogusBatch sends n requests no route knows, a third each of made-up
// methods on a real path, GETs of made-up paths, and both; methods are
// used first. It returns the names it made up.
func bogusBatch(t *testing.T, s *server, n int, methods ...string) []string {
	t.Helper()
	const upper, lower = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
	var names []string
	for i := range n {
		method, path := http.MethodGet, "/api/v1/posts"
		if i%3 != 1 {
			method = randomLetters(20, upper)
			if len(methods) > 0 {
				method, methods = methods[0], methods[1:]
			}
			names = append(names, method)
		}
		if i%3 != 0 {
			path = "/no/such/path/" + randomLetters(12, lower)
			names = append(names, path)
		}
		res, body := s.send(t, method, path, nil, "")
		if res.StatusCode < 400 || res.StatusCode >= 500 {
			t.Errorf("%s %s: got %d %.200s, want 4xx", method, path, res.StatusCode, body)
		}
	}
	return names
}

// metrics scrapes /metrics as the host and counts the request counter's
// series.
func metrics(t *testing.T, s *server) (int, string) {
	t.Helper()
	status, body := s.do(t, http.MethodGet, "/metrics", probeToken, "")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics as the host: got %d %.300s, want 200", status, body)
	}
	n := 0
	for line := range strings.Lines(string(body)) {
		if strings.HasPrefix(line, "matchmaker_http_requests_total{") {
			n++
		}
	}
	if n == 0 {
		t.Fatalf("GET /metrics: no matchmaker_http_requests_total series:\n%.2000s", body)
	}
	return n, string(body)
}

func matchingLines(text, sub string) string {
	var out []string
	for line := range strings.Lines(text) {
		if strings.Contains(line, sub) {
			out = append(out, strings.TrimSpace(line))
		}
	}
	if len(out) > 20 {
		out = append(out[:20], fmt.Sprintf("… %d lines more", len(out)-20))
	}
	return strings.Join(out, "\n")
}

// TestProbeNoStore: answers that hold the host's or a member's data, and
// the pages emailed links open, are kept by no cache, errors included.
func TestProbeNoStore(t *testing.T) {
	t.Parallel()
	s := probeServer(t)
	p := s.createPost(t, probeToken, probePost("No Store Ltd"))
	member := headers("Cookie", s.signIn(t, p.Email))
	postPath := fmt.Sprintf("/api/v1/posts/%d", p.ID)
	form := headers("Content-Type", formType)
	for _, c := range []struct {
		who          string
		h            http.Header
		method, path string
		body         string
		status       int // 0: any answer below 500
	}{
		{"host", hostAuth(), "GET", "/api/v1/drafts", "", 200},
		{"host", hostAuth(), "GET", "/api/v1/rounds", "", 200},
		{"host", hostAuth(), "GET", "/api/v1/intakes", "", 200},
		{"host", hostAuth(), "GET", "/api/v1/posts?limit=5", "", 200},
		{"host", hostAuth(), "GET", postPath, "", 200},
		{"host", hostAuth(), "GET", "/api/v1/feedback", "", 200},
		{"host", hostAuth(), "GET", "/api/v1/areas", "", 200},
		{"host", hostAuth(), "GET", "/api/v1/posts/999999", "", 404},
		{"host", hostAuth(), "GET", "/api/v1/rounds/2020-Q1", "", 404},
		{"member", member, "GET", "/api/v1/me", "", 200},
		{"member", member, "GET", "/api/v1/me/posts", "", 200},
		{"member", member, "GET", "/api/v1/me/tokens", "", 200},
		{"member", member, "GET", "/api/v1/introductions", "", 200},
		{"member", member, "GET", postPath, "", 200},
		{"anonymous", nil, "GET", "/api/v1/drafts", "", 401},
		{"a wrong token", headers("Authorization", "Bearer not-the-token"), "GET", "/api/v1/rounds", "", 401},
		{"anonymous", nil, "GET", "/api/v1/me", "", 401},
		// Pages of emailed links: a made-up token may be refused at once.
		{"anonymous", nil, "GET", "/signin?token=x", "", 0},
		{"anonymous", nil, "GET", "/confirm?token=x", "", 0},
		{"anonymous", nil, "GET", "/unsubscribe?token=x", "", 0},
		{"anonymous", nil, "GET", "/introduction?token=x", "", 0},
		{"anonymous", nil, "GET", "/feedback?token=x", "", 0},
		{"anonymous", nil, "GET", "/digest/request?token=x", "", 0},
		{"anonymous", form, "POST", "/signin", "token=x", 0},
	} {
		res, body := s.send(t, c.method, c.path, c.h, c.body)
		if c.status == 0 && res.StatusCode >= 500 || c.status != 0 && res.StatusCode != c.status {
			t.Errorf("%s %s (%s): got %d %.200s, want %d; the probe did not reach the answer it checks", c.method, c.path, c.who, res.StatusCode, body, c.status)
		}
		if cc := strings.Join(res.Header.Values("Cache-Control"), ", "); !strings.Contains(cc, "no-store") {
			t.Errorf("%s %s (%s): %d with Cache-Control %q, want no-store", c.method, c.path, c.who, res.StatusCode, cc)
		}
	}
}

// crossSite are the ways a browser marks a request another site made.
var crossSite = []struct {
	name string
	h    http.Header
}{
	{"Origin and Sec-Fetch-Site", headers("Origin", evilOrigin, "Sec-Fetch-Site", "cross-site")},
	{"Origin only", headers("Origin", evilOrigin)},
	{"Sec-Fetch-Site only", headers("Sec-Fetch-Site", "cross-site")},
}

// sameOrigin are requests from the service's own pages, and from a client
// that is no browser (neither header).
func sameOrigin(s *server) []struct {
	name string
	h    http.Header
} {
	return []struct {
		name string
		h    http.Header
	}{
		{"Sec-Fetch-Site same-origin", headers("Sec-Fetch-Site", "same-origin")},
		{"Origin " + s.URL, headers("Origin", s.URL)},
		{"neither header", http.Header{}},
	}
}

// TestProbeCrossSite: a write another site's page makes in a member's or
// the host's browser is refused and changes nothing; the service's own
// pages, API clients and reads still work.
func TestProbeCrossSite(t *testing.T) {
	t.Parallel()
	t.Run("/api/v1/posts", func(t *testing.T) {
		t.Parallel()
		s := probeServer(t)
		before := len(s.posts(t, probeToken, nil))
		for _, cs := range crossSite {
			body := mustJSON(probePost("Cross Site Ltd"))
			if res, got := s.send(t, "POST", "/api/v1/posts", with(cs.h, "Content-Type", jsonType), body); res.StatusCode != http.StatusForbidden {
				t.Errorf("POST /api/v1/posts with %s cross-site: got %d %.200s, want 403", cs.name, res.StatusCode, got)
			}
		}
		if n := len(s.posts(t, probeToken, nil)); n != before {
			t.Errorf("posts after the cross-site POSTs: got %d, want %d", n, before)
		}
		for _, so := range sameOrigin(s) {
			h, want := with(so.h, "Content-Type", jsonType), http.StatusAccepted
			if len(so.h) == 0 {
				h, want = hostAuth("Content-Type", jsonType), http.StatusCreated // curl with the host's token
			}
			if res, got := s.send(t, "POST", "/api/v1/posts", h, mustJSON(probePost("Same Origin Ltd"))); res.StatusCode != want {
				t.Errorf("POST /api/v1/posts with %s: got %d %.200s, want %d", so.name, res.StatusCode, got, want)
			}
		}
		if n := len(s.posts(t, probeToken, nil)); n != before+3 {
			t.Errorf("posts after the same-origin POSTs: got %d, want %d", n, before+3)
		}
	})
	t.Run("/api/v1/auth/sign-in-link", func(t *testing.T) {
		t.Parallel()
		s := probeServer(t)
		p := s.createPost(t, probeToken, probePost("Sign In Link Ltd"))
		body := mustJSON(map[string]string{"email": p.Email})
		seen := outboxCount(t, s.Data)
		for _, cs := range crossSite {
			if res, got := s.send(t, "POST", "/api/v1/auth/sign-in-link", with(cs.h, "Content-Type", jsonType), body); res.StatusCode != http.StatusForbidden {
				t.Errorf("POST /api/v1/auth/sign-in-link with %s cross-site: got %d %.200s, want 403", cs.name, res.StatusCode, got)
			}
		}
		for i, so := range sameOrigin(s) {
			if res, got := s.send(t, "POST", "/api/v1/auth/sign-in-link", with(so.h, "Content-Type", jsonType), body); res.StatusCode != http.StatusAccepted {
				t.Errorf("POST /api/v1/auth/sign-in-link with %s: got %d %.200s, want 202", so.name, res.StatusCode, got)
			}
			if i > 0 {
				continue
			}
			// Links are mailed in the background: wait for the one asked for
			// the right way, and a moment more for any the refused ones queued.
			waitForMail(t, s.Data, seen)
			time.Sleep(time.Second)
			if n := outboxCount(t, s.Data) - seen; n != 1 {
				t.Errorf("emails after three cross-site requests for a sign-in link and one same-origin: got %d, want 1", n)
			}
		}
	})
	t.Run("/confirm", func(t *testing.T) {
		t.Parallel()
		s := probeServer(t)
		// Three submissions, one for each way of confirming that must work.
		type pending struct {
			id    int64
			email string
		}
		var subs []pending
		for i := range 3 {
			in := probePost(fmt.Sprintf("Confirm %d Ltd", i))
			status, body := s.do(t, "POST", "/api/v1/posts", "", mustJSON(in))
			var reply struct{ Post post }
			if err := json.Unmarshal(body, &reply); status != http.StatusAccepted || err != nil {
				t.Fatalf("submit a post: got %d %s, want 202", status, body)
			}
			subs = append(subs, pending{reply.Post.ID, in["email"].(string)})
		}
		var mails []mail.Message
		for len(mails) < 3 {
			mails = waitForMail(t, s.Data, len(mails))
		}
		token := func(email string) string {
			for _, m := range mails {
				if m.To == email {
					return linkToken(t, m, "confirm")
				}
			}
			t.Fatalf("no confirmation mail to %s", email)
			return ""
		}
		status := func(id int64) string {
			_, body := s.do(t, "GET", fmt.Sprintf("/api/v1/posts/%d", id), probeToken, "")
			var p struct{ Status string }
			json.Unmarshal(body, &p)
			return p.Status
		}
		first := url.Values{"token": {token(subs[0].email)}}.Encode()
		for _, cs := range crossSite {
			if res, got := s.send(t, "POST", "/confirm", with(cs.h, "Content-Type", formType), first); res.StatusCode != http.StatusForbidden {
				t.Errorf("POST /confirm with a real token and %s cross-site: got %d %.200s, want 403", cs.name, res.StatusCode, got)
			}
		}
		if got := status(subs[0].id); got != "pending" {
			t.Errorf("post %d after cross-site confirmations: status %q, want pending", subs[0].id, got)
		}
		for i, so := range sameOrigin(s) {
			form := url.Values{"token": {token(subs[i].email)}}.Encode()
			if res, got := s.send(t, "POST", "/confirm", with(so.h, "Content-Type", formType), form); res.StatusCode != http.StatusOK {
				t.Errorf("POST /confirm with %s: got %d %.200s, want 200", so.name, res.StatusCode, got)
			}
			if got := status(subs[i].id); got != "active" {
				t.Errorf("post %d confirmed with %s: status %q, want active", subs[i].id, so.name, got)
			}
		}
	})
	t.Run("/signin", func(t *testing.T) {
		t.Parallel()
		s := probeServer(t)
		p := s.createPost(t, probeToken, probePost("Sign In Ltd"))
		form := url.Values{"token": {s.signInLink(t, p.Email)}}.Encode()
		for _, cs := range crossSite {
			res, got := s.send(t, "POST", "/signin", with(cs.h, "Content-Type", formType), form)
			if res.StatusCode != http.StatusForbidden || len(res.Cookies()) > 0 {
				t.Errorf("POST /signin with a real token and %s cross-site: got %d, cookies %v, %.200s; want 403 and no cookie", cs.name, res.StatusCode, res.Cookies(), got)
			}
		}
		for i, so := range sameOrigin(s) {
			if i > 0 {
				form = url.Values{"token": {s.signInLink(t, p.Email)}}.Encode()
			}
			// The first same-origin sign-in spends the token the refused
			// requests carried: they left it unspent.
			res, got := s.send(t, "POST", "/signin", with(so.h, "Content-Type", formType), form)
			if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) == 0 {
				t.Errorf("POST /signin with %s: got %d, cookies %v, %.200s; want 303 and a session cookie", so.name, res.StatusCode, res.Cookies(), got)
			}
		}
	})
	for _, path := range []string{"/feedback", "/introduction", "/unsubscribe", "/digest/request"} {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			s := probeServer(t)
			form := linkForms[path].Encode()
			plain, body := s.send(t, "POST", path, headers("Content-Type", formType), form)
			if plain.StatusCode == http.StatusForbidden {
				t.Fatalf("POST %s %q with no Origin or Sec-Fetch-Site: got 403 %.200s, want the usual answer to a made-up token", path, form, body)
			}
			for _, cs := range crossSite {
				if res, got := s.send(t, "POST", path, with(cs.h, "Content-Type", formType), form); res.StatusCode != http.StatusForbidden {
					t.Errorf("POST %s with %s cross-site: got %d %.200s, want 403", path, cs.name, res.StatusCode, got)
				}
			}
			for _, so := range sameOrigin(s)[:2] {
				if res, got := s.send(t, "POST", path, with(so.h, "Content-Type", formType), form); res.StatusCode != plain.StatusCode {
					t.Errorf("POST %s %q with %s: got %d %.200s, want %d as without the header", path, form, so.name, res.StatusCode, got, plain.StatusCode)
				}
			}
		})
	}
	t.Run("reads", func(t *testing.T) {
		t.Parallel()
		s := probeServer(t)
		for _, r := range []struct{ method, path string }{
			{"GET", "/api/v1/posts"}, {"HEAD", "/api/v1/posts"}, {"GET", "/signin?token=x"},
			{"GET", "/confirm?token=x"}, {"GET", "/healthz"}, {"GET", "/"}, {"HEAD", "/"},
			{"GET", "/api/v1/posts/999999"},
		} {
			plain, _ := s.send(t, r.method, r.path, nil, "")
			for _, cs := range crossSite {
				res, got := s.send(t, r.method, r.path, cs.h, "")
				if res.StatusCode != plain.StatusCode || res.StatusCode == http.StatusForbidden {
					t.Errorf("%s %s with %s cross-site: got %d %.200s, want %d as without the headers", r.method, r.path, cs.name, res.StatusCode, got, plain.StatusCode)
				}
			}
		}
	})
}

// TestProbeUnicodeText: post text cannot hide or reorder characters to
// pass one business off as another, and is stored in one normal form;
// letters of any script are welcome.
func TestProbeUnicodeText(t *testing.T) {
	t.Parallel()
	s := probeServer(t)
	before := len(s.posts(t, probeToken, nil))
	bidi := []rune{'\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'}
	hidden := append([]rune{'\u200b', '\u200e', '\u200f', '\ufeff', '\u00ad', '\u2060', '\u0007', '\u0085', '\U000E0041'}, bidi...)
	for _, c := range []struct {
		field string
		runes []rune
	}{
		{"business", hidden}, {"industry", hidden}, {"region", hidden}, {"tags", hidden},
		{"offer", bidi}, {"seek", bidi},
	} {
		var wrong []string
		sample := ""
		for _, r := range c.runes {
			in := probePost("Acme Studio")
			text := fmt.Sprintf("Acme%cStudio design work", r)
			if c.field == "tags" {
				in["tags"] = []string{"design", text}
			} else {
				in[c.field] = text
			}
			status, body := s.do(t, "POST", "/api/v1/posts", probeToken, mustJSON(in))
			var reply errorReply
			json.Unmarshal(body, &reply)
			named := false
			for key := range reply.Error.Fields {
				named = named || key == c.field || c.field == "tags" && strings.HasPrefix(key, "tags")
			}
			if status != http.StatusBadRequest || !named {
				wrong = append(wrong, fmt.Sprintf("%U: %d", r, status))
				if sample == "" {
					sample = fmt.Sprintf("%U: %d %.300s", r, status, body)
				}
			}
		}
		if len(wrong) > 0 {
			t.Errorf("create a post whose %s holds a hidden or reordering character: want 400 with fields naming %s, got\n%s\nthe first in full: %s",
				c.field, c.field, strings.Join(wrong, ", "), sample)
		}
	}
	if n := len(s.posts(t, probeToken, nil)); n != before {
		t.Errorf("posts after the refused creates: got %d, want %d (nothing stored)", n, before)
	}

	in := probePost("Cafe\u0301 Noir")
	in["region"] = "Mu\u0308nchen"
	in["offer"] = "Cre\u0300me brule\u0301e for wedding caterers"
	p := s.createPost(t, probeToken, in)
	_, body := s.do(t, "GET", fmt.Sprintf("/api/v1/posts/%d", p.ID), probeToken, "")
	var stored struct{ Business, Region, Offer string }
	if err := json.Unmarshal(body, &stored); err != nil {
		t.Fatalf("GET post %d: %v: %s", p.ID, err, body)
	}
	for _, f := range []struct{ field, got, want string }{
		{"business", stored.Business, "Caf\u00e9 Noir"},
		{"region", stored.Region, "M\u00fcnchen"},
		{"offer", stored.Offer, "Cr\u00e8me brul\u00e9e for wedding caterers"},
	} {
		if f.got != f.want {
			t.Errorf("%s written in NFD: stored %+q, want NFC %+q", f.field, f.got, f.want)
		}
	}

	for _, name := range []string{"Café Ünal", "東京デザイン", "مكتب الرياض", "Москва Дизайн"} {
		status, body := s.do(t, "POST", "/api/v1/posts", probeToken, mustJSON(probePost(name)))
		var p struct{ Business string }
		json.Unmarshal(body, &p)
		if status != http.StatusCreated || p.Business != name {
			t.Errorf("create a post for %q: got %d %.300s, want 201 with the name kept", name, status, body)
		}
	}
}

// slowCutoff is the bound the specification sets on a slow client. A server
// that cuts off at exactly that is measured a little over it, more so on a
// loaded machine: slowSlack absorbs that. A server that never cuts off is
// caught at probeWait.
