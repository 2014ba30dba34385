package api

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

const accessDigest = "/api/v1/digests/2026-Q3"

// accessForgedDigest is a digest link token with a signature that is not
// the app's.
const accessForgedDigest = "mmd_dQBhbmFAYWxwaGEtbGVkZ2VyLmV4YW1wbGU.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// accessDigestRows are the access table's rows for digests.
func accessDigestRows() []accessRow {
	return []accessRow{
		{route: "GET /api/v1/digests/:quarter", path: accessDigest, want: accessHostOnly(200), check: accessCheckDigest},
		{route: "PUT /api/v1/digests/:quarter/note", path: accessDigest + "/note", body: `{"note":"See you at the Porto meetup"}`,
			want: accessHostOnly(200), check: accessCheckDigestNote},
		{route: "GET /api/v1/digests/:quarter/preview", variant: "A's digest", path: accessDigest + "/preview?email={emailA}",
			want: accessHostOnly(200), check: accessCheckDigestPreview},
		{route: "GET /api/v1/digests/:quarter/preview", variant: "B, with no active post", path: accessDigest + "/preview?email={emailB}",
			want: accessHostOnly(404)},
		{route: "POST /api/v1/digests/:quarter/send", path: accessDigest + "/send", want: accessHostOnly(202), check: accessCheckDigestSent},
		{route: "POST /api/v1/digests/:quarter/send", variant: "dry run", path: accessDigest + "/send", body: `{"dry_run":true}`,
			want: accessHostOnly(200)},

		{route: "POST /api/v1/posts/:id/matches/:other/interest", variant: "A's post, yes to E", path: "/api/v1/posts/{postA}/matches/{postE}/interest",
			body: `{"interest":"yes","note":"We met at the Porto meetup"}`, want: accessExpect(401, 200, 403, 403, 200, 401, 200),
			check: accessCheckInterestYes},
		{route: "POST /api/v1/posts/:id/matches/:other/interest", variant: "B's hidden post, no to A", path: "/api/v1/posts/{hiddenB}/matches/{postA}/interest",
			body: `{"interest":"no"}`, want: accessExpect(401, 404, 403, 200, 200, 401, 404), check: accessCheckInterestNo},
		{route: "POST /api/v1/posts/:id/matches/:other/interest", variant: "A's post, a hidden partner", path: "/api/v1/posts/{postA}/matches/{hiddenB}/interest",
			body: `{"interest":"yes"}`, want: accessExpect(401, 404, 403, 403, 404, 401, 404)},
		{route: "POST /api/v1/posts/:id/matches/:other/interest", variant: "interest neither yes nor no", path: "/api/v1/posts/{postA}/matches/{postE}/interest",
			body: `{"interest":"maybe"}`, want: accessExpect(401, 400, 403, 403, 400, 401, 400)},

		// The digest's links: the signed token is the credential.
		{route: "GET /digest", variant: "A's link", path: "/digest?token={digestView}", want: accessEveryone(200),
			allow: []string{"digestRequest", "digestRequest2", "digestRequest3", "digestRequest4", "digestRequest5", "digestUnsub"},
			check: accessCheckDigestOnline},
		{route: "GET /digest", variant: "a forged token", path: "/digest?token=" + accessForgedDigest, want: accessEveryone(404)},
		{route: "GET /digest/request", variant: "A's link", path: "/digest/request?token={digestRequest}", want: accessEveryone(200),
			check: accessCheckDigestRequestPage},
		{route: "GET /digest/request", variant: "a forged token", path: "/digest/request?token=" + accessForgedDigest, want: accessEveryone(404)},
		{route: "POST /digest/request", variant: "A's link", path: "/digest/request", body: "token={digestRequest}&answer=yes", form: true,
			want: accessEveryone(200), check: accessCheckDigestRequested},
		{route: "POST /digest/request", variant: "a forged token", path: "/digest/request", body: "token=" + accessForgedDigest + "&answer=yes", form: true,
			want: accessEveryone(404)},
		{route: "POST /digest/request", variant: "answer neither yes nor no", path: "/digest/request", body: "token={digestRequest}&answer=maybe", form: true,
			want: accessEveryone(400)},
		{route: "POST /digest/request", variant: "not a fit: a competitor", path: "/digest/request", body: "token={digestRequest}&answer=competitor", form: true,
			want: accessEveryone(200), check: accessCheckDigestCompetitor},
		{route: "POST /digest/request", variant: "not a fit, by a forged token", path: "/digest/request", body: "token=" + accessForgedDigest + "&answer=competitor", form: true,
			want: accessEveryone(404)},
		{route: "GET /unsubscribe", variant: "A's link", path: "/unsubscribe?token={digestUnsub}", want: accessEveryone(200)},
		{route: "GET /unsubscribe", variant: "a forged token", path: "/unsubscribe?token=" + accessForgedDigest, want: accessEveryone(404)},
		{route: "POST /unsubscribe", variant: "the page's form", path: "/unsubscribe", body: "token={digestUnsub}", form: true,
			want: accessEveryone(200), check: accessCheckUnsubscribed},
		{route: "POST /unsubscribe", variant: "one click (RFC 8058)", path: "/unsubscribe?token={digestUnsub}", body: "List-Unsubscribe=One-Click", form: true,
			want: accessEveryone(200), check: accessCheckUnsubscribed},
		{route: "POST /unsubscribe", variant: "a forged token", path: "/unsubscribe?token=" + accessForgedDigest, body: "List-Unsubscribe=One-Click", form: true,
			want: accessEveryone(404)},
	}
}

