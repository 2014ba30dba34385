package api

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
)

// Fuzz targets for what reaches the API from outside: emailed link tokens,
// credentials, JSON bodies and search parameters. Requests go straight to
// the handler (no sockets, so that fuzzing runs fast) of a real app: a
// SQLite file and a Bleve index in a temporary folder.

// newFuzzServer is a test server without the public rate limit, which would
// otherwise answer 429 after a few requests.
func newFuzzServer(f *testing.F) *testServer {
	f.Helper()
	return newTestServerWith(f, Config{PublicWritesPerHour: 1 << 30})
}

// serve sends one request to the handler and returns the response.
func (ts *testServer) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	ts.API.Handler().ServeHTTP(rec, req)
	return rec
}

func formRequest(path string, form url.Values) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// FuzzLinkTokens sends any token (and answer) to the pages that emailed
// links open and to the forms they post. An unknown token is a clean "this
// link does not work" page (404), a bad answer a 400, never a panic, a 500
// or a success; a token near a real one (the real one with anything added)
// is unknown too; and the token a page echoes into its form is escaped.
func FuzzLinkTokens(f *testing.F) {
	ts := newFuzzServer(f)
	issued := issuedConfirmToken(f, ts)
	for _, seed := range [][2]string{
		{"", ""}, {"mml_x", "accept"}, {"x", "decline"}, {"x", "5"}, {"x", "no"}, {"x", "0"}, {"x", "9999999999999999999999"},
		{`"><script>alert(1)</script>`, "accept"}, {"' onmouseover='x", "1"}, {"\x00\xff", "\xff"}, {"%00", "accept%00"},
		{strings.Repeat("A", 5000), "accept"}, {"mml_" + strings.Repeat("a", 43), "decline"},
	} {
		f.Add(seed[0], seed[1])
	}
	// Each page as shown for a plain token, without the token: the page for
	// any other token must be the same outside its token field.
	pages := map[string]string{}
	for _, path := range []string{"/confirm", "/signin", "/feedback"} {
		rec := ts.serve(httptest.NewRequest(http.MethodGet, path+"?token=plain", nil))
		pages[path] = strings.Replace(rec.Body.String(), `value="plain"`, `value=""`, 1)
	}
	f.Fuzz(func(t *testing.T, token, answer string) {
		for _, path := range []string{"/confirm", "/signin", "/introduction", "/feedback"} {
			tokens := []string{token}
			if token != "" {
				tokens = append(tokens, issued+token, token+issued)
			}
			for _, tok := range tokens {
				if tok == issued {
					continue // the real link works once; the link tests cover it
				}
				rec := ts.serve(formRequest(path, url.Values{"token": {tok}, "answer": {answer}}))
				want := http.StatusNotFound
				if path == "/introduction" && answer != "accept" && answer != "decline" ||
					path == "/feedback" && answer != "no" && !isRating(answer) {
					want = http.StatusBadRequest
				}
				if rec.Code != want {
					t.Fatalf("POST %s token=%q answer=%q: got %d %s, want %d", path, tok, answer, rec.Code, rec.Body, want)
				}
			}

			rec := ts.serve(httptest.NewRequest(http.MethodGet, path+"?"+url.Values{"token": {token}}.Encode(), nil))
			want := http.StatusOK
			if path == "/introduction" { // the page shows whom it introduces: it looks the token up
				want = http.StatusNotFound
			}
			if rec.Code != want || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
				t.Fatalf("GET %s?token=%q: got %d %s %s, want %d and a page", path, token, rec.Code, rec.Header().Get("Content-Type"), rec.Body, want)
			}
			if want == http.StatusOK {
				checkTokenField(t, rec.Body.String(), token, pages[path])
			}
		}
	})
}

var tokenField = regexp.MustCompile(`<input type="hidden" name="token" value="([^"]*)">`)

// checkTokenField checks that a page echoes token only inside its form's
// token field, escaped so that the browser posts it back as it was.
func checkTokenField(t *testing.T, body, token, page string) {
	t.Helper()
	loc := tokenField.FindAllStringSubmatchIndex(body, -1)
	if len(loc) != 1 {
		t.Fatalf("token %q: the page has %d token fields, want 1:\n%s", token, len(loc), body)
	}
	start, end := loc[0][2], loc[0][3]
	if rest := body[:start] + body[end:]; rest != page {
		t.Fatalf("token %q changed the page outside its field:\n%s", token, body)
	}
	if got := html.UnescapeString(body[start:end]); match.IsCleanText(token) && !strings.Contains(token, "\x00") && got != token {
		t.Fatalf("token %q is echoed as %q", token, got)
	}
}

