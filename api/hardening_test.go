package api

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/matchmaker/matchmaker/app"
)

// TestHSTSOnlyOverHTTPS checks the Strict-Transport-Security header goes
// with HTTPS (TLS, or a TLS proxy declared by SecureCookies) and never with
// plain HTTP, where it would lock browsers out.
func TestHSTSOnlyOverHTTPS(t *testing.T) {
	plain := newTestServer(t)
	r := plain.do(t, http.MethodGet, "/healthz", anonymous, "")
	if h := r.Header.Get("Strict-Transport-Security"); h != "" {
		t.Errorf("plain HTTP sends HSTS %q", h)
	}
	for _, name := range []string{"X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy", "Referrer-Policy"} {
		if r.Header.Get(name) == "" {
			t.Errorf("no %s header", name)
		}
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP = %q", csp)
	}

	a := plain.App
	tlsServer := httptest.NewTLSServer(mustNew(t, a, Config{}).Handler())
	defer tlsServer.Close()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	res, err := client.Get(tlsServer.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if h := res.Header.Get("Strict-Transport-Security"); !strings.Contains(h, "max-age=") {
		t.Errorf("over TLS: HSTS = %q", h)
	}
	proxied := newTestServerWith(t, Config{SecureCookies: true})
	if h := proxied.do(t, http.MethodGet, "/healthz", anonymous, "").Header.Get("Strict-Transport-Security"); h == "" {
		t.Error("behind a TLS proxy (SecureCookies): no HSTS")
	}

	// The session cookie is Secure over HTTPS, and not over plain HTTP,
	// where a browser would drop it.
	plain.createPost(t, post("email", "owner@harbour.example"))
	sessionCookie := func(do func(path, body string, h map[string]string) *http.Response) string {
		t.Helper()
		res := do("/api/v1/auth/sign-in-link", `{"email":"owner@harbour.example"}`, map[string]string{"Content-Type": "application/json"})
		if res.StatusCode != http.StatusAccepted {
			t.Fatalf("sign-in link: %d", res.StatusCode)
		}
		mails := plain.outbox(t)
		res = do("/signin", url.Values{"token": {tokenIn(t, mails[len(mails)-1], "signin")}}.Encode(),
			map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.StatusCode)
		}
		return res.Header.Get("Set-Cookie")
	}
	via := func(base string, c *http.Client) func(path, body string, h map[string]string) *http.Response {
		return func(path, body string, h map[string]string) *http.Response {
			req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
			for k, v := range h {
				req.Header.Set(k, v)
			}
			res, err := c.Transport.RoundTrip(req) // no redirects followed
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res
		}
	}
	if c := sessionCookie(via(tlsServer.URL, client)); !strings.Contains(c, "; Secure") || !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
		t.Errorf("over TLS, the session cookie is %q: want Secure, HttpOnly, SameSite=Lax", c)
	}
	if c := sessionCookie(via(plain.URL, &http.Client{Transport: http.DefaultTransport})); strings.Contains(c, "Secure") || !strings.Contains(c, "HttpOnly") {
		t.Errorf("over plain HTTP, the session cookie is %q: want HttpOnly, not Secure", c)
	}
}

// lockedBuffer is a log destination shared by the server's goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestNoSecretsInLogs runs the flows that handle secrets — the host token,
// emailed link tokens, sessions, CSRF and personal tokens, and search text —
// with debug logging on, and checks none of them reaches the log.
func TestNoSecretsInLogs(t *testing.T) {
	var logs lockedBuffer
	log := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	a, err := app.Open(context.Background(), app.Config{DataDir: t.TempDir(), HostToken: hostToken, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	hs := httptest.NewServer(mustNew(t, a, Config{Log: log}).Handler())
	t.Cleanup(hs.Close)
	ts := &testServer{URL: hs.URL, App: a}

	secrets := []string{hostToken}
	p := ts.createPost(t, post("email", "secretive@owner.example"))
	// A submission by someone not signed in, and its confirmation link.
	anon := newBrowser(ts)
	wantStatus(t, anon.api(t, http.MethodPost, "/api/v1/posts", jsonBody(post("email", "newcomer@fresh.example", "business", "Fresh Co"))), http.StatusAccepted)
	mails := ts.outbox(t)
	confirm := tokenIn(t, mails[len(mails)-1], "confirm")
	secrets = append(secrets, confirm)
	wantStatus(t, anon.form(t, "/confirm", confirm), http.StatusOK)
	// Sign-in link, session, CSRF token, personal token.
	b := signIn(t, ts, "secretive@owner.example")
	mails = ts.outbox(t)
	secrets = append(secrets, tokenIn(t, mails[len(mails)-1], "signin"), b.csrf)
	for _, c := range b.client.Jar.Cookies(mustURL(t, hs.URL)) {
		secrets = append(secrets, c.Value)
	}
	r := b.api(t, http.MethodPost, "/api/v1/me/tokens", `{"name":"script"}`)
	wantStatus(t, r, http.StatusCreated)
	tok := decode[tokenView](t, r).Token
	secrets = append(secrets, tok)
	wantStatus(t, ts.request(t, http.MethodGet, "/api/v1/me", anonymous, nil, map[string]string{"Authorization": "Bearer " + tok}), http.StatusOK)
	// Wrong tokens are logged as refusals, not echoed.
	forged := "mmp_forged-token-that-must-not-be-logged-0001"
	ts.request(t, http.MethodGet, "/api/v1/me", anonymous, nil, map[string]string{"Authorization": "Bearer " + forged})
	secrets = append(secrets, forged)
	// Search text stays out of the log too.
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/posts?q=confidential-merger-plans", anonymous, ""), http.StatusOK)
	secrets = append(secrets, "confidential-merger-plans")
	wantStatus(t, ts.do(t, http.MethodGet, fmt.Sprintf("/api/v1/posts/%d", p.ID), host, ""), http.StatusOK)

	out := logs.String()
	if !strings.Contains(out, `"msg":"request"`) {
		t.Fatalf("no request was logged:\n%.1000s", out)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("the log contains the secret %q", s)
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
