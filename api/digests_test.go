package api

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	netmail "net/mail"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
)

// digestPosts makes a small community of 2026-Q3 with known partners, and
// returns the posts by business.
func digestPosts(t *testing.T, ts *testServer) map[string]postView {
	t.Helper()
	out := map[string]postView{}
	for _, p := range []map[string]any{
		post("business", "Ledger Lane", "email", "hi@ledger.example", "website", "https://ledger.example",
			"offer", "Bookkeeping and tax returns for Shopify stores and ecommerce brands", "seek", "Shopify developers whose clients need an accountant",
			"customers", "online store owners", "tags", []string{"shopify"}, "lane", "either"),
		post("business", "Storefront Forge", "email", "hi@forge.example", "website", "https://forge.example",
			"offer", "We build Shopify stores and apps for ecommerce brands", "seek", "An accountant or bookkeeper who understands Shopify payouts",
			"customers", "online store owners", "tags", []string{"shopify"}, "lane", "either"),
		post("business", "Pixel Parcel", "email", "hi@parcel.example", "website", "https://parcel.example",
			"offer", "Product photography for Shopify stores and ecommerce brands", "seek", "Shopify developers and copywriters who serve online stores",
			"customers", "online store owners", "tags", []string{"shopify"}, "lane", "either"),
		post("business", "Fiddlehead Luthiers", "email", "luthier@fiddlehead.example", "website", "https://fiddlehead.example",
			"offer", "Bespoke violin repair and restoration", "seek", "Concert hall acoustic engineers",
			"customers", "orchestras", "tags", []string{"violins"}, "industry", "Music", "lane", "either"),
	} {
		v := ts.createPost(t, p)
		out[v.Business] = v
	}
	return out
}

