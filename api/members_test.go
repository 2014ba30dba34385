package api

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/mail"
)

// sentMail is an email as the outbox holds it, decoded.
type sentMail struct {
	To, Subject, Text, HTML string
}

// outbox returns the emails written so far, oldest first.
func (ts *testServer) outbox(t *testing.T) []sentMail {
	t.Helper()
	ts.App.WaitBackground()
	ob, ok := ts.App.Mailer().(*mail.Outbox)
	if !ok {
		t.Fatalf("the test app does not write mail to an outbox")
	}
	msgs, err := ob.Messages()
	if err != nil {
		t.Fatal(err)
	}
	var out []sentMail
	for _, m := range msgs {
		if m.Text == "" || m.HTML == "" {
			t.Fatalf("an email to %s lacks a text or an HTML part", m.To)
		}
		out = append(out, sentMail{To: "<" + m.To + ">", Subject: m.Subject, Text: m.Text, HTML: m.HTML})
	}
	return out
}

var linkToken = regexp.MustCompile(`/(confirm|signin)\?token=([A-Za-z0-9_%-]+)`)

// tokenIn returns the token of the link of that kind in an email's text.
func tokenIn(t *testing.T, m sentMail, kind string) string {
	t.Helper()
	for _, found := range linkToken.FindAllStringSubmatch(m.Text, -1) {
		if found[1] == kind {
			tok, _ := url.QueryUnescape(found[2])
			if !strings.Contains(m.HTML, found[0]) && !strings.Contains(m.HTML, strings.ReplaceAll(found[0], "&", "&amp;")) {
				t.Errorf("the HTML part lacks the link %s", found[0])
			}
			return tok
		}
	}
	t.Fatalf("no /%s link in the email %q:\n%s", kind, m.Subject, m.Text)
	return ""
}

// browser is a member's browser: it keeps cookies and sends the CSRF token.
type browser struct {
	ts     *testServer
	client *http.Client
	csrf   string
}