// isRating is what the feedback form accepts as "we met": a whole number
// from 1 to 5 as strconv.Atoi reads it.
func isRating(s string) bool {
	s = strings.TrimPrefix(s, "+")
	s = strings.TrimLeft(s, "0")
	return len(s) == 1 && s[0] >= '1' && s[0] <= '5'
}

// issuedConfirmToken submits a post as a member would and returns the token
// of the confirmation link mailed for it.
func issuedConfirmToken(f *testing.F, ts *testServer) string {
	f.Helper()
	_, err := ts.App.SubmitPost(context.Background(), match.PostInput{Business: "Fuzz Co", Email: "fuzz@fuzz.example",
		Offer: "Fuzzing for web services", Seek: "Teams with parsers to test"})
	if err != nil {
		f.Fatal(err)
	}
	ts.App.WaitBackground()
	msgs, err := ts.App.Mailer().(*mail.Outbox).Messages()
	if err != nil || len(msgs) != 1 {
		f.Fatalf("outbox: %d messages, %v; want the confirmation", len(msgs), err)
	}
	m := linkToken.FindStringSubmatch(msgs[0].Text)
	if m == nil || m[1] != "confirm" {
		f.Fatalf("no confirmation link in %q", msgs[0].Text)
	}
	tok, err := url.QueryUnescape(m[2])
	if err != nil {
		f.Fatal(err)
	}
	return tok
}

// FuzzCredentials sends any Authorization header and session cookie. A
// forged credential never makes the caller the host or a member: asking
// who I am is a 401, listing hidden posts is refused, and nothing is a 500.
func FuzzCredentials(f *testing.F) {
	ts := newFuzzServer(f)
	for _, seed := range [][2]string{
		{"", ""}, {"Bearer", ""}, {"Bearer ", ""}, {"bearer mmh_x", ""}, {"Basic " + hostToken, ""},
		{"Bearer " + hostToken + "x", ""}, {"Bearer  " + hostToken[1:], ""}, {"Bearer mmp_" + strings.Repeat("a", 43), ""},
		{"Bearer mmp_", "mms_x"}, {"", "mms_" + strings.Repeat("b", 43)}, {"", "\x00;"}, {"Bearer \xff", "\xff"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, authorization, session string) {
		if strings.Contains(authorization, hostToken) {
			return // the host's own token, in whatever wrapping, is the host
		}
		for _, path := range []string{"/api/v1/me", "/api/v1/posts?status=hidden", "/api/v1/import"} {
			method := http.MethodGet
			if path == "/api/v1/import" {
				method = http.MethodPost
			}
			req := httptest.NewRequest(method, path, strings.NewReader("business,email,offer,seek\n"))
			if authorization != "" {
				req.Header.Set("Authorization", authorization)
			}
			if session != "" {
				// As sent, unchecked: http.Cookie would drop odd bytes.
				req.Header.Set("Cookie", sessionCookie+"="+session)
			}
			rec := ts.serve(req)
			if rec.Code != http.StatusUnauthorized && rec.Code != http.StatusForbidden {
				t.Fatalf("%s %s with Authorization %q, session %q: got %d %s, want 401 or 403",
					method, path, authorization, session, rec.Code, rec.Body)
			}
		}
	})
}