// emlFiles returns the raw emails of the outbox, oldest first.
func emlFiles(t *testing.T, ts *testServer) [][]byte {
	t.Helper()
	ts.App.WaitBackground()
	files, err := ts.App.Mailer().(*mail.Outbox).Files()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// digestTo returns the digest mailed to address: its headers and parts.
func digestTo(t *testing.T, ts *testServer, address string) (netmail.Header, sentMail) {
	t.Helper()
	raws := emlFiles(t, ts)
	mails := ts.outbox(t)
	for i := len(mails) - 1; i >= 0; i-- {
		if mails[i].To == "<"+address+">" && strings.HasPrefix(mails[i].Subject, "Your top partner matches") {
			m, err := netmail.ReadMessage(bytes.NewReader(raws[i]))
			if err != nil {
				t.Fatal(err)
			}
			return m.Header, mails[i]
		}
	}
	t.Fatalf("no digest mailed to %s", address)
	return nil, sentMail{}
}

func digestLink(t *testing.T, m sentMail, path string) string {
	t.Helper()
	for _, found := range accessDigestLink.FindAllStringSubmatch(m.Text, -1) {
		if found[1] == path {
			tok, _ := url.QueryUnescape(found[2])
			return tok
		}
	}
	t.Fatalf("no /%s link in:\n%s", path, m.Text)
	return ""
}

func waitDigest(t *testing.T, ts *testServer) digestView {
	t.Helper()
	ts.App.WaitBackground()
	r := ts.do(t, http.MethodGet, "/api/v1/digests/2026-Q3", host, "")
	wantStatus(t, r, http.StatusOK)
	return decode[digestView](t, r)
}

func TestDigestHostEndpoints(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	digestPosts(t, ts)
	const base = "/api/v1/digests/2026-Q3"

	// Nothing yet: an empty digest.
	d := waitDigest(t, ts)
	if d.Recipients != 0 || d.StartedAt != nil || d.Note != "" {
		t.Errorf("a quarter never sent: %+v", d)
	}
	for _, c := range []struct {
		method, path, body string
		status             int
		fields             []string
	}{
		{http.MethodPut, base + "/note", `{"note":"` + strings.Repeat("x", 2001) + `"}`, 400, []string{"note"}},
		{http.MethodPut, base + "/note", `{}`, 400, []string{"note"}},
		{http.MethodPut, base + "/note", `{"note":"hi","extra":1}`, 400, nil},
		{http.MethodPut, "/api/v1/digests/2026-Q5/note", `{"note":"hi"}`, 400, []string{"quarter"}},
		{http.MethodGet, base + "/preview", "", 400, []string{"email"}},
		{http.MethodGet, base + "/preview?email=hi@ledger.example&format=pdf&per_member=0&colour=red", "", 400, []string{"colour", "format", "per_member"}},
		{http.MethodGet, base + "/preview?email=luthier@fiddlehead.example", "", 404, nil},
		{http.MethodGet, base + "/preview?email=nobody@nowhere.example", "", 404, nil},
		{http.MethodPost, base + "/send", `{"per_member":21,"limit":0}`, 400, []string{"limit", "per_member"}},
		{http.MethodPost, base + "/send", `{"dryrun":true}`, 400, nil},
	} {
		r := ts.do(t, c.method, c.path, host, c.body)
		if r.Status != c.status {
			t.Errorf("%s %s %s: got %s, want %d", c.method, c.path, c.body, r, c.status)
			continue
		}
		checkCommon(t, r)
		if c.fields != nil {
			if got := fieldKeys(decode[errorEnvelope](t, r).Error.Fields); fmt.Sprint(got) != fmt.Sprint(c.fields) {
				t.Errorf("%s %s: error fields %v, want %v", c.method, c.path, got, c.fields)
			}
		}
	}

	r := ts.do(t, http.MethodPut, base+"/note", host, `{"note":"Welcome to Q3 <3\nMeetup on Thursday"}`)
	wantStatus(t, r, http.StatusOK)
	if d := decode[digestView](t, r); d.Note != "Welcome to Q3 <3\nMeetup on Thursday" {
		t.Errorf("note: %q", d.Note)
	}
	// The preview: HTML for the browser, or the text part; dead links.
	r = ts.do(t, http.MethodGet, base+"/preview?email=hi@ledger.example", host, "")
	wantStatus(t, r, http.StatusOK)
	checkCommon(t, r)
	body := string(r.Body)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(body, "Storefront Forge") ||
		!strings.Contains(body, "Welcome to Q3 &lt;3") || strings.Contains(body, "token=") || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("HTML preview: %s", r)
	}
	r = ts.do(t, http.MethodGet, base+"/preview?email=HI@Ledger.example&format=text&per_member=1", host, "")
	wantStatus(t, r, http.StatusOK)
	if body := string(r.Body); !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") || strings.Count(body, "Ask the host") != 1 ||
		!strings.Contains(body, "Welcome to Q3 <3") {
		t.Errorf("text preview with per_member=1: %s", r)
	}
	// A dry run reports and writes nothing.
	r = ts.do(t, http.MethodPost, base+"/send", host, `{"dry_run":true}`)
	wantStatus(t, r, http.StatusOK)
	if rep := decode[app.DigestReport](t, r); !rep.DryRun || rep.Recipients != 4 || rep.Sent != 3 || rep.Skipped["no_new_matches"] != 1 {
		t.Errorf("dry run: %+v", rep)
	}
	if n := len(ts.outbox(t)); n != 0 {
		t.Errorf("a dry run mailed %d emails", n)
	}
	// Send: 202, in the background; its progress in GET.
	r = ts.do(t, http.MethodPost, base+"/send", host, `{"limit":2}`)
	wantStatus(t, r, http.StatusAccepted)
	checkCommon(t, r)
	d = waitDigest(t, ts)
	if d.Running || d.Counts["sent"] != 2 || d.Counts["pending"] != 1 || d.Skipped["no_new_matches"] != 1 || d.Recipients != 4 || d.FinishedAt == nil {
		t.Errorf("after sending with limit 2: %+v", d)
	}
	wantStatus(t, ts.do(t, http.MethodPost, base+"/send", host, ""), http.StatusAccepted) // no body: the defaults
	if d = waitDigest(t, ts); d.Counts["sent"] != 3 || d.Counts["pending"] != 0 {
		t.Errorf("after the second run: %+v", d)
	}
	if n := len(ts.outbox(t)); n != 3 {
		t.Errorf("%d emails after both runs, want 3", n)
	}
	// A run going on (held after handing the newcomer's digest to the
	// outbox): a second one is refused.
	ts.createPost(t, post("business", "Cart Copy", "email", "hi@cartcopy.example", "website", "https://cartcopy.example",
		"offer", "Product descriptions and email copywriting for Shopify stores and ecommerce brands",
		"seek", "Product photographers and Shopify developers for online stores", "customers", "online store owners", "lane", "either"))
	hold := make(chan struct{})
	if err := ts.App.StartDigests("2026-Q3", app.DigestOptions{Progress: func(app.DigestProgress) { <-hold }}); err != nil {
		t.Fatal(err)
	}
	r = ts.do(t, http.MethodPost, base+"/send", host, "")
	wantStatus(t, r, http.StatusConflict)
	checkCommon(t, r)
	if d := decode[digestView](t, ts.do(t, http.MethodGet, base, host, "")); !d.Running {
		t.Errorf("while a run goes on: %+v, want running", d)
	}
	close(hold)
	if d := waitDigest(t, ts); d.Running || d.Counts["sent"] != 4 {
		t.Errorf("after the held run: %+v, want the newcomer sent", d)
	}
}

