package api

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/app"
)

// The tests in this file check what the service refuses before a handler
// does any work: bodies over their route's limit, bodies that come too
// slowly, cross-site writes, made-up methods in metrics, and text that
// hides characters. They talk to a server without the OpenAPI conformance
// wrapper, which reads every body first and so would hide what the server
// itself reads.

// newBareServer serves an app over real HTTP with nothing in between.
func newBareServer(t *testing.T, cfg Config) *testServer {
	t.Helper()
	a, err := app.Open(context.Background(), app.Config{DataDir: t.TempDir(), HostToken: hostToken})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	s := mustNew(t, a, cfg)
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return &testServer{URL: hs.URL, App: a, API: s, http: hs}
}

// rawRequest writes a request's head by hand (so that it can announce a
// body it never sends, or send one slowly) and returns the connection.
func rawRequest(t *testing.T, ts *testServer, head string) net.Conn {
	t.Helper()
	u, _ := url.Parse(ts.URL)
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	return conn
}

// readStatus reads the status line of the answer on conn, waiting at most
// wait; "" when the server closed the connection without one.
func readStatus(t *testing.T, conn net.Conn, wait time.Duration) string {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(wait))
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil && line == "" {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatalf("no answer within %v", wait)
		}
		return ""
	}
	return strings.TrimSpace(line)
}

// formRoutes are the pages emailed links open; their forms post a token.
var formRoutes = []string{"/confirm", "/signin", "/introduction", "/feedback", "/digest/request", "/unsubscribe"}

func TestBodiesOverTheirLimitAreRefusedBeforeReading(t *testing.T) {
	t.Parallel()
	ts := newBareServer(t, Config{ImportLimit: 64 << 10})
	before := ts.countPosts(t)

	// A body announced but never sent: the only way to answer is without
	// reading it.
	announced := []struct {
		method, path, contentType string
		size                      int
	}{
		{http.MethodPost, "/api/v1/posts", "application/json", 2 << 20},
		{http.MethodPost, "/api/v1/import", "application/x-ndjson", 1 << 20},
		{http.MethodPost, "/api/v1/drafts", "text/plain", 3 << 20},
		{http.MethodGet, "/api/v1/posts", "application/json", 2 << 10},
		{http.MethodDelete, "/api/v1/posts/1", "application/json", 2 << 20},
	}
	for _, path := range formRoutes {
		announced = append(announced, struct {
			method, path, contentType string
			size                      int
		}{http.MethodPost, path, "application/x-www-form-urlencoded", 8 << 20})
	}
	for _, c := range announced {
		conn := rawRequest(t, ts, fmt.Sprintf("%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
			c.method, c.path, hostToken, c.contentType, c.size))
		if got := readStatus(t, conn, 10*time.Second); !strings.Contains(got, " 413 ") {
			t.Errorf("%s %s announcing %d bytes: got %q, want 413 before the body is sent", c.method, c.path, c.size, got)
		}
	}

	// Bodies sent without a length (chunked) are cut off at the limit.
	chunked := func(path, contentType string, size int, w who) response {
		body := io.MultiReader(strings.NewReader("token="), strings.NewReader(strings.Repeat("a", size)))
		return ts.request(t, http.MethodPost, path, w, io.NopCloser(body), map[string]string{"Content-Type": contentType})
	}
	for _, path := range formRoutes {
		r := chunked(path, "application/x-www-form-urlencoded", 8<<20, anonymous)
		if r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s, an 8 MiB chunked form: got %s, want 413", path, r)
		}
	}
	r := chunked("/api/v1/posts", "application/json", 2<<20, host)
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	if e := decode[errorEnvelope](t, r); e.Error.Code != "too_large" {
		t.Errorf("413 body: %s", r)
	}
	r = ts.request(t, http.MethodPost, "/api/v1/import", host, io.NopCloser(strings.NewReader(strings.Repeat(importLine("x"), 1000))), nil)
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	r = ts.request(t, http.MethodPost, "/api/v1/drafts", host, io.NopCloser(strings.NewReader(strings.Repeat("Hello, I run a bakery.\n\n", 100_000))), map[string]string{"Content-Type": "text/plain"})
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	if !strings.Contains(string(r.Body), "a paste may hold at most") {
		t.Errorf("a paste too large should say how much a paste may hold: %s", r)
	}
	// A route that takes no body refuses one sent anyway before it acts.
	victim := ts.createPost(t, post("email", "victim@harbour.example"))
	before++
	for _, method := range []string{http.MethodDelete, http.MethodGet} {
		r = ts.request(t, method, fmt.Sprintf("/api/v1/posts/%d", victim.ID), host, io.NopCloser(strings.NewReader(strings.Repeat("x", 2<<20))), nil)
		if r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("%s of a post with a 2 MiB chunked body: got %s, want 413", method, r)
		}
	}
	if n := ts.countPosts(t); n != before {
		t.Errorf("refused bodies changed the posts: %d, then %d", before, n)
	}

	// What fits is answered as before.
	r = newBrowser(ts).form(t, "/signin", "not-a-token")
	if r.Status == http.StatusRequestEntityTooLarge || r.Status < 400 {
		t.Errorf("a small form with a made-up token: got %d, want a 4xx other than 413", r.Status)
	}
	wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/posts", host, jsonBody(post())), http.StatusCreated)
}

