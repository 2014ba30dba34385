package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
)

// hostToken is the host's token in every test server.
const hostToken = "mmh_test-host-token-4f1c9a"

// testServer is the API over a real app: a SQLite file and a Bleve index in
// a temporary data folder, served through real HTTP.
type testServer struct {
	URL  string
	App  *app.App
	API  *Server
	http *httptest.Server
}

// newTestServer starts the API with the default configuration.
func newTestServer(tb testing.TB) *testServer {
	tb.Helper()
	return newTestServerWith(tb, Config{})
}

func newTestServerWith(tb testing.TB, cfg Config) *testServer {
	tb.Helper()
	return newTestServerOn(tb, tb.TempDir(), cfg)
}

// newTestServerOn starts the API on the data folder dir.
func newTestServerOn(tb testing.TB, dir string, cfg Config) *testServer {
	tb.Helper()
	a, err := app.Open(context.Background(), app.Config{DataDir: dir, HostToken: hostToken})
	if err != nil {
		tb.Fatalf("open app: %v", err)
	}
	tb.Cleanup(func() {
		if err := a.Close(); err != nil {
			tb.Errorf("close app: %v", err)
		}
	})
	s := mustNew(tb, a, cfg)
	hs := httptest.NewServer(conformance(tb, s.Handler()))
	tb.Cleanup(hs.Close) // runs before the app is closed
	return &testServer{URL: hs.URL, App: a, API: s, http: hs}
}

// mustNew is New for tests.
func mustNew(tb testing.TB, a *app.App, cfg Config) *Server {
	tb.Helper()
	s, err := New(a, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// stop stops the server and closes its data folder, so that the folder
// can be copied.
func (ts *testServer) stop(tb testing.TB) {
	tb.Helper()
	ts.http.Close()
	if err := ts.App.Close(); err != nil {
		tb.Fatal(err)
	}
}

// who is the caller of a request, by what it sends as Authorization.
type who string

const (
	host       who = "host"
	anonymous  who = "anonymous"
	wrongToken who = "wrong token"
	// malformed sends the host's token under another scheme.
	malformed who = "malformed header"
	// bareBearer sends the scheme without a token.
	bareBearer who = "bare Bearer"
	// lowerBearer is the host spelling the scheme in lower case, which
	// RFC 7235 allows.
	lowerBearer who = "host (bearer in lower case)"
)

func (w who) isHost() bool { return w == host || w == lowerBearer }

func (w who) authorization() string {
	switch w {
	case host:
		return "Bearer " + hostToken
	case wrongToken:
		return "Bearer mmh_not-the-host-token"
	case malformed:
		return "Basic " + hostToken
	case bareBearer:
		return "Bearer"
	case lowerBearer:
		return "bearer " + hostToken
	}
	return ""
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) String() string {
	body := r.Body
	if len(body) > 600 {
		body = append(body[:600:600], "…"...)
	}
	return fmt.Sprintf("%d %s", r.Status, body)
}

// request sends one request; header entries are added after Authorization.
func (ts *testServer) request(tb testing.TB, method, path string, w who, body io.Reader, header map[string]string) response {
	tb.Helper()
	req, err := http.NewRequest(method, ts.URL+path, body)
	if err != nil {
		tb.Fatalf("new request: %v", err)
	}
	if a := w.authorization(); a != "" {
		req.Header.Set("Authorization", a)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: b}
}

func (ts *testServer) do(tb testing.TB, method, path string, w who, body string) response {
	tb.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	return ts.request(tb, method, path, w, r, nil)
}

func wantStatus(tb testing.TB, r response, want int) {
	tb.Helper()
	if r.Status != want {
		tb.Fatalf("status: got %s, want %d", r, want)
	}
}

func decode[T any](tb testing.TB, r response) T {
	tb.Helper()
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		tb.Fatalf("decode %T from %s: %v", v, r, err)
	}
	return v
}

// post returns a valid post input; kv pairs override fields, and a nil
// value leaves the field out.
func post(kv ...any) map[string]any {
	p := map[string]any{
		"business":  "Harbour & Co",
		"email":     "owner@harbour.example",
		"website":   "https://harbour.example",
		"offer":     "Bookkeeping and payroll for independent dental practices",
		"seek":      "A practice-management software vendor who serves dentists",
		"customers": "Dentists and orthodontists",
		"industry":  "Finance",
		"region":    "Lisbon",
		"tags":      []string{"bookkeeping", "payroll"},
		"lane":      "referral",
		"quarter":   "2026-Q3",
	}
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(p, kv[i].(string))
		} else {
			p[kv[i].(string)] = kv[i+1]
		}
	}
	return p
}