func TestDigestLinksOverHTTP(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	digestPosts(t, ts)
	wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/digests/2026-Q3/send", host, ""), http.StatusAccepted)
	waitDigest(t, ts)
	header, m := digestTo(t, ts, "hi@parcel.example")

	// View online: the digest as sent, styled, no scripts allowed.
	r := newBrowser(ts).do(t, http.MethodGet, "/digest?token="+url.QueryEscape(digestLink(t, m, "digest")), "", nil)
	wantStatus(t, r, http.StatusOK)
	checkCommon(t, r)
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self' 'unsafe-inline'") || !strings.Contains(csp, "script-src 'none'") {
		t.Errorf("the online digest's CSP: %q", csp)
	}
	if body := string(r.Body); !strings.Contains(body, "Storefront Forge") || strings.Contains(body, "hi@parcel.example") {
		t.Errorf("the online digest: %s", r)
	}

	// Ask for an introduction: a page, then the button; once.
	request := digestLink(t, m, "digest/request")
	page := newBrowser(ts).do(t, http.MethodGet, "/digest/request?token="+url.QueryEscape(request), "", nil)
	wantStatus(t, page, http.StatusOK)
	form := url.Values{"token": {request}, "answer": {"yes"}}.Encode()
	formHeader := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	r = newBrowser(ts).do(t, http.MethodPost, "/digest/request", form, formHeader)
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.Body), "the host will see your request") {
		t.Errorf("after asking: %s", r)
	}
	wantStatus(t, newBrowser(ts).do(t, http.MethodPost, "/digest/request", form, formHeader), http.StatusNotFound)
	wantStatus(t, newBrowser(ts).do(t, http.MethodGet, "/digest/request?token="+url.QueryEscape(request), "", nil), http.StatusNotFound)
	q := max(match.QuarterOf(ts.App.Store.Now()), "2026-Q3") // the current quarter's round, or the post's when later
	sugs := decode[suggestionsJSON](t, ts.do(t, http.MethodGet, "/api/v1/rounds/"+string(q)+"/suggestions", host, ""))
	if len(sugs.Suggestions) != 1 || sugs.Suggestions[0].Note != "Requested by Pixel Parcel" || sugs.Suggestions[0].Status != "proposed" {
		t.Errorf("the host's %s round after the request: %+v", q, sugs.Suggestions)
	}

	// One-click unsubscribe, as a mail client does it (RFC 8058): a POST to
	// the header's URL, in either body encoding RFC 8058 allows.
	unsub := strings.Trim(header.Get("List-Unsubscribe"), "<>")
	if header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasPrefix(unsub, "http://127.0.0.1:8080/unsubscribe?token=mmd_") {
		t.Fatalf("headers: %v", header)
	}
	u, _ := url.Parse(unsub)
	r = newBrowser(ts).do(t, http.MethodPost, u.RequestURI(), "List-Unsubscribe=One-Click", formHeader)
	wantStatus(t, r, http.StatusOK)
	if out, _ := ts.App.Store.IsUnsubscribed(context.Background(), "hi@parcel.example"); !out {
		t.Fatal("the one-click POST did not unsubscribe")
	}
	// The confirmation page offers to undo it.
	r = newBrowser(ts).do(t, http.MethodPost, "/unsubscribe", url.Values{"token": {u.Query().Get("token")}, "action": {"resubscribe"}}.Encode(), formHeader)
	wantStatus(t, r, http.StatusOK)
	if out, _ := ts.App.Store.IsUnsubscribed(context.Background(), "hi@parcel.example"); out {
		t.Fatal("resubscribing did not work")
	}
	var mp bytes.Buffer
	w := multipart.NewWriter(&mp)
	w.WriteField("List-Unsubscribe", "One-Click")
	w.Close()
	r = newBrowser(ts).do(t, http.MethodPost, u.RequestURI(), mp.String(), map[string]string{"Content-Type": w.FormDataContentType()})
	wantStatus(t, r, http.StatusOK)
	if out, _ := ts.App.Store.IsUnsubscribed(context.Background(), "hi@parcel.example"); !out {
		t.Fatal("the multipart one-click POST did not unsubscribe")
	}
}