func TestSlowBodiesAreCutOff(t *testing.T) {
	t.Parallel()
	const window = time.Second
	ts := newBareServer(t, Config{BodyWindow: window})

	// A byte every 300 ms: 200 bytes would take a minute.
	conn := rawRequest(t, ts, fmt.Sprintf("POST /api/v1/posts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n", hostToken))
	start := time.Now()
	answered := make(chan string, 1)
	go func() {
		conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		line, _ := bufio.NewReader(conn).ReadString('\n')
		answered <- strings.TrimSpace(line)
	}()
	var status string
drip:
	for range 200 {
		select {
		case status = <-answered:
			break drip
		case <-time.After(300 * time.Millisecond):
			conn.Write([]byte(" "))
		}
	}
	took := time.Since(start)
	if status != "" && !strings.Contains(status, " 408 ") {
		t.Errorf("a body trickling in: got %q, want 408 or the connection closed", status)
	}
	// The rule allows one window with less than bodyPace bytes; the bound
	// here is generous, far below the minute the body would take.
	if took > 10*window {
		t.Errorf("a body trickling in held its connection for %v", took)
	}

	// An upload at a steady pace above the rule's minimum goes through,
	// though it takes several windows.
	var lines strings.Builder
	for i := range 40 {
		lines.WriteString(importLine(fmt.Sprintf("steady-%d", i)))
	}
	body := lines.String()
	pr, pw := io.Pipe()
	go func() {
		for i := 0; i < len(body); i += 2 << 10 {
			pw.Write([]byte(body[i:min(i+2<<10, len(body))]))
			time.Sleep(window / 3)
		}
		pw.Close()
	}()
	uploadStart := time.Now()
	r := ts.request(t, http.MethodPost, "/api/v1/import", host, pr, map[string]string{"Content-Type": "application/x-ndjson"})
	wantStatus(t, r, http.StatusOK)
	if created := decode[map[string]any](t, r)["created"]; created != float64(40) {
		t.Errorf("steady upload created %v posts, want 40: %s", created, r)
	}
	if time.Since(uploadStart) < 2*window {
		t.Fatalf("the steady upload took %v: it must span several windows to test the rule", time.Since(uploadStart))
	}
}

func TestCrossSiteWritesAreRefused(t *testing.T) {
	t.Parallel()
	ts := newBareServer(t, Config{TrustedOrigins: []string{"https://community.example"}})
	ts.createPost(t, post("email", "owner@harbour.example"))
	before := ts.countPosts(t)
	mails := len(ts.outbox(t))

	crossSite := []map[string]string{
		{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "null", "Sec-Fetch-Site": "same-site"},
	}
	form := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for _, h := range crossSite {
		for _, path := range formRoutes {
			r := ts.request(t, http.MethodPost, path, anonymous, strings.NewReader("token=x&answer=yes"), merge(form, h))
			if r.Status != http.StatusForbidden {
				t.Errorf("POST %s with %v: got %s, want 403", path, h, r)
			}
		}
		r := ts.request(t, http.MethodPost, "/api/v1/posts", host, strings.NewReader(jsonBody(post("business", "Forged Co"))), h)
		wantStatus(t, r, http.StatusForbidden)
		if e := decode[errorEnvelope](t, r); e.Error.Code != "forbidden" {
			t.Errorf("403 body: %s", r)
		}
		r = ts.request(t, http.MethodPost, "/api/v1/auth/sign-in-link", anonymous, strings.NewReader(`{"email":"owner@harbour.example"}`), h)
		wantStatus(t, r, http.StatusForbidden)
		// Reading is not a forgery.
		wantStatus(t, ts.request(t, http.MethodGet, "/api/v1/posts", anonymous, nil, h), http.StatusOK)
	}
	if n := ts.countPosts(t); n != before {
		t.Errorf("refused cross-site posts changed the posts: %d, then %d", before, n)
	}
	if n := len(ts.outbox(t)); n != mails {
		t.Errorf("a refused cross-site sign-in request sent mail: %d, then %d", mails, n)
	}

	// The service's own pages, a trusted origin and clients that are not
	// browsers are let through.
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "same-origin", "Origin": ts.URL},
		{"Origin": ts.URL},
		{"Sec-Fetch-Site": "none"},
		{"Origin": "https://community.example", "Sec-Fetch-Site": "cross-site"},
		{},
	} {
		r := ts.request(t, http.MethodPost, "/api/v1/posts", host, strings.NewReader(jsonBody(post("business", "Welcome Co", "email", "w@welcome.example"))), h)
		wantStatus(t, r, http.StatusCreated)
		ts.do(t, http.MethodDelete, fmt.Sprintf("/api/v1/posts/%d", decode[postView](t, r).ID), host, "")
	}
}

