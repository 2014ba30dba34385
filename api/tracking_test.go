package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A referrer shares a tracking link; clicks are counted once a day per
// visitor (not bots, not link checkers); the seller's systems report the
// sign-up, the sale and the refund with a personal API key, each once
// however often sent; the commission follows the agreed terms, both sides
// hear of it, and the link's figures show it all.
func TestTrackingLinksAndConversions(t *testing.T) {
	w := newPartnershipWorld(t)
	ts := w.ts
	pid := w.hostPartnership(t, "referral") // A (side a) refers leads to C (side b)
	p := fmt.Sprintf("/api/v1/partnerships/%d", pid)
	agree(t, p, w.a, w.c, proposeTerms(`{"kind":"percent","percent":"10","currency":"USD","payer":"b"}`))

	// A's link leads to C's booking page.
	for _, bad := range []string{`{}`, `{"landing_url":"javascript:alert(1)"}`, `{"landing_url":"https://charlie.example","attribution_days":400}`} {
		wantStatus(t, w.a.api(t, http.MethodPut, p+"/links/mine", bad), http.StatusBadRequest)
	}
	wantStatus(t, w.b.api(t, http.MethodPut, p+"/links/mine", `{"landing_url":"https://charlie.example"}`), http.StatusNotFound)
	wantStatus(t, ts.do(t, http.MethodPut, p+"/links/mine", host, `{"landing_url":"https://charlie.example"}`), http.StatusForbidden)
	r := w.a.api(t, http.MethodPut, p+"/links/mine", `{"landing_url":"https://charlie.example/book?from=partners"}`)
	wantStatus(t, r, http.StatusOK)
	link := decode[linkView](t, r)
	if link.Referrer != "a" || link.AttributionDays != 90 || !strings.HasSuffix(link.URL, "/r/"+link.Code) || len(link.Code) != 10 {
		t.Fatalf("A's link: %+v", link)
	}

	// Clicks: two people, one of them twice; a bot; a link checker.
	anon := newBrowser(ts)
	click := func(method, agent string) response {
		t.Helper()
		return anon.do(t, method, "/r/"+link.Code, "", map[string]string{"User-Agent": agent})
	}
	const person = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
	r = click(http.MethodGet, person)
	wantStatus(t, r, http.StatusFound)
	to, _ := url.Parse(r.Header.Get("Location"))
	if to.Host != "charlie.example" || to.Path != "/book" || to.Query().Get("mm_ref") != link.Code || to.Query().Get("mm_days") != "90" || to.Query().Get("from") != "partners" {
		t.Errorf("the link sends to %s", r.Header.Get("Location"))
	}
	click(http.MethodGet, person)
	click(http.MethodGet, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Safari/604.1")
	click(http.MethodGet, "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")
	click(http.MethodGet, "Mozilla/5.0 (compatible; LinkChecker/10.2; +https://linkchecker.example)")
	if r := click(http.MethodGet, "x"); r.Status != http.StatusFound {
		t.Errorf("a click: %s", r)
	}
	if r := anon.do(t, http.MethodGet, "/r/nosuchcode", "", nil); r.Status != http.StatusNotFound || !strings.Contains(string(r.Body), "This link does not work") {
		t.Errorf("an unknown code: %s", r)
	}

	// C's shop reports with C's personal API key.
	tok := decode[tokenView](t, w.c.api(t, http.MethodPost, "/api/v1/me/tokens", `{"name":"shop checkout"}`)).Token
	report := func(body string) response {
		t.Helper()
		return ts.request(t, http.MethodPost, "/api/v1/conversions", anonymous, strings.NewReader(body),
			map[string]string{"Authorization": "Bearer " + tok, "Content-Type": "application/json"})
	}
	before := len(ts.outbox(t))
	signUp := fmt.Sprintf(`{"mm_ref":%q,"external_id":"order-1","status":"lead","lead_name":"Dana Ruiz","company":"Ruiz Dental"}`, link.Code)
	r = report(signUp)
	wantStatus(t, r, http.StatusCreated)
	if c := decode[conversionView](t, r); !c.Changed || !c.ViaLink || c.Referral.From != "a" || c.Referral.LeadName != "Dana Ruiz" || c.Referral.Status != "submitted" {
		t.Errorf("the sign-up: %s", r)
	}
	again := report(signUp)
	wantStatus(t, again, http.StatusOK)
	if decode[conversionView](t, again).Changed {
		t.Error("the same sign-up sent again changed something")
	}
	sale := fmt.Sprintf(`{"mm_ref":%q,"external_id":"order-1","status":"won","sale":{"amount":120000,"currency":"USD"}}`, link.Code)
	r = report(sale)
	wantStatus(t, r, http.StatusOK)
	won := decode[conversionView](t, r)
	if !won.Changed || won.Referral.Status != "won" || len(won.Entries) != 1 || won.Entries[0].Amount.Amount != 12000 || won.Entries[0].Payer != "b" {
		t.Errorf("the sale: %s", r)
	}
	if c := decode[conversionView](t, report(sale)); c.Changed {
		t.Error("the same sale sent twice counted twice")
	}
	referrals := decode[map[string][]referralView](t, w.a.api(t, http.MethodGet, p+"/referrals", ""))["referrals"]
	if len(referrals) != 1 || referrals[0].Status != "won" {
		t.Errorf("A's referrals: %+v, want the one sale", referrals)
	}
	// The notices: A hears of the sale from C, C of what its systems said.
	var toA, toC int
	for _, m := range ts.outbox(t)[before:] {
		switch {
		case m.To == "<ana@alpha.example>" && strings.Contains(m.Subject, "reported a sale of"):
			toA++
		case m.To == "<cy@charlie.example>" && strings.Contains(m.Subject, "Your systems reported a sale of"):
			toC++
		}
	}
	if toA != 1 || toC != 1 {
		t.Errorf("notices of the sale: %d to A, %d to C; want one each", toA, toC)
	}

	// Only the seller reports: not the referrer, not a stranger.
	wantStatus(t, w.a.api(t, http.MethodPost, "/api/v1/conversions", strings.Replace(sale, "order-1", "order-9", 1)), http.StatusForbidden)
	wantStatus(t, w.b.api(t, http.MethodPost, "/api/v1/conversions", strings.Replace(sale, "order-1", "order-9", 1)), http.StatusNotFound)
	wantStatus(t, report(`{"mm_ref":"nosuchcode","external_id":"x","status":"lead"}`), http.StatusBadRequest)
	wantStatus(t, report(fmt.Sprintf(`{"mm_ref":%q,"external_id":"never-sold","status":"refunded"}`, link.Code)), http.StatusConflict)
	wantStatus(t, report(fmt.Sprintf(`{"mm_ref":%q,"external_id":"x","status":"won"}`, link.Code)), http.StatusBadRequest) // a sale needs its amount

	// The link's figures: 3 visitors, 1 sign-up, 1 sale, 10% of 1,200.00.
	links := decode[map[string][]linkView](t, w.c.api(t, http.MethodGet, p+"/links", ""))["links"]
	if len(links) != 1 || len(links[0].Quarters) != 1 {
		t.Fatalf("links: %+v", links)
	}
	if q := links[0].Quarters[0]; q.Clicks != 3 || q.Leads != 1 || q.Won != 1 || q.Commission["USD"] != 12000 {
		t.Errorf("the quarter's figures: %+v; want 3 clicks, 1 lead, 1 won, 12000 USD", q)
	}

	// A refund reverses the commission, once.
	refund := fmt.Sprintf(`{"mm_ref":%q,"external_id":"order-1","status":"refunded"}`, link.Code)
	r = report(refund)
	wantStatus(t, r, http.StatusOK)
	if c := decode[conversionView](t, r); !c.Changed || len(c.Entries) != 1 || c.Entries[0].Amount.Amount != -12000 {
		t.Errorf("the refund: %s", r)
	}
	if c := decode[conversionView](t, report(refund)); c.Changed {
		t.Error("the same refund sent twice reversed twice")
	}
	links = decode[map[string][]linkView](t, w.a.api(t, http.MethodGet, p+"/links", ""))["links"]
	if q := links[0].Quarters[0]; q.Commission["USD"] != 0 {
		t.Errorf("commission after the refund: %+v, want 0", q.Commission)
	}

	// Without a link, by partnership: the referrer is the other side.
	r = report(fmt.Sprintf(`{"partnership_id":%d,"external_id":"order-2","status":"won","sale":{"amount":5000,"currency":"USD"}}`, pid))
	wantStatus(t, r, http.StatusCreated)
	if c := decode[conversionView](t, r); c.ViaLink || c.Referral.From != "a" || len(c.Entries) != 1 || c.Entries[0].Amount.Amount != 500 {
		t.Errorf("a sale by partnership: %s", r)
	}
}