// FuzzCreatePost posts any body as the host. The API accepts exactly what
// intake.PostInput accepts (201), refuses the rest as invalid (400) or, for
// an import key already used, as a conflict (409); never a 500.
func FuzzCreatePost(f *testing.F) {
	ts := newFuzzServer(f)
	for _, s := range []string{
		`{"business":"Ledger Lane","email":"a@ledger.example","offer":"Bookkeeping for ecommerce","seek":"Shopify developers"}`,
		`{"business":"Ledger Lane","email":"a@ledger.example","offer":"Bookkeeping for ecommerce","seek":"Shopify developers","external_id":"x"}`,
		`{"business":"Ledger Lane","business":"Twice","email":"a@ledger.example","offer":"Bookkeeping for ecommerce","seek":"Shopify developers"}`,
		`{"business":null}`, `{"Business":"x"}`, `{}`, `null`, ``, `[`, `{"tags":["a","A"," a "]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/posts", strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+hostToken)
		req.Header.Set("Content-Type", "application/json")
		rec := ts.serve(req)
		_, err := intake.PostInput(body)
		switch {
		case rec.Code == http.StatusCreated && err == nil:
			var p postView
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.ID <= 0 {
				t.Fatalf("201 without a post: %s (%v)", rec.Body, err)
			}
		case rec.Code == http.StatusBadRequest && err != nil:
		case rec.Code == http.StatusConflict && err == nil && strings.Contains(string(body), "external_id"):
		default:
			t.Fatalf("POST /api/v1/posts %q: got %d %s; intake says %v", body, rec.Code, rec.Body, err)
		}
	})
}

// FuzzSearchParams lists posts with any query parameters: a search or a
// page of results (200), or a 400 naming what is wrong; never a 500.
func FuzzSearchParams(f *testing.F) {
	ts := newFuzzServer(f)
	ts.createPost(f, post("offer", "Bookkeeping for ecommerce brands"))
	ts.createPost(f, post("offer", "Wedding flowers and styling"))
	for _, seed := range [][3]string{
		{"bookkeeping", "", "1"}, {"", "", ""}, {"wedding", "cjoxOjE", "1"}, {"", "bjox", "2"}, {"x", "cjotMToy", ""},
		{"x", "cjo5OTk5OTk5OTk5OTk5OTk5OTk6MQ", "-1"}, {"x", "!!", "101"}, {`status:hidden`, "bjo", "0x10"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, q, cursor, limit string) {
		for _, who := range []string{"", "Bearer " + hostToken} {
			path := "/api/v1/posts?" + url.Values{"q": {q}, "cursor": {cursor}, "limit": {limit}}.Encode()
			req := httptest.NewRequest(http.MethodGet, path, nil)
			if who != "" {
				req.Header.Set("Authorization", who)
			}
			rec := ts.serve(req)
			switch rec.Code {
			case http.StatusOK:
				var page postPage
				if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
					t.Fatalf("GET %s: 200 with %s: %v", path, rec.Body, err)
				}
				for _, p := range page.Posts {
					if who == "" && (p.Email != "" || p.Status != string(match.StatusActive)) {
						t.Fatalf("GET %s: anonymous caller got %+v", path, p)
					}
				}
			case http.StatusBadRequest:
			default:
				t.Fatalf("GET %s (%q): got %d %s, want 200 or 400", path, who, rec.Code, rec.Body)
			}
		}
	})
}

// FuzzQueryParams sends any query string to every GET route (path
// parameters filled with real values), as the host and as nobody: the
// answer is never a 500, and a 200 that says JSON is JSON.
func FuzzQueryParams(f *testing.F) {
	ts := newFuzzServer(f)
	p := ts.createPost(f, post())
	var paths []string
	fill := strings.NewReplacer(":quarter", "2026-Q3", ":id", fmt.Sprint(p.ID), ":other", fmt.Sprint(p.ID),
		":item", "1", ":name", "Albany", ":kind", "customers")
	for _, r := range ts.API.routes() {
		if r.method == http.MethodGet {
			paths = append(paths, fill.Replace(r.path))
		}
	}
	for _, seed := range []string{"", "limit=5", "status=draft&sort=oldest", "intake=-1", "cursor=%ff%fe", "q=a&q=b",
		"limit=99999999999999999999", "quarter=2026-Q9", "format=csv", "sort=%00", "status=published&intake=1&sort=uncertain",
		"token=x&answer=yes", "lane=referral&region=Lisbon", "%zz", "a=%E2%80%AE"} {
		f.Add(uint16(len(seed)), seed)
	}
	f.Fuzz(func(t *testing.T, route uint16, query string) {
		path := paths[int(route)%len(paths)]
		for _, who := range []string{"", "Bearer " + hostToken} {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.URL.Path, req.URL.RawQuery = path, query
			if who != "" {
				req.Header.Set("Authorization", who)
			}
			rec := ts.serve(req)
			if rec.Code >= 500 && rec.Code != http.StatusServiceUnavailable {
				t.Fatalf("GET %s?%s (%q): %d %s", path, query, who, rec.Code, rec.Body)
			}
			if rec.Code == http.StatusOK && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") && !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("GET %s?%s: 200 with invalid JSON", path, query)
			}
		}
	})
}