func jsonBody(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// createPost stores a post as the host and returns it as the host sees it.
func (ts *testServer) createPost(tb testing.TB, in map[string]any) postView {
	tb.Helper()
	r := ts.do(tb, http.MethodPost, "/api/v1/posts", host, jsonBody(in))
	wantStatus(tb, r, http.StatusCreated)
	return decode[postView](tb, r)
}

func (ts *testServer) getPost(tb testing.TB, id int64, w who) response {
	tb.Helper()
	return ts.do(tb, http.MethodGet, fmt.Sprintf("/api/v1/posts/%d", id), w, "")
}

// list returns one page of GET /api/v1/posts with the given query.
func (ts *testServer) list(tb testing.TB, w who, query url.Values) postPageJSON {
	tb.Helper()
	r := ts.do(tb, http.MethodGet, "/api/v1/posts?"+query.Encode(), w, "")
	wantStatus(tb, r, http.StatusOK)
	return decode[postPageJSON](tb, r)
}

// postPageJSON is postPage as a client reads it.
type postPageJSON struct {
	Posts      []postView `json:"posts"`
	NextCursor *string    `json:"next_cursor"`
}

// listAll follows next_cursor to the end and returns every post in order.
func (ts *testServer) listAll(tb testing.TB, w who, query url.Values, limit int) []postView {
	tb.Helper()
	query = maps.Clone(query)
	if query == nil {
		query = url.Values{}
	}
	query.Set("limit", strconv.Itoa(limit))
	var all []postView
	for page := 0; ; page++ {
		if page > 1000 {
			tb.Fatalf("listing %v: still more pages after 1000", query)
		}
		p := ts.list(tb, w, query)
		if len(p.Posts) > limit {
			tb.Fatalf("listing %v: got %d posts on a page, want at most %d", query, len(p.Posts), limit)
		}
		all = append(all, p.Posts...)
		if p.NextCursor == nil {
			return all
		}
		if *p.NextCursor == "" {
			tb.Fatalf("listing %v: next_cursor is present but empty", query)
		}
		query.Set("cursor", *p.NextCursor)
	}
}

func ids(posts []postView) []int64 {
	out := make([]int64, len(posts))
	for i, p := range posts {
		out[i] = p.ID
	}
	return out
}

// searchIDs returns the IDs of every post a search finds, in order.
func (ts *testServer) searchIDs(tb testing.TB, w who, kv ...string) []int64 {
	tb.Helper()
	q := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return ids(ts.listAll(tb, w, q, 100))
}

// snapshot is everything a write could change: every post as the host sees
// it, and the number of posts in the search index.
func (ts *testServer) snapshot(tb testing.TB) string {
	tb.Helper()
	n, err := ts.App.Index.DocCount()
	if err != nil {
		tb.Fatalf("index doc count: %v", err)
	}
	return fmt.Sprintf("index: %d\n%s", n, jsonBody(ts.listAll(tb, host, nil, 100)))
}

func (ts *testServer) countPosts(tb testing.TB) int {
	tb.Helper()
	return len(ts.listAll(tb, host, nil, 100))
}

// errorEnvelope is the error body as a client reads it.
type errorEnvelope struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// codeFor is the error code each status must carry.
var codeFor = map[int]string{
	http.StatusBadRequest:            match.EINVALID,
	http.StatusUnauthorized:          match.EUNAUTHORIZED,
	http.StatusForbidden:             match.EFORBIDDEN,
	http.StatusNotFound:              match.ENOTFOUND,
	http.StatusMethodNotAllowed:      codeMethod,
	http.StatusConflict:              match.ECONFLICT,
	http.StatusRequestEntityTooLarge: match.ETOOLARGE,
	http.StatusTooManyRequests:       match.ERATELIMITED,
}

// checkCommon checks what every API response must do whoever calls.
func checkCommon(tb testing.TB, r response) {
	tb.Helper()
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "same-origin",
	} {
		if got := r.Header.Get(name); got != want {
			tb.Errorf("header %s: got %q, want %q", name, got, want)
		}
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		tb.Errorf("header Content-Security-Policy: got %q, want it to contain default-src 'self'", csp)
	}
	if r.Header.Get(echo.HeaderXRequestID) == "" {
		tb.Errorf("header X-Request-Id is missing")
	}
	lower := strings.ToLower(string(r.Body))
	// The host's /metrics describes the runtime on purpose (goroutines,
	// database and index sizes): that is what it is for. It is known by its
	// format, Prometheus text exposition, not by what its body happens to say.
	if strings.HasPrefix(r.Header.Get(echo.HeaderContentType), "text/plain; version=0.0.4") {
		lower = ""
	}
	for _, leak := range []string{"sqlite", "goroutine", "panic", ".go:", "runtime error", "bleve"} {
		if strings.Contains(lower, leak) {
			tb.Errorf("response leaks internals (%q): %s", leak, r)
		}
	}
	if r.Status >= 400 {
		if ct := r.Header.Get(echo.HeaderContentType); !strings.HasPrefix(ct, echo.MIMEApplicationJSON) {
			tb.Errorf("error Content-Type: got %q, want %s", ct, echo.MIMEApplicationJSON)
		}
		env := decode[errorEnvelope](tb, r)
		if want := codeFor[r.Status]; env.Error.Code != want {
			tb.Errorf("error code: got %q, want %q (status %d)", env.Error.Code, want, r.Status)
		}
		if env.Error.Message == "" {
			tb.Errorf("error message is empty: %s", r)
		}
		if r.Status == http.StatusUnauthorized && !strings.HasPrefix(r.Header.Get(echo.HeaderWWWAuthenticate), "Bearer") {
			tb.Errorf("401 without a Bearer WWW-Authenticate header: %q", r.Header.Get(echo.HeaderWWWAuthenticate))
		}
	}
}

func fieldKeys(m map[string]string) []string {
	return slices.Sorted(maps.Keys(m))
}

// nonLatin returns a string of n characters (not bytes), mixing two- and
// three-byte UTF-8 sequences.
func nonLatin(n int) string {
	runes := []rune("жクλ語")
	var b strings.Builder
	for i := range n {
		b.WriteRune(runes[i%len(runes)])
	}
	return b.String()
}

// fixtures are posts every table row can refer to in its path as {name}.
type fixtures struct {
	active, hidden, paused, patchable, deletable postView
	// private are strings only the host may ever see.
	private []string
}

func (f fixtures) path(p string) string {
	id := func(v postView) string { return strconv.FormatInt(v.ID, 10) }
	return strings.NewReplacer("{active}", id(f.active), "{hidden}", id(f.hidden), "{paused}", id(f.paused),
		"{patchable}", id(f.patchable), "{deletable}", id(f.deletable)).Replace(p)
}

func makeFixtures(tb testing.TB, ts *testServer) fixtures {
	tb.Helper()
	var f fixtures
	mk := func(name, status string) postView {
		email, ext := name+".owner@private.example", "ext-"+name+"-7f3a"
		f.private = append(f.private, email, ext)
		return ts.createPost(tb, post("business", "Fixture "+name, "email", email, "external_id", ext, "status", status,
			"offer", "Fixture offer: copywriting for "+name+" clinics"))
	}
	f.active = mk("active", "active")
	f.hidden = mk("hidden", "hidden")
	f.paused = mk("paused", "paused")
	f.patchable = mk("patchable", "active")
	f.deletable = mk("deletable", "active")
	f.private = append(f.private, "owner@harbour.example")
	return f
}

// apiCase is one row of the API table.
type apiCase struct {
	name   string
	method string
	path   string // {active}, {hidden}, … stand for the fixtures' IDs
	who    who
	body   string
	status int
	// fields are the keys error.fields must have, exactly, for a 400.
	fields []string
	check  func(t *testing.T, f fixtures, r response)
}