var accessDigestLink = regexp.MustCompile(`/(digest|digest/request|unsubscribe)\?token=([A-Za-z0-9_.%-]+)`)

// setUpDigests sends the 2026-Q3 digest. A's carries the links of the
// rows: {digestView}, {digestRequest} (its first partner, {digestPartner})
// and {digestUnsub}.
func (w *accessWorld) setUpDigests(t *testing.T, needs accessNeeds) {
	t.Helper()
	before := len(w.ts.outbox(t))
	rep, err := w.ts.App.SendDigests(context.Background(), "2026-Q3", app.DigestOptions{})
	if err != nil || rep.Sent == 0 {
		t.Fatalf("the 2026-Q3 digest: %+v %v", rep, err)
	}
	for _, m := range w.ts.outbox(t)[before:] {
		for _, found := range accessDigestLink.FindAllStringSubmatch(m.Text, -1) {
			tok, _ := url.QueryUnescape(found[2])
			w.secrets = append(w.secrets, tok)
			if m.To != "<"+w.emails["A"]+">" {
				continue
			}
			key := map[string]string{"digest": "digestView", "digest/request": "digestRequest", "unsubscribe": "digestUnsub"}[found[1]]
			for i := 2; w.vars[key] != "" && w.vars[key] != tok; i++ { // A's other partners: {digestRequest2}, …
				key = strings.TrimRight(key, "0123456789") + strconv.Itoa(i)
			}
			w.vars[key] = tok
		}
	}
	if w.vars["digestView"] == "" || w.vars["digestRequest"] == "" || w.vars["digestUnsub"] == "" {
		t.Fatalf("A's digest lacks its links: %v", w.vars)
	}
	_, partner, err := w.ts.App.DigestRequestForLink(context.Background(), w.vars["digestRequest"])
	if err != nil {
		t.Fatal(err)
	}
	w.vars["digestPartner"] = partner.Business
}

func accessCheckDigest(t *testing.T, w *accessWorld, c accessCaller, r response) {
	d := decode[digestView](t, r)
	if d.Quarter != "2026-Q3" || d.Counts["sent"] == 0 || d.Running || d.Recipients != d.Counts["sent"]+d.Counts["skipped"] {
		t.Errorf("the digest as the host sees it: %+v", d)
	}
}

func accessCheckDigestNote(t *testing.T, w *accessWorld, c accessCaller, r response) {
	if d := decode[digestView](t, r); d.Note != "See you at the Porto meetup" {
		t.Errorf("note after PUT: %q", d.Note)
	}
}

func accessCheckDigestPreview(t *testing.T, w *accessWorld, c accessCaller, r response) {
	body := string(r.Body)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(body, w.vars["digestPartner"]) ||
		strings.Contains(body, "token=") {
		t.Errorf("A's preview: want HTML naming %s, with dead links: %s", w.vars["digestPartner"], r)
	}
}

func accessCheckDigestSent(t *testing.T, w *accessWorld, c accessCaller, r response) {
	if d := decode[digestView](t, r); !d.Running && d.FinishedAt == nil {
		t.Errorf("a run started: %+v", d)
	}
	w.ts.App.WaitBackground()
	d := decode[digestView](t, w.ts.do(t, http.MethodGet, accessDigest, host, ""))
	if d.Running || d.Counts["pending"] != 0 || d.Counts["sending"] != 0 {
		t.Errorf("after the run: %+v", d)
	}
}

// requestQuarter is the round a member's request goes to now.
func requestQuarter(w *accessWorld) match.Quarter {
	return max(match.QuarterOf(w.ts.App.Store.Now()), "2026-Q3")
}