func newBrowser(ts *testServer) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{ts: ts, client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (b *browser) do(t *testing.T, method, path, body string, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, b.ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return response{Status: res.StatusCode, Header: res.Header, Body: data}
}

func (b *browser) form(t *testing.T, path, token string) response {
	return b.do(t, http.MethodPost, path, url.Values{"token": {token}}.Encode(),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// api calls the API as this browser, with the CSRF token on writes.
func (b *browser) api(t *testing.T, method, path, body string) response {
	h := map[string]string{"Content-Type": "application/json"}
	if method != http.MethodGet && b.csrf != "" {
		h[csrfHeader] = b.csrf
	}
	return b.do(t, method, path, body, h)
}

func TestMemberSubmitsConfirmsAndSignsIn(t *testing.T) {
	ts := newTestServer(t)
	anon := newBrowser(ts)

	// An anonymous submission waits for its owner's confirmation.
	r := anon.api(t, http.MethodPost, "/api/v1/posts", jsonBody(post("email", "Owner@Harbour.example", "status", nil)))
	wantStatus(t, r, http.StatusAccepted)
	submitted := decode[struct{ Post postView }](t, r).Post
	if submitted.Status != "pending" || strings.Contains(string(r.Body), "owner@harbour.example") {
		t.Fatalf("submitted post: %s; want pending, without the address", r)
	}
	wantStatus(t, ts.getPost(t, submitted.ID, anonymous), http.StatusNotFound)
	if ids := ts.searchIDs(t, anonymous, "q", "bookkeeping"); len(ids) != 0 {
		t.Errorf("a pending post is listed: %v", ids)
	}

	mails := ts.outbox(t)
	if len(mails) != 1 || mails[0].To != "<owner@harbour.example>" || !strings.Contains(mails[0].Subject, "Confirm") {
		t.Fatalf("after submitting: mails %+v, want one confirmation to owner@harbour.example", mails)
	}
	if !strings.Contains(mails[0].HTML, "Harbour &amp; Co") {
		t.Errorf("the HTML part should show the business name, escaped: %s", mails[0].HTML)
	}
	confirm := tokenIn(t, mails[0], "confirm")

	// The link opens a page whose button publishes the post; once.
	page := anon.do(t, http.MethodGet, "/confirm?token="+url.QueryEscape(confirm), "", nil)
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(string(page.Body), `value="`+confirm+`"`) {
		t.Errorf("the confirmation page does not carry the token in its form")
	}
	if got := ts.getPost(t, submitted.ID, host); !strings.Contains(string(got.Body), `"status":"pending"`) {
		t.Errorf("opening the page (as a mail scanner would) published the post: %s", got)
	}
	wantStatus(t, anon.form(t, "/confirm", confirm), http.StatusOK)
	if got := ts.getPost(t, submitted.ID, anonymous); got.Status != http.StatusOK || !strings.Contains(string(got.Body), `"status":"active"`) {
		t.Errorf("after confirming: %s, want the post active and public", got)
	}
	wantStatus(t, anon.form(t, "/confirm", confirm), http.StatusNotFound)

	// Sign-in: a link for a known address; nothing for an unknown one, and
	// the same answer to both.
	for _, addr := range []string{"nobody@nowhere.example", "owner@harbour.example"} {
		r := anon.api(t, http.MethodPost, "/api/v1/auth/sign-in-link", fmt.Sprintf(`{"email":%q}`, addr))
		wantStatus(t, r, http.StatusAccepted)
	}
	mails = ts.outbox(t)
	if len(mails) != 2 || mails[1].To != "<owner@harbour.example>" || !strings.Contains(mails[1].Subject, "sign-in") {
		t.Fatalf("after asking for sign-in links: %d mails (%+v), want one more, to the known address", len(mails), mails)
	}
	signIn := tokenIn(t, mails[1], "signin")

	member := newBrowser(ts)
	r = member.form(t, "/signin", signIn)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sign in: %s, want 303", r)
	}
	cookie := r.Header.Get("Set-Cookie")
	for _, want := range []string{sessionCookie + "=mms_", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %q", cookie, want)
		}
	}
	wantStatus(t, newBrowser(ts).form(t, "/signin", signIn), http.StatusNotFound) // single use

	me := decode[meView](t, member.api(t, http.MethodGet, "/api/v1/me", ""))
	if me.Email != "owner@harbour.example" || me.CSRFToken == "" {
		t.Fatalf("me: %+v", me)
	}
	mine := decode[postPageJSON](t, member.api(t, http.MethodGet, "/api/v1/me/posts", ""))
	if len(mine.Posts) != 1 || mine.Posts[0].ID != submitted.ID || mine.Posts[0].Email != "owner@harbour.example" {
		t.Errorf("my posts: %+v", mine.Posts)
	}

	// Writes by cookie need the CSRF token.
	path := fmt.Sprintf("/api/v1/posts/%d", submitted.ID)
	wantStatus(t, member.api(t, http.MethodPatch, path, `{"status":"paused"}`), http.StatusForbidden)
	member.csrf = "forged"
	wantStatus(t, member.api(t, http.MethodPatch, path, `{"status":"paused"}`), http.StatusForbidden)
	member.csrf = me.CSRFToken
	wantStatus(t, member.api(t, http.MethodPatch, path, `{"status":"paused"}`), http.StatusOK)
	wantStatus(t, member.api(t, http.MethodPatch, path, `{"status":"active"}`), http.StatusOK)
	for body, field := range map[string]string{`{"status":"hidden"}`: "status", `{"email":"x@y.example"}`: "email", `{"external_id":"x"}`: "external_id"} {
		r := member.api(t, http.MethodPatch, path, body)
		wantStatus(t, r, http.StatusBadRequest)
		if f := decode[errorEnvelope](t, r).Error.Fields; f[field] == "" {
			t.Errorf("owner PATCH %s: fields %v should name %s", body, f, field)
		}
	}
	wantStatus(t, member.api(t, http.MethodGet, path+"/matches", ""), http.StatusOK)

	// Someone else's posts: 403 where they are visible, 404 where not.
	other := ts.createPost(t, post("business", "Other Co", "email", "other@other.example"))
	hiddenOther := ts.createPost(t, post("business", "Hidden Co", "email", "hidden@other.example", "status", "hidden"))
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{http.MethodPatch, fmt.Sprintf("/api/v1/posts/%d", other.ID), http.StatusForbidden},
		{http.MethodDelete, fmt.Sprintf("/api/v1/posts/%d", other.ID), http.StatusForbidden},
		{http.MethodGet, fmt.Sprintf("/api/v1/posts/%d/matches", other.ID), http.StatusForbidden},
		{http.MethodPatch, fmt.Sprintf("/api/v1/posts/%d", hiddenOther.ID), http.StatusNotFound},
		{http.MethodGet, fmt.Sprintf("/api/v1/posts/%d", hiddenOther.ID), http.StatusNotFound},
	} {
		before := ts.snapshot(t)
		r := member.api(t, c.method, c.path, `{"offer":"Taken over by someone else"}`)
		if r.Status != c.status {
			t.Errorf("%s %s as another member: %s, want %d", c.method, c.path, r, c.status)
		}
		if bytes := string(r.Body); strings.Contains(bytes, "other@other.example") || strings.Contains(bytes, "hidden@other.example") {
			t.Errorf("%s %s leaks another member's address", c.method, c.path)
		}
		if after := ts.snapshot(t); after != before {
			t.Errorf("%s %s as another member changed the posts", c.method, c.path)
		}
	}

	// Personal tokens: shown once, kept hashed, work without CSRF, revocable.
	r = member.api(t, http.MethodPost, "/api/v1/me/tokens", `{"name":"my script"}`)
	wantStatus(t, r, http.StatusCreated)
	created := decode[tokenView](t, r)
	if !strings.HasPrefix(created.Token, "mmp_") {
		t.Fatalf("new token: %+v", created)
	}
	list := member.api(t, http.MethodGet, "/api/v1/me/tokens", "")
	if strings.Contains(string(list.Body), created.Token) || !strings.Contains(string(list.Body), "my script") {
		t.Errorf("token list: %s; want the name and no secret", list)
	}
	script := newBrowser(ts)
	bearer := map[string]string{"Authorization": "Bearer " + created.Token, "Content-Type": "application/json"}
	if r := script.do(t, http.MethodGet, "/api/v1/me", "", bearer); r.Status != http.StatusOK || strings.Contains(string(r.Body), "csrf_token") {
		t.Errorf("me by token: %s; want 200 without a CSRF token", r)
	}
	wantStatus(t, script.do(t, http.MethodPatch, path, `{"status":"paused"}`, bearer), http.StatusOK)
	db, _ := os.ReadFile(filepath.Join(ts.App.DataDir(), "matchmaker.db"))
	wal, _ := os.ReadFile(filepath.Join(ts.App.DataDir(), "matchmaker.db-wal"))
	for _, secret := range []string{created.Token, cookieValue(cookie)} {
		if strings.Contains(string(db)+string(wal), secret) {
			t.Errorf("the database holds a secret in plain text")
		}
	}
	wantStatus(t, member.api(t, http.MethodDelete, fmt.Sprintf("/api/v1/me/tokens/%d", created.ID), ""), http.StatusNoContent)
	wantStatus(t, script.do(t, http.MethodGet, "/api/v1/me", "", bearer), http.StatusUnauthorized)

	// A signed-in member following an emailed link: its form carries no
	// CSRF header and still works, as anyone's would.
	wantStatus(t, member.api(t, http.MethodPost, "/api/v1/auth/sign-in-link", `{"email":"owner@harbour.example"}`), http.StatusAccepted)
	mails = ts.outbox(t)
	wantStatus(t, member.do(t, http.MethodPost, "/signin", url.Values{"token": {tokenIn(t, mails[len(mails)-1], "signin")}}.Encode(),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"}), http.StatusSeeOther)
	me = decode[meView](t, member.api(t, http.MethodGet, "/api/v1/me", ""))
	member.csrf = me.CSRFToken

	// Signing out ends the session.
	wantStatus(t, member.api(t, http.MethodPost, "/api/v1/auth/sign-out", ""), http.StatusNoContent)
	wantStatus(t, member.api(t, http.MethodGet, "/api/v1/me", ""), http.StatusUnauthorized)
}

func cookieValue(setCookie string) string {
	v, _, _ := strings.Cut(setCookie, ";")
	_, v, _ = strings.Cut(v, "=")
	return v
}

func TestSignInLinkExpires(t *testing.T) {
	ts := newTestServer(t)
	ts.createPost(t, post("email", "owner@harbour.example"))
	anon := newBrowser(ts)
	wantStatus(t, anon.api(t, http.MethodPost, "/api/v1/auth/sign-in-link", `{"email":"owner@harbour.example"}`), http.StatusAccepted)
	mails := ts.outbox(t)
	token := tokenIn(t, mails[len(mails)-1], "signin")
	ts.App.SetClock(func() time.Time { return time.Now().UTC().Add(16 * time.Minute) })
	wantStatus(t, anon.form(t, "/signin", token), http.StatusNotFound)
	wantStatus(t, anon.api(t, http.MethodPost, "/api/v1/auth/sign-in-link", `{"email":"not an address"}`), http.StatusBadRequest)
}

func TestPublicWritesAreRateLimited(t *testing.T) {
	ts := newTestServerWith(t, Config{PublicWritesPerHour: 3})
	anon := newBrowser(ts)
	for i := range 3 {
		body := jsonBody(post("email", fmt.Sprintf("o%d@harbour.example", i), "status", nil))
		wantStatus(t, anon.api(t, http.MethodPost, "/api/v1/posts", body), http.StatusAccepted)
	}
	r := anon.api(t, http.MethodPost, "/api/v1/auth/sign-in-link", `{"email":"o1@harbour.example"}`)
	wantStatus(t, r, http.StatusTooManyRequests)
	checkCommon(t, r)
	if r.Header.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// A made-up X-Forwarded-For does not dodge the limit.
	r = anon.do(t, http.MethodPost, "/api/v1/posts", jsonBody(post("status", nil)), map[string]string{"X-Forwarded-For": "203.0.113.9"})
	wantStatus(t, r, http.StatusTooManyRequests)
	// The host is not limited.
	ts.createPost(t, post("email", "host-made@harbour.example"))
}