func merge(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func TestPrivateAnswersAreNotStored(t *testing.T) {
	t.Parallel()
	ts := newBareServer(t, Config{})
	p := ts.createPost(t, post())
	for _, c := range []struct {
		path string
		w    who
	}{
		{"/api/v1/drafts", host}, {"/api/v1/rounds", host}, {"/api/v1/intakes", host},
		{"/api/v1/posts", host}, {"/api/v1/posts", anonymous}, {fmt.Sprintf("/api/v1/posts/%d", p.ID), host},
		{"/api/v1/me", anonymous}, {"/api/v1/drafts", anonymous}, {"/metrics", host},
		{"/signin?token=x", anonymous}, {"/confirm?token=x", anonymous}, {"/unsubscribe?token=x", anonymous},
		{"/no/such/page", anonymous},
	} {
		r := ts.do(t, http.MethodGet, c.path, c.w, "")
		if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("GET %s as %s (%d): Cache-Control %q, want no-store", c.path, c.w, r.Status, cc)
		}
	}
	// The UI's files are the same for everyone: browsers keep them and
	// check back (no-cache with an ETag).
	r := ts.do(t, http.MethodGet, "/", anonymous, "")
	if cc := r.Header.Get("Cache-Control"); cc != "no-cache" || r.Header.Get("ETag") == "" {
		t.Errorf("GET /: Cache-Control %q, ETag %q", cc, r.Header.Get("ETag"))
	}
}

func TestMetricsLabelsAreBounded(t *testing.T) {
	t.Parallel()
	ts := newBareServer(t, Config{})
	series := func() (int, string) {
		r := ts.do(t, http.MethodGet, "/metrics", host, "")
		wantStatus(t, r, http.StatusOK)
		n := 0
		for line := range strings.Lines(string(r.Body)) {
			if strings.HasPrefix(line, "matchmaker_http_requests_total{") {
				n++
			}
		}
		return n, string(r.Body)
	}
	bogus := func(batch int) []string {
		var sent []string
		for i := range 25 {
			method := fmt.Sprintf("X%02dMETHOD%d", i, batch)
			path := fmt.Sprintf("/no/such/path/%d-%d", batch, i)
			ts.do(t, method, "/api/v1/posts", anonymous, "")
			ts.do(t, http.MethodGet, path, anonymous, "")
			ts.do(t, method, path, anonymous, "")
			sent = append(sent, method, path)
		}
		return sent
	}
	series() // its own series, counted from the second call on
	sent := bogus(1)
	first, body := series()
	for _, s := range sent {
		if strings.Contains(body, s) {
			t.Errorf("/metrics holds %q, which a caller made up", s)
		}
	}
	bogus(2)
	if second, body := series(); second != first {
		t.Errorf("made-up methods and paths added series: %d, then %d\n%s", first, second, body)
	}
}