// accessHasRequest reports whether the round holds the pair with a note
// starting so.
func accessHasRequest(t *testing.T, w *accessWorld, a, b int64, note string) bool {
	t.Helper()
	sugs, err := w.ts.App.Store.Suggestions(context.Background(), requestQuarter(w), "")
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(sugs, func(s domain.Suggestion) bool {
		return s.PostA == min(a, b) && s.PostB == max(a, b) && strings.Contains(s.Note, note)
	})
}

func accessCheckInterestYes(t *testing.T, w *accessWorld, c accessCaller, r response) {
	in := decode[interestView](t, r)
	if in.PostID != w.id("postA") || in.PartnerID != w.id("postE") || in.Interest != "yes" || in.Note != "We met at the Porto meetup" {
		t.Errorf("interest recorded by %s: %+v", c, in)
	}
	if !accessHasRequest(t, w, w.id("postA"), w.id("postE"), "Requested by Alpha Ledger: We met at the Porto meetup") {
		t.Errorf("A's request is not in the host's %s round", requestQuarter(w))
	}
}

func accessCheckInterestNo(t *testing.T, w *accessWorld, c accessCaller, r response) {
	ex, err := w.ts.App.Store.ExcludedPairs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !ex[[2]int64{min(w.id("postA"), w.id("hiddenB")), max(w.id("postA"), w.id("hiddenB"))}] {
		t.Errorf("after %s said no for B, the pair is not excluded", c)
	}
}

func accessCheckDigestOnline(t *testing.T, w *accessWorld, c accessCaller, r response) {
	body := string(r.Body)
	if !strings.Contains(body, w.vars["digestPartner"]) || !strings.Contains(body, "Alpha Ledger") {
		t.Errorf("A's digest online, as %s: want A's posts and partners: %s", c, r)
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'none'") {
		t.Errorf("the online digest's Content-Security-Policy %q should forbid scripts", csp)
	}
}

func accessCheckDigestRequestPage(t *testing.T, w *accessWorld, c accessCaller, r response) {
	if body := string(r.Body); !strings.Contains(body, w.vars["digestPartner"]) || !strings.Contains(body, `value="yes"`) {
		t.Errorf("the request page, as %s: %s", c, r)
	}
}

// accessCheckDigestCompetitor checks that the answer is A's about the
// digest's partner, from the digest, and that the pair left A's matches.
func accessCheckDigestCompetitor(t *testing.T, w *accessWorld, c accessCaller, r response) {
	page, err := w.ts.App.Store.ListFeedback(context.Background(), w.id("postA"), 10, 0)
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("answers about A after a competitor by the digest, as %s: %+v %v", c, page, err)
	}
	f := page.Items[0]
	seen, err := w.ts.App.Store.Seen(context.Background(), w.id("postA"))
	if err != nil || f.Post != w.id("postA") || f.Source != "digest" || f.Reason != match.ReasonCompetitor || !seen.Excluded[f.Other] {
		t.Errorf("the digest's competitor answer, as %s: %+v, excluded %v", c, f, seen.Excluded)
	}
}

func accessCheckDigestRequested(t *testing.T, w *accessWorld, c accessCaller, r response) {
	seen, err := w.ts.App.Store.Seen(context.Background(), w.id("postA"))
	if err != nil || len(seen.Said) != 1 {
		t.Fatalf("A's answers after %s used A's link: %+v %v", c, seen.Said, err)
	}
	var partnerID int64
	for id, said := range seen.Said {
		if partnerID = id; said != "yes" {
			t.Errorf("A said %q after %s used A's link to ask, want yes", said, c)
		}
	}
	if !accessHasRequest(t, w, w.id("postA"), partnerID, "Requested by Alpha Ledger") {
		t.Errorf("the request by link is not in the host's round")
	}
	// The link works once.
	again := newBrowser(w.ts).do(t, http.MethodPost, "/digest/request", url.Values{"token": {w.vars["digestRequest"]}, "answer": {"yes"}}.Encode(),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	if again.Status != http.StatusNotFound {
		t.Errorf("the request link used again: %s, want 404", again)
	}
}

func accessCheckUnsubscribed(t *testing.T, w *accessWorld, c accessCaller, r response) {
	if out, err := w.ts.App.Store.IsUnsubscribed(context.Background(), w.emails["A"]); err != nil || !out {
		t.Errorf("after %s followed A's unsubscribe link: unsubscribed %v (%v)", c, out, err)
	}
	if strings.Contains(string(r.Body), w.emails["A"]) {
		t.Errorf("the unsubscribe page shows the address: %s", r)
	}
}