func TestAPI(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	f := makeFixtures(t, ts)

	tooBig := `{"business": "Big", "email": "big@example.com", "seek": "someone who reads long posts", "offer": "` +
		strings.Repeat("x", 1<<20) + `"}`
	valid := jsonBody(post())

	var cases []apiCase
	add := func(c ...apiCase) { cases = append(cases, c...) }

	// Every endpoint × caller.
	add(
		apiCase{name: "health anonymous", method: "GET", path: "/healthz", who: anonymous, status: 200, check: wantHealthy},
		apiCase{name: "health host", method: "GET", path: "/healthz", who: host, status: 200, check: wantHealthy},
		apiCase{name: "health wrong token", method: "GET", path: "/healthz", who: wrongToken, status: 401},
		apiCase{name: "health malformed", method: "GET", path: "/healthz", who: malformed, status: 401},
		apiCase{name: "health POST", method: "POST", path: "/healthz", who: host, status: 405},

		apiCase{name: "openapi anonymous", method: "GET", path: "/api/v1/openapi.json", who: anonymous, status: 200, check: wantOpenAPI},
		apiCase{name: "openapi host", method: "GET", path: "/api/v1/openapi.json", who: host, status: 200, check: wantOpenAPI},
		apiCase{name: "openapi wrong token", method: "GET", path: "/api/v1/openapi.json", who: wrongToken, status: 401},
		apiCase{name: "openapi bare Bearer", method: "GET", path: "/api/v1/openapi.json", who: bareBearer, status: 401},
		apiCase{name: "openapi DELETE", method: "DELETE", path: "/api/v1/openapi.json", who: host, status: 405},

		apiCase{name: "list anonymous sees active posts only", method: "GET", path: "/api/v1/posts?limit=100", who: anonymous, status: 200,
			check: func(t *testing.T, f fixtures, r response) {
				got := ids(decode[postPageJSON](t, r).Posts)
				for _, p := range []postView{f.active, f.patchable, f.deletable} {
					if !slices.Contains(got, p.ID) {
						t.Errorf("active post %d missing from anonymous list %v", p.ID, got)
					}
				}
				for _, p := range []postView{f.hidden, f.paused} {
					if slices.Contains(got, p.ID) {
						t.Errorf("%s post %d in anonymous list %v", p.Status, p.ID, got)
					}
				}
			}},
		apiCase{name: "list host sees every post with emails", method: "GET", path: "/api/v1/posts?limit=100", who: host, status: 200,
			check: func(t *testing.T, f fixtures, r response) {
				got := decode[postPageJSON](t, r).Posts
				for _, want := range []postView{f.active, f.hidden, f.paused} {
					i := slices.IndexFunc(got, func(p postView) bool { return p.ID == want.ID })
					if i < 0 {
						t.Errorf("post %d (%s) missing from host list", want.ID, want.Status)
						continue
					}
					if got[i].Email != want.Email || got[i].ExternalID != want.ExternalID {
						t.Errorf("host list post %d: got email %q external_id %q, want %q %q",
							want.ID, got[i].Email, got[i].ExternalID, want.Email, want.ExternalID)
					}
				}
			}},
		apiCase{name: "search anonymous sees active posts only", method: "GET", path: "/api/v1/posts?q=copywriting+clinics", who: anonymous, status: 200,
			check: func(t *testing.T, f fixtures, r response) {
				got := slices.Sorted(slices.Values(ids(decode[postPageJSON](t, r).Posts)))
				if want := []int64{f.active.ID, f.patchable.ID, f.deletable.ID}; !slices.Equal(got, want) {
					t.Errorf("anonymous search: got %v, want the active fixtures %v", got, want)
				}
			}},
		apiCase{name: "search host sees every status", method: "GET", path: "/api/v1/posts?q=copywriting+clinics", who: host, status: 200,
			check: func(t *testing.T, f fixtures, r response) {
				got := slices.Sorted(slices.Values(ids(decode[postPageJSON](t, r).Posts)))
				if want := []int64{f.active.ID, f.hidden.ID, f.paused.ID, f.patchable.ID, f.deletable.ID}; !slices.Equal(got, want) {
					t.Errorf("host search: got %v, want every fixture %v", got, want)
				}
			}},
		apiCase{name: "list wrong token", method: "GET", path: "/api/v1/posts", who: wrongToken, status: 401},
		apiCase{name: "list malformed", method: "GET", path: "/api/v1/posts", who: malformed, status: 401},
		apiCase{name: "list bare Bearer", method: "GET", path: "/api/v1/posts", who: bareBearer, status: 401},
		apiCase{name: "list lower-case bearer scheme", method: "GET", path: "/api/v1/posts?status=hidden", who: lowerBearer, status: 200},
		apiCase{name: "list anonymous status=hidden", method: "GET", path: "/api/v1/posts?status=hidden", who: anonymous, status: 403},
		apiCase{name: "list anonymous status=paused", method: "GET", path: "/api/v1/posts?status=paused", who: anonymous, status: 403},
		apiCase{name: "list anonymous status=active", method: "GET", path: "/api/v1/posts?status=active", who: anonymous, status: 200},
		apiCase{name: "list host status=hidden", method: "GET", path: "/api/v1/posts?status=hidden", who: host, status: 200,
			check: func(t *testing.T, f fixtures, r response) {
				if got, want := ids(decode[postPageJSON](t, r).Posts), []int64{f.hidden.ID}; !slices.Equal(got, want) {
					t.Errorf("hidden posts: got %v, want %v", got, want)
				}
			}},
		apiCase{name: "list status bogus", method: "GET", path: "/api/v1/posts?status=deleted", who: anonymous, status: 400, fields: []string{"status"}},
		apiCase{name: "list limit 0", method: "GET", path: "/api/v1/posts?limit=0", who: anonymous, status: 400, fields: []string{"limit"}},
		apiCase{name: "list limit 101", method: "GET", path: "/api/v1/posts?limit=101", who: anonymous, status: 400, fields: []string{"limit"}},
		apiCase{name: "list limit x", method: "GET", path: "/api/v1/posts?limit=x", who: host, status: 400, fields: []string{"limit"}},
		apiCase{name: "list limit -1", method: "GET", path: "/api/v1/posts?limit=-1", who: host, status: 400, fields: []string{"limit"}},
		apiCase{name: "list limit 100", method: "GET", path: "/api/v1/posts?limit=100", who: anonymous, status: 200},
		apiCase{name: "list limit 1", method: "GET", path: "/api/v1/posts?limit=1", who: host, status: 200,
			check: func(t *testing.T, f fixtures, r response) {
				p := decode[postPageJSON](t, r)
				if len(p.Posts) != 1 || p.NextCursor == nil {
					t.Errorf("limit=1: got %d posts and cursor %v, want 1 post and a next_cursor", len(p.Posts), p.NextCursor)
				}
			}},
		apiCase{name: "list unknown parameter", method: "GET", path: "/api/v1/posts?sort=new", who: anonymous, status: 400, fields: []string{"sort"}},
		apiCase{name: "list several bad parameters", method: "GET", path: "/api/v1/posts?sort=new&lane=both&limit=x&quarter=2026-Q5", who: host,
			status: 400, fields: []string{"lane", "limit", "quarter", "sort"}},
		apiCase{name: "list bad lane", method: "GET", path: "/api/v1/posts?lane=both", who: anonymous, status: 400, fields: []string{"lane"}},
		apiCase{name: "list bad quarter", method: "GET", path: "/api/v1/posts?quarter=Q3-2026", who: anonymous, status: 400, fields: []string{"quarter"}},
		apiCase{name: "list industry too long", method: "GET", path: "/api/v1/posts?industry=" + url.QueryEscape(nonLatin(121)), who: anonymous,
			status: 400, fields: []string{"industry"}},
		apiCase{name: "list region at limit", method: "GET", path: "/api/v1/posts?region=" + url.QueryEscape(nonLatin(120)), who: anonymous, status: 200},
		apiCase{name: "list q at limit", method: "GET", path: "/api/v1/posts?q=" + url.QueryEscape(nonLatin(500)), who: anonymous, status: 200},
		apiCase{name: "list q too long", method: "GET", path: "/api/v1/posts?q=" + url.QueryEscape(nonLatin(501)), who: anonymous,
			status: 400, fields: []string{"q"}},
		apiCase{name: "list garbage cursor", method: "GET", path: "/api/v1/posts?cursor=%21%21not-a-cursor", who: anonymous, status: 400, fields: []string{"cursor"}},
		apiCase{name: "list cursor of id 0", method: "GET", path: "/api/v1/posts?cursor=" + b64("n:0"), who: anonymous, status: 400, fields: []string{"cursor"}},
		apiCase{name: "search garbage cursor", method: "GET", path: "/api/v1/posts?q=copywriting&cursor=" + b64("r:x:5"), who: anonymous, status: 400, fields: []string{"cursor"}},
		apiCase{name: "list PUT", method: "PUT", path: "/api/v1/posts", who: host, body: valid, status: 405},
		apiCase{name: "list DELETE", method: "DELETE", path: "/api/v1/posts", who: host, status: 405},

		apiCase{name: "create host", method: "POST", path: "/api/v1/posts", who: host, body: valid, status: 201,
			check: func(t *testing.T, f fixtures, r response) {
				p := decode[postView](t, r)
				if p.ID <= 0 || p.Email != "owner@harbour.example" || p.Status != "active" || p.Lane != "referral" {
					t.Errorf("created post: got id %d email %q status %q lane %q, want a positive id, the email, active, referral",
						p.ID, p.Email, p.Status, p.Lane)
				}
				if got, want := r.Header.Get("Location"), fmt.Sprintf("/api/v1/posts/%d", p.ID); got != want {
					t.Errorf("Location: got %q, want %q", got, want)
				}
			}},
		apiCase{name: "create defaults lane and quarter", method: "POST", path: "/api/v1/posts", who: host,
			body: jsonBody(post("lane", nil, "quarter", nil, "website", nil, "tags", nil)), status: 201,
			check: func(t *testing.T, f fixtures, r response) {
				p := decode[postView](t, r)
				if want := string(match.QuarterOf(p.CreatedAt)); p.Lane != "either" || p.Quarter != want || p.Tags == nil {
					t.Errorf("defaults: got lane %q quarter %q tags %v, want either, %s, []", p.Lane, p.Quarter, p.Tags, want)
				}
			}},
		apiCase{name: "create normalizes lane and quarter", method: "POST", path: "/api/v1/posts", who: host,
			body: jsonBody(post("lane", " Strategic ", "quarter", "2027-q1")), status: 201,
			check: func(t *testing.T, f fixtures, r response) {
				if p := decode[postView](t, r); p.Lane != "strategic" || p.Quarter != "2027-Q1" {
					t.Errorf("got lane %q quarter %q, want strategic 2027-Q1", p.Lane, p.Quarter)
				}
			}},
		apiCase{name: "create anonymous", method: "POST", path: "/api/v1/posts", who: anonymous, body: valid, status: 202,
			check: func(t *testing.T, f fixtures, r response) {
				if !bytes.Contains(r.Body, []byte(`"status":"pending"`)) {
					t.Errorf("a submitted post must wait for confirmation: %s", r)
				}
			}},
		apiCase{name: "create wrong token", method: "POST", path: "/api/v1/posts", who: wrongToken, body: valid, status: 401},
		apiCase{name: "create malformed", method: "POST", path: "/api/v1/posts", who: malformed, body: valid, status: 401},
		apiCase{name: "create bare Bearer", method: "POST", path: "/api/v1/posts", who: bareBearer, body: valid, status: 401},
		apiCase{name: "create anonymous bad body", method: "POST", path: "/api/v1/posts", who: anonymous, body: "{", status: 400},
		apiCase{name: "create anonymous too big", method: "POST", path: "/api/v1/posts", who: anonymous, body: tooBig, status: 413},
		apiCase{name: "create empty body", method: "POST", path: "/api/v1/posts", who: host, status: 400},
		apiCase{name: "create blank body", method: "POST", path: "/api/v1/posts", who: host, body: " \n\t", status: 400},
		apiCase{name: "create invalid JSON", method: "POST", path: "/api/v1/posts", who: host, body: `{"business": "Acme",}`, status: 400},
		apiCase{name: "create truncated JSON", method: "POST", path: "/api/v1/posts", who: host, body: valid[:len(valid)/2], status: 400},
		apiCase{name: "create array", method: "POST", path: "/api/v1/posts", who: host, body: `[` + valid + `]`, status: 400},
		apiCase{name: "create string", method: "POST", path: "/api/v1/posts", who: host, body: `"hello"`, status: 400},
		apiCase{name: "create trailing object", method: "POST", path: "/api/v1/posts", who: host, body: valid + valid, status: 400},
		apiCase{name: "create trailing garbage", method: "POST", path: "/api/v1/posts", who: host, body: valid + " x", status: 400},
		apiCase{name: "create trailing newline", method: "POST", path: "/api/v1/posts", who: host, body: valid + "\n", status: 201},
		apiCase{name: "create unknown field", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("colour", "red")), status: 400, fields: []string{"colour"}},
		apiCase{name: "create with id", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("id", 7)), status: 400, fields: []string{"id"}},
		apiCase{name: "create with created_at", method: "POST", path: "/api/v1/posts", who: host,
			body: jsonBody(post("created_at", "2020-01-01T00:00:00Z")), status: 400, fields: []string{"created_at"}},
		apiCase{name: "create business number", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("business", 5)), status: 400, fields: []string{"business"}},
		apiCase{name: "create offer bool", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("offer", true)), status: 400, fields: []string{"offer"}},
		apiCase{name: "create tags string", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("tags", "a,b")), status: 400, fields: []string{"tags"}},
		apiCase{name: "create tags numbers", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("tags", []int{1})), status: 400, fields: []string{"tags"}},
		apiCase{name: "create lane number", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("lane", 3)), status: 400, fields: []string{"lane"}},
		apiCase{name: "create email object", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("email", map[string]string{})), status: 400, fields: []string{"email"}},
		apiCase{name: "create missing everything", method: "POST", path: "/api/v1/posts", who: host, body: `{}`, status: 400,
			fields: []string{"business", "email", "offer", "seek"}},
		apiCase{name: "create missing email", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("email", nil)), status: 400, fields: []string{"email"}},
		apiCase{name: "create blank seek", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("seek", "   \n  ")), status: 400, fields: []string{"seek"}},
		apiCase{name: "create business too short", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("business", "ж")), status: 400, fields: []string{"business"}},
		apiCase{name: "create business at minimum", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("business", "語ж")), status: 201},
		apiCase{name: "create offer too short in characters", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("offer", nonLatin(9))), status: 400, fields: []string{"offer"}},
		apiCase{name: "create offer at minimum in characters", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("offer", nonLatin(10))), status: 201},
		apiCase{name: "create bad lane", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("lane", "both")), status: 400, fields: []string{"lane"}},
		apiCase{name: "create bad quarter", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("quarter", "2026-Q5")), status: 400, fields: []string{"quarter"}},
		apiCase{name: "create quarter wrong shape", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("quarter", "Q3 2026")), status: 400, fields: []string{"quarter"}},
		apiCase{name: "create website without scheme", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("website", "harbour.example")), status: 400, fields: []string{"website"}},
		apiCase{name: "create website ftp", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("website", "ftp://harbour.example/")), status: 400, fields: []string{"website"}},
		apiCase{name: "create website javascript", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("website", "javascript:alert(1)")), status: 400, fields: []string{"website"}},
		apiCase{name: "create bad email", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("email", "not-an-email")), status: 400, fields: []string{"email"}},
		apiCase{name: "create email without domain", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("email", "owner@")), status: 400, fields: []string{"email"}},
		apiCase{name: "create email too long", method: "POST", path: "/api/v1/posts", who: host,
			body: jsonBody(post("email", strings.Repeat("a", 64)+"@"+strings.Repeat("b", 186)+".com")), status: 400, fields: []string{"email"}},
		apiCase{name: "create status pending", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("status", "pending")), status: 400, fields: []string{"status"}},
		apiCase{name: "create control character", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("business", "Acme\u0000Co")), status: 400, fields: []string{"business"}},
		apiCase{name: "create empty tag", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("tags", []string{""})), status: 400, fields: []string{"tags[0]"}},
		apiCase{name: "create 20 tags", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("tags", numbered("t", 20))), status: 201},
		apiCase{name: "create 21 tags", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("tags", numbered("t", 21))), status: 400, fields: []string{"tags"}},
		apiCase{name: "create tag at limit", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("tags", []string{nonLatin(40)})), status: 201},
		apiCase{name: "create tag too long", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post("tags", []string{"ok", nonLatin(41)})), status: 400, fields: []string{"tags[1]"}},
		apiCase{name: "create website at limit", method: "POST", path: "/api/v1/posts", who: host,
			body: jsonBody(post("website", "https://harbour.example/"+nonLatin(476))), status: 201},
		apiCase{name: "create website too long", method: "POST", path: "/api/v1/posts", who: host,
			body: jsonBody(post("website", "https://harbour.example/"+nonLatin(477))), status: 400, fields: []string{"website"}},
		apiCase{name: "create several bad fields", method: "POST", path: "/api/v1/posts", who: host,
			body: jsonBody(post("business", "", "offer", "short", "lane", "both", "website", "nope")), status: 400,
			fields: []string{"business", "lane", "offer", "website"}},
		apiCase{name: "create duplicate external_id", method: "POST", path: "/api/v1/posts", who: host,
			body: jsonBody(post("external_id", "ext-active-7f3a")), status: 409},
		apiCase{name: "create body over 1 MiB", method: "POST", path: "/api/v1/posts", who: host, body: tooBig, status: 413},

		apiCase{name: "get active anonymous", method: "GET", path: "/api/v1/posts/{active}", who: anonymous, status: 200,
			check: func(t *testing.T, f fixtures, r response) {
				p := decode[postView](t, r)
				if p.ID != f.active.ID || p.Business != f.active.Business || p.Offer != f.active.Offer {
					t.Errorf("got post %d %q, want %d %q", p.ID, p.Business, f.active.ID, f.active.Business)
				}
				if bytes.Contains(r.Body, []byte(`"email"`)) || bytes.Contains(r.Body, []byte(`"external_id"`)) {
					t.Errorf("anonymous response has private keys: %s", r)
				}
			}},
		apiCase{name: "get active host", method: "GET", path: "/api/v1/posts/{active}", who: host, status: 200,
			check: func(t *testing.T, f fixtures, r response) {
				if got := decode[postView](t, r); !equalPost(got, f.active) {
					t.Errorf("got %+v, want %+v", got, f.active)
				}
			}},
		apiCase{name: "get active wrong token", method: "GET", path: "/api/v1/posts/{active}", who: wrongToken, status: 401},
		apiCase{name: "get active malformed", method: "GET", path: "/api/v1/posts/{active}", who: malformed, status: 401},
		apiCase{name: "get hidden anonymous", method: "GET", path: "/api/v1/posts/{hidden}", who: anonymous, status: 404},
		apiCase{name: "get paused anonymous", method: "GET", path: "/api/v1/posts/{paused}", who: anonymous, status: 404},
		apiCase{name: "get hidden host", method: "GET", path: "/api/v1/posts/{hidden}", who: host, status: 200},
		apiCase{name: "get paused host", method: "GET", path: "/api/v1/posts/{paused}", who: host, status: 200},
		apiCase{name: "get unknown anonymous", method: "GET", path: "/api/v1/posts/999999", who: anonymous, status: 404},
		apiCase{name: "get unknown host", method: "GET", path: "/api/v1/posts/999999", who: host, status: 404},
		apiCase{name: "get non-numeric id", method: "GET", path: "/api/v1/posts/abc", who: anonymous, status: 400, fields: []string{"id"}},
		apiCase{name: "get id 0", method: "GET", path: "/api/v1/posts/0", who: host, status: 400, fields: []string{"id"}},
		apiCase{name: "get negative id", method: "GET", path: "/api/v1/posts/-1", who: host, status: 400, fields: []string{"id"}},
		apiCase{name: "get fractional id", method: "GET", path: "/api/v1/posts/1.5", who: host, status: 400, fields: []string{"id"}},
		apiCase{name: "get id overflowing int64", method: "GET", path: "/api/v1/posts/99999999999999999999", who: host, status: 400, fields: []string{"id"}},
		apiCase{name: "post PUT", method: "PUT", path: "/api/v1/posts/{active}", who: host, body: valid, status: 405},

		apiCase{name: "patch host", method: "PATCH", path: "/api/v1/posts/{patchable}", who: host, body: `{"region": "Porto"}`, status: 200,
			check: func(t *testing.T, f fixtures, r response) {
				if p := decode[postView](t, r); p.Region != "Porto" || p.Offer != f.patchable.Offer {
					t.Errorf("patched: got region %q offer %q, want Porto and the old offer", p.Region, p.Offer)
				}
			}},
		apiCase{name: "patch anonymous", method: "PATCH", path: "/api/v1/posts/{active}", who: anonymous, body: `{"region": "Porto"}`, status: 401},
		apiCase{name: "patch wrong token", method: "PATCH", path: "/api/v1/posts/{active}", who: wrongToken, body: `{"region": "Porto"}`, status: 401},
		apiCase{name: "patch malformed", method: "PATCH", path: "/api/v1/posts/{active}", who: malformed, body: `{"region": "Porto"}`, status: 401},
		apiCase{name: "patch unknown id", method: "PATCH", path: "/api/v1/posts/999999", who: host, body: `{"region": "Porto"}`, status: 404},
		apiCase{name: "patch non-numeric id", method: "PATCH", path: "/api/v1/posts/abc", who: host, body: `{"region": "Porto"}`, status: 400, fields: []string{"id"}},
		apiCase{name: "patch empty body", method: "PATCH", path: "/api/v1/posts/{active}", who: host, status: 400},
		apiCase{name: "patch invalid JSON", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"region": }`, status: 400},
		apiCase{name: "patch trailing data", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"region": "Porto"} {}`, status: 400},
		apiCase{name: "patch unknown field", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"colour": "red"}`, status: 400, fields: []string{"colour"}},
		apiCase{name: "patch id", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"id": 1}`, status: 400, fields: []string{"id"}},
		apiCase{name: "patch wrong type", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"tags": "a"}`, status: 400, fields: []string{"tags"}},
		apiCase{name: "patch clear business", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"business": ""}`, status: 400, fields: []string{"business"}},
		apiCase{name: "patch clear email", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"email": ""}`, status: 400, fields: []string{"email"}},
		apiCase{name: "patch clear offer", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"offer": ""}`, status: 400, fields: []string{"offer"}},
		apiCase{name: "patch clear lane", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"lane": ""}`, status: 400, fields: []string{"lane"}},
		apiCase{name: "patch bad quarter", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"quarter": "2026-Q0"}`, status: 400, fields: []string{"quarter"}},
		apiCase{name: "patch bad website", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"website": "www.example.com"}`, status: 400, fields: []string{"website"}},
		apiCase{name: "patch bad email", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"email": "nobody"}`, status: 400, fields: []string{"email"}},
		apiCase{name: "patch status pending", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"status": "pending"}`, status: 400, fields: []string{"status"}},
		apiCase{name: "patch several bad fields", method: "PATCH", path: "/api/v1/posts/{active}", who: host,
			body: `{"offer": "short", "lane": "both", "region": "ok", "tags": [""]}`, status: 400, fields: []string{"lane", "offer", "tags[0]"}},
		apiCase{name: "patch duplicate external_id", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: `{"external_id": "ext-hidden-7f3a"}`, status: 409},
		apiCase{name: "patch body over 1 MiB", method: "PATCH", path: "/api/v1/posts/{active}", who: host, body: tooBig, status: 413},

		apiCase{name: "delete anonymous", method: "DELETE", path: "/api/v1/posts/{active}", who: anonymous, status: 401},
		apiCase{name: "delete wrong token", method: "DELETE", path: "/api/v1/posts/{active}", who: wrongToken, status: 401},
		apiCase{name: "delete malformed", method: "DELETE", path: "/api/v1/posts/{active}", who: malformed, status: 401},
		apiCase{name: "delete unknown id", method: "DELETE", path: "/api/v1/posts/999999", who: host, status: 404},
		apiCase{name: "delete non-numeric id", method: "DELETE", path: "/api/v1/posts/abc", who: host, status: 400, fields: []string{"id"}},
		apiCase{name: "delete host", method: "DELETE", path: "/api/v1/posts/{deletable}", who: host, status: 204,
			check: func(t *testing.T, f fixtures, r response) {
				if len(r.Body) != 0 {
					t.Errorf("204 with a body: %s", r)
				}
			}},

		apiCase{name: "import anonymous", method: "POST", path: "/api/v1/import", who: anonymous, body: importLine("anon-1"), status: 401},
		apiCase{name: "import wrong token", method: "POST", path: "/api/v1/import", who: wrongToken, body: importLine("wrong-1"), status: 401},
		apiCase{name: "import malformed", method: "POST", path: "/api/v1/import", who: malformed, body: importLine("malformed-1"), status: 401},
		apiCase{name: "import unknown format", method: "POST", path: "/api/v1/import?format=xml", who: host, body: importLine("xml-1"), status: 400, fields: []string{"format"}},
		apiCase{name: "import unknown parameter", method: "POST", path: "/api/v1/import?dry_run=1", who: host, body: importLine("dry-1"), status: 400, fields: []string{"dry_run"}},
		apiCase{name: "import CSV with unknown column", method: "POST", path: "/api/v1/import?format=csv", who: host,
			body: "business,email,offer,seek,colour\nAcme,a@acme.example,We make signage for shops,Printers who serve shops,red\n", status: 400},
		apiCase{name: "import empty CSV", method: "POST", path: "/api/v1/import?format=csv", who: host, status: 400},
		apiCase{name: "import host", method: "POST", path: "/api/v1/import", who: host, body: importLine("table-1"), status: 200,
			check: func(t *testing.T, f fixtures, r response) {
				if rep := decode[app.ImportReport](t, r); rep.Lines != 1 || rep.Created != 1 {
					t.Errorf("import report: got %+v, want 1 line, 1 created", rep)
				}
			}},
		apiCase{name: "import PUT", method: "PUT", path: "/api/v1/import", who: host, status: 405},

		apiCase{name: "unknown API path", method: "GET", path: "/api/v1/nothing-here", who: anonymous, status: 404},
	)

	// Each field's length limit, counted in characters: a non-Latin value
	// at the limit is stored whole, one character more is refused.
	for _, l := range []struct {
		field string
		max   int
	}{{"business", 120}, {"offer", 2000}, {"seek", 2000}, {"customers", 1000}, {"industry", 120}, {"region", 120}, {"external_id", 200}} {
		at, over := nonLatin(l.max), nonLatin(l.max+1)
		add(
			apiCase{name: "create " + l.field + " at limit", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post(l.field, at)), status: 201,
				check: func(t *testing.T, f fixtures, r response) {
					var got map[string]any
					if err := json.Unmarshal(r.Body, &got); err != nil {
						t.Fatal(err)
					}
					if got[l.field] != at {
						t.Errorf("%s: stored %d characters, want the %d sent", l.field, len([]rune(fmt.Sprint(got[l.field]))), l.max)
					}
				}},
			apiCase{name: "create " + l.field + " over limit", method: "POST", path: "/api/v1/posts", who: host, body: jsonBody(post(l.field, over)),
				status: 400, fields: []string{l.field}},
			apiCase{name: "patch " + l.field + " over limit", method: "PATCH", path: "/api/v1/posts/{active}", who: host,
				body: jsonBody(map[string]string{l.field: over}), status: 400, fields: []string{l.field}},
		)
	}

	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := ts.snapshot(t)
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			r := ts.request(t, c.method, f.path(c.path), c.who, body, nil)
			if r.Status != c.status {
				t.Fatalf("%s %s as %s: got %s, want status %d", c.method, c.path, c.who, r, c.status)
			}
			checkCommon(t, r)
			if c.status == http.StatusBadRequest {
				env := decode[errorEnvelope](t, r)
				want := slices.Sorted(slices.Values(c.fields))
				if got := fieldKeys(env.Error.Fields); !slices.Equal(got, want) {
					t.Errorf("error fields: got %v (%v), want %v", got, env.Error.Fields, want)
				}
			}
			if !c.who.isHost() {
				for _, s := range f.private {
					if bytes.Contains(r.Body, []byte(s)) {
						t.Errorf("%s response contains the private %q: %s", c.who, s, r)
					}
				}
				isPosts := strings.HasPrefix(c.path, "/api/v1/posts")
				if isPosts && (bytes.Contains(r.Body, []byte(`"email":`)) || bytes.Contains(r.Body, []byte(`"external_id":`))) {
					t.Errorf("%s response has email or external_id: %s", c.who, r)
				}
			}
			if c.check != nil {
				c.check(t, f, r)
			}
			isWrite := c.method != http.MethodGet
			if !isWrite || c.status >= 300 {
				if after := ts.snapshot(t); after != before {
					t.Errorf("%s %s (status %d) changed the stored posts:\nbefore: %.2000s\nafter:  %.2000s", c.method, c.path, r.Status, before, after)
				}
			}
		})
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func numbered(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%d", prefix, i)
	}
	return out
}

// importLine is one JSON Lines import line for a post with externalID.
func importLine(externalID string) string {
	return jsonBody(post("external_id", externalID, "business", "Imported "+externalID)) + "\n"
}

// wantHealthy wants a healthy server, whose matching engine has not been
// needed yet or is ready (the fixtures never hold it loading).
func wantHealthy(t *testing.T, f fixtures, r response) {
	h := decode[map[string]string](t, r)
	if h["status"] != "ok" || (h["matching"] != "idle" && h["matching"] != "ready") || len(h) != 2 {
		t.Errorf("health: %s", r.Body)
	}
}

func wantOpenAPI(t *testing.T, f fixtures, r response) {
	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") || len(doc.Paths) == 0 {
		t.Errorf("got openapi %q with %d paths, want an OpenAPI 3 document with paths", doc.OpenAPI, len(doc.Paths))
	}
}

// equalPost compares posts with timestamps compared as instants.
func equalPost(a, b postView) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) || !a.UpdatedAt.Equal(b.UpdatedAt) {
		return false
	}
	a.CreatedAt, a.UpdatedAt, b.CreatedAt, b.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return jsonBody(a) == jsonBody(b)
}

func TestUpdatePost(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	orig := ts.createPost(t, post("external_id", "patch-me", "lane", "strategic",
		"offer", "Wedding photography with a documentary eye", "seek", "Florists and venues who serve engaged couples"))
	path := fmt.Sprintf("/api/v1/posts/%d", orig.ID)

	patch := func(t *testing.T, body string) postView {
		t.Helper()
		r := ts.do(t, http.MethodPatch, path, host, body)
		wantStatus(t, r, http.StatusOK)
		got := decode[postView](t, r)
		if stored := decode[postView](t, ts.getPost(t, orig.ID, host)); !equalPost(stored, got) {
			t.Errorf("GET after PATCH: got %+v, want what PATCH returned %+v", stored, got)
		}
		return got
	}

	t.Run("partial update keeps the other fields", func(t *testing.T) {
		got := patch(t, `{"offer": "Elopement photography and quokka portraits"}`)
		want := orig
		want.Offer = "Elopement photography and quokka portraits"
		want.UpdatedAt = got.UpdatedAt
		if !equalPost(got, want) {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
		if !got.UpdatedAt.After(orig.UpdatedAt) {
			t.Errorf("updated_at: got %v, want after %v", got.UpdatedAt, orig.UpdatedAt)
		}
		if !got.CreatedAt.Equal(orig.CreatedAt) {
			t.Errorf("created_at: got %v, want unchanged %v", got.CreatedAt, orig.CreatedAt)
		}
		// The index follows at once: the new words find it, the old ones do not.
		if got := ts.searchIDs(t, anonymous, "q", "quokka"); !slices.Equal(got, []int64{orig.ID}) {
			t.Errorf("search for the new offer: got %v, want [%d]", got, orig.ID)
		}
		if got := ts.searchIDs(t, host, "q", "documentary"); len(got) != 0 {
			t.Errorf("search for the old offer: got %v, want nothing", got)
		}
		orig = got
	})

	t.Run("null and absent leave fields alone", func(t *testing.T) {
		got := patch(t, `{"website": null, "customers": null, "tags": null, "external_id": null}`)
		if !equalPost(got, orig) {
			t.Errorf("got %+v\nwant unchanged %+v", got, orig)
		}
		got = patch(t, `{}`)
		if !equalPost(got, orig) {
			t.Errorf("empty patch: got %+v\nwant unchanged %+v", got, orig)
		}
	})

	t.Run("empty string clears optional fields", func(t *testing.T) {
		got := patch(t, `{"website": "", "customers": "", "industry": "", "region": "", "tags": [], "external_id": ""}`)
		want := orig
		want.Website, want.Customers, want.Industry, want.Region, want.Tags, want.ExternalID = "", "", "", "", []string{}, ""
		want.UpdatedAt = got.UpdatedAt
		if !equalPost(got, want) {
			t.Errorf("got %+v\nwant %+v", got, want)
		}
		// The cleared external ID is free for another post.
		ts.createPost(t, post("external_id", "patch-me"))
		orig = got
	})

	t.Run("invalid values are refused and change nothing", func(t *testing.T) {
		r := ts.do(t, http.MethodPatch, path, host, `{"offer": "short", "lane": "both", "website": "nope", "quarter": "2026"}`)
		wantStatus(t, r, http.StatusBadRequest)
		if got, want := fieldKeys(decode[errorEnvelope](t, r).Error.Fields), []string{"lane", "offer", "quarter", "website"}; !slices.Equal(got, want) {
			t.Errorf("fields: got %v, want %v", got, want)
		}
		if got := decode[postView](t, ts.getPost(t, orig.ID, host)); !equalPost(got, orig) {
			t.Errorf("after a refused PATCH: got %+v\nwant %+v", got, orig)
		}
	})

	t.Run("normalizes like create", func(t *testing.T) {
		got := patch(t, `{"lane": " Referral", "quarter": "2027-q2", "business": "  Quokka   Studio  "}`)
		if got.Lane != "referral" || got.Quarter != "2027-Q2" || got.Business != "Quokka Studio" {
			t.Errorf("got lane %q quarter %q business %q, want referral 2027-Q2 \"Quokka Studio\"", got.Lane, got.Quarter, got.Business)
		}
		orig = got
	})

	t.Run("hiding takes the post out of anonymous view", func(t *testing.T) {
		patch(t, `{"status": "hidden"}`)
		wantStatus(t, ts.getPost(t, orig.ID, anonymous), http.StatusNotFound)
		if got := ts.searchIDs(t, anonymous, "q", "quokka"); len(got) != 0 {
			t.Errorf("anonymous search: got %v, want the hidden post left out", got)
		}
		if got := ts.searchIDs(t, host, "q", "quokka"); !slices.Equal(got, []int64{orig.ID}) {
			t.Errorf("host search: got %v, want [%d]", got, orig.ID)
		}
		patch(t, `{"status": "active"}`)
		wantStatus(t, ts.getPost(t, orig.ID, anonymous), http.StatusOK)
	})
}

func TestDeletePost(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	keep := ts.createPost(t, post("offer", "Signage and wayfinding for marsupial zoos"))
	gone := ts.createPost(t, post("offer", "Guided tours of marsupial sanctuaries"))
	if got := ts.searchIDs(t, anonymous, "q", "marsupial"); len(got) != 2 {
		t.Fatalf("before delete: search got %v, want both posts", got)
	}
	path := fmt.Sprintf("/api/v1/posts/%d", gone.ID)
	wantStatus(t, ts.do(t, http.MethodDelete, path, host, ""), http.StatusNoContent)

	for _, w := range []who{host, anonymous} {
		r := ts.getPost(t, gone.ID, w)
		wantStatus(t, r, http.StatusNotFound)
		checkCommon(t, r)
	}
	if got := ts.searchIDs(t, host, "q", "marsupial"); !slices.Equal(got, []int64{keep.ID}) {
		t.Errorf("search after delete: got %v, want [%d]", got, keep.ID)
	}
	if got := ts.searchIDs(t, host); !slices.Equal(got, []int64{keep.ID}) {
		t.Errorf("list after delete: got %v, want [%d]", got, keep.ID)
	}
	wantStatus(t, ts.do(t, http.MethodDelete, path, host, ""), http.StatusNotFound)
	wantStatus(t, ts.do(t, http.MethodPatch, path, host, `{"region": "Perth"}`), http.StatusNotFound)
}

func TestStaticPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	r := ts.do(t, http.MethodGet, "/", anonymous, "")
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get(echo.HeaderContentType); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type: got %q, want text/html", ct)
	}
	if r.Header.Get("X-Frame-Options") != "DENY" || r.Header.Get("Content-Security-Policy") == "" {
		t.Errorf("security headers missing on the UI: %v", r.Header)
	}
	etag := r.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on the UI page")
	}
	r = ts.request(t, http.MethodGet, "/", anonymous, nil, map[string]string{"If-None-Match": etag})
	wantStatus(t, r, http.StatusNotModified)
}