func TestInterestEndpoint(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	posts := digestPosts(t, ts)
	ledger, forge, parcel := posts["Ledger Lane"], posts["Storefront Forge"], posts["Pixel Parcel"]
	member := signIn(t, ts, "hi@ledger.example")
	path := func(post, other int64) string {
		return fmt.Sprintf("/api/v1/posts/%d/matches/%d/interest", post, other)
	}
	partners := func(id int64) []int64 {
		r := member.api(t, http.MethodGet, fmt.Sprintf("/api/v1/posts/%d/matches", id), "")
		wantStatus(t, r, http.StatusOK)
		var ids []int64
		for _, m := range decode[matchesPage](t, r).Matches {
			ids = append(ids, m.Post.ID)
		}
		return ids
	}
	if got := partners(ledger.ID); len(got) == 0 || got[0] != forge.ID {
		t.Fatalf("Ledger Lane's matches: %v, want Storefront Forge first", got)
	}
	for _, c := range []struct {
		path, body string
		status     int
		fields     []string
	}{
		{path(ledger.ID, forge.ID), `{"interest":"maybe"}`, 400, []string{"interest"}},
		{path(ledger.ID, forge.ID), `{"interest":"yes","note":"` + strings.Repeat("n", 501) + `"}`, 400, []string{"note"}},
		{path(ledger.ID, forge.ID), `{"interest":"yes","colour":"red"}`, 400, nil},
		{fmt.Sprintf("/api/v1/posts/%d/matches/abc/interest", ledger.ID), `{"interest":"yes"}`, 400, []string{"other"}},
		{path(ledger.ID, 999999), `{"interest":"yes"}`, 404, nil},
		{path(forge.ID, ledger.ID), `{"interest":"yes"}`, 403, nil}, // not the member's post
		{path(ledger.ID, ledger.ID), `{"interest":"no"}`, 400, nil},
	} {
		r := member.api(t, http.MethodPost, c.path, c.body)
		if r.Status != c.status {
			t.Errorf("POST %s %s: got %s, want %d", c.path, c.body, r, c.status)
			continue
		}
		checkCommon(t, r)
		if c.fields != nil {
			if got := fieldKeys(decode[errorEnvelope](t, r).Error.Fields); fmt.Sprint(got) != fmt.Sprint(c.fields) {
				t.Errorf("POST %s %s: error fields %v, want %v", c.path, c.body, got, c.fields)
			}
		}
	}
	r := member.api(t, http.MethodPost, path(ledger.ID, parcel.ID), `{"interest":"yes","note":"Loved your work"}`)
	wantStatus(t, r, http.StatusOK)
	if in := decode[interestView](t, r); in.Interest != "yes" || in.PostID != ledger.ID || in.PartnerID != parcel.ID || in.Note != "Loved your work" {
		t.Errorf("yes: %+v", in)
	}
	// The match list shows the yes, so the member sees they asked.
	sawParcel := false
	for _, m := range decode[matchesPage](t, member.api(t, http.MethodGet, fmt.Sprintf("/api/v1/posts/%d/matches", ledger.ID), "")).Matches {
		sawParcel = sawParcel || m.Post.ID == parcel.ID
		if want := map[bool]string{true: "yes", false: ""}[m.Post.ID == parcel.ID]; m.Interest != want {
			t.Errorf("match %d: interest %q, want %q", m.Post.ID, m.Interest, want)
		}
	}
	if !sawParcel {
		t.Errorf("Pixel Parcel, answered yes, is not among Ledger Lane's matches")
	}
	// No: Storefront Forge is gone from Ledger Lane's matches, and the
	// other way round.
	wantStatus(t, member.api(t, http.MethodPost, path(ledger.ID, forge.ID), `{"interest":"no"}`), http.StatusOK)
	for _, id := range partners(ledger.ID) {
		if id == forge.ID {
			t.Errorf("after a no, Storefront Forge is still in Ledger Lane's matches")
		}
	}
	r = ts.do(t, http.MethodGet, fmt.Sprintf("/api/v1/posts/%d/matches", forge.ID), host, "")
	for _, m := range decode[matchesPage](t, r).Matches {
		if m.Post.ID == ledger.ID {
			t.Errorf("after Ledger Lane's no, it is still in Storefront Forge's matches")
		}
	}
}