func TestTextThatHidesCharactersIsRefused(t *testing.T) {
	t.Parallel()
	ts := newBareServer(t, Config{})
	before := ts.countPosts(t)
	hidden := map[string]string{
		"right-to-left override": "\u202e", "left-to-right isolate": "\u2066", "pop isolate": "\u2069",
		"right-to-left mark": "\u200f", "zero-width space": "\u200b", "zero-width joiner": "\u200d",
		"word joiner": "\u2060", "byte-order mark": "\ufeff", "soft hyphen": "\u00ad", "bell": "\u0007",
		"next line (C1)": "\u0085", "vertical tab": "\v", "tag letter": "\U000E0041", "Hangul filler": "\u3164",
		"Arabic letter mark": "\u061c", "line separator": "\u2028",
	}
	for name, c := range hidden {
		for _, field := range []string{"business", "industry", "region", "tags"} {
			var value any = "Acme" + c + "Bank"
			if field == "tags" {
				value = []string{"payroll", "pay" + c + "roll"}
			}
			r := ts.do(t, http.MethodPost, "/api/v1/posts", host, jsonBody(post(field, value)))
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s in %s: got %s, want 400", name, field, r)
				continue
			}
			if !namesField(decode[errorEnvelope](t, r).Error.Fields, field) {
				t.Errorf("%s in %s: the error does not name the field: %s", name, field, r)
			}
		}
	}
	// Free text may hold line breaks and the joiners scripts need, but not
	// what turns text around or hides it.
	for _, c := range []string{"\u202e", "\u2067", "\u200b", "\ufeff", "\u0007"} {
		r := ts.do(t, http.MethodPost, "/api/v1/posts", host, jsonBody(post("offer", "Bookkeeping for "+c+"dental practices")))
		wantStatus(t, r, http.StatusBadRequest)
		if !namesField(decode[errorEnvelope](t, r).Error.Fields, "offer") {
			t.Errorf("%U in offer: %s", []rune(c)[0], r)
		}
	}
	if n := ts.countPosts(t); n != before {
		t.Fatalf("refused posts were stored: %d, then %d", before, n)
	}

	// Names in any script, and free text with emoji sequences and Persian's
	// non-joiner, are accepted; text typed decomposed is stored composed.
	for _, name := range []string{"Café Ünal", "東京デザイン", "مكتب الرياض", "Ολυμπία Λογιστική", "Zoë & Çelik"} {
		wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/posts", host, jsonBody(post("business", name, "email", "x@"+fmt.Sprint(len(name))+".example"))), http.StatusCreated)
	}
	r := ts.do(t, http.MethodPost, "/api/v1/posts", host, jsonBody(post("business", "Cafe\u0301 Noir", "email", "noir@cafe.example",
		"offer", "Design studio 👩\u200d💻 for clinics; می\u200cخواهیم")))
	wantStatus(t, r, http.StatusCreated)
	got := decode[postView](t, ts.getPost(t, decode[postView](t, r).ID, host))
	if got.Business != "Caf\u00e9 Noir" {
		t.Errorf("business stored as %+q, want the composed %+q", got.Business, "Caf\u00e9 Noir")
	}
	// A change is held to the same rules.
	r = ts.do(t, http.MethodPatch, fmt.Sprintf("/api/v1/posts/%d", got.ID), host, `{"business":"Noir\u202eriaf"}`)
	wantStatus(t, r, http.StatusBadRequest)
	// So is an area's name, which arrives in the path.
	r = ts.do(t, http.MethodPut, "/api/v1/areas/"+url.PathEscape("Tri\u200bCounty"), host, `{"centre":"Albany","radius_km":40}`)
	wantStatus(t, r, http.StatusBadRequest)
	if !namesField(decode[errorEnvelope](t, r).Error.Fields, "name") {
		t.Errorf("area name: %s", r)
	}
}

// namesField reports whether an error's fields name field ("tags[1]"
// names "tags").
func namesField(fields map[string]string, field string) bool {
	for k := range fields {
		if k == field || strings.HasPrefix(k, field+"[") {
			return true
		}
	}
	return false
}

// TestEveryUnauthenticatedWriteIsRateLimited walks the route table: a
// write anyone may make counts against a per-address limit.
func TestEveryUnauthenticatedWriteIsRateLimited(t *testing.T) {
	s := &Server{}
	writes := 0
	for _, r := range s.routes() {
		if r.access != anyone || r.method == http.MethodGet || r.method == http.MethodHead {
			continue
		}
		writes++
		if r.limit == unlimited {
			t.Errorf("%s %s: anyone may call it, and it has no rate limit", r.method, r.path)
		}
	}
	if writes < 8 {
		t.Errorf("found %d unauthenticated writes; the route table has at least 8", writes)
	}
}
