package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/partner"
)

// The partnership rows: {pStrat} is A's strategic partnership with C,
// {pRef} A's referral partnership with D (A is side a of both). B is the
// third member, who must get 404 everywhere, as if they did not exist.

const accessPlanQuarter = "/quarters/2026-Q4"

// partyRead is a read for the two members and the host.
func partyRead() accessWant { return accessExpect(401, 200, 200, 404, 200, 401, 200) }

// partyWrite is a write for the two members and the host, answering ok.
func partyWrite(ok int) accessWant { return accessExpect(401, ok, 403, 404, ok, 401, ok) }

// memberWrite is a write only a side may make: the host gets 403.
func memberWrite(ok int) accessWant { return accessExpect(401, ok, 403, 404, 403, 401, ok) }

func accessPartnershipRows() []accessRow {
	strat, ref := "/api/v1/partnerships/{pStrat}", "/api/v1/partnerships/{pRef}"
	plan := strat + accessPlanQuarter
	withC, withD := []string{"emailC"}, []string{"emailD"}
	rows := []accessRow{
		{route: "GET /api/v1/partnerships", path: "/api/v1/partnerships", want: accessExpect(401, 200, 200, 200, 200, 401, 200),
			allow: []string{"emailC", "emailD"}, check: accessCheckPartnershipList},
		{route: "POST /api/v1/partnerships", variant: "two posts (the host offers instead)", path: "/api/v1/partnerships",
			body: `{"post_a":{postA},"post_b":{postE},"lane":"referral"}`, want: accessExpect(401, 403, 403, 403, 403, 401, 403)},
		{route: "GET /r/:code", path: "/r/{linkCode}", want: accessEveryone(302)},
		{route: "GET /api/v1/partnerships/:id/links", path: ref + "/links", want: partyRead(), allow: withD},
		{route: "PUT /api/v1/partnerships/:id/links/mine", path: ref + "/links/mine", body: `{"landing_url":"https://delta-smiles.example/book"}`,
			want: accessExpect(401, 200, 403, 404, 403, 401, 200), allow: withD},
		// A receives D's referrals: A (or the host) reports; a refund of a
		// sale never reported is refused on its merits (409), whoever may.
		{route: "POST /api/v1/conversions", variant: "a refund never sold", path: "/api/v1/conversions",
			body: `{"mm_ref":"{linkCode}","external_id":"never-sold","status":"refunded"}`, want: accessExpect(401, 409, 403, 404, 409, 401, 409), allow: withD},
		{route: "GET /api/v1/offers", path: "/api/v1/offers", want: accessExpect(401, 200, 200, 200, 200, 401, 200), allow: []string{"emailC", "emailD", "emailE"}},
		{route: "POST /api/v1/offers", path: "/api/v1/offers", body: `{"post_a":{postC},"post_b":{postE},"lane":"referral"}`, want: accessHostOnly(201), allow: []string{"emailC", "emailE"}},
		{route: "POST /api/v1/offers/:id/accept", variant: "an offer to A and E", path: "/api/v1/offers/{offer}/accept", want: memberWrite(200), allow: []string{"emailE"}},
		{route: "POST /api/v1/offers/:id/decline", variant: "an offer to A and E", path: "/api/v1/offers/{offer}/decline", body: `{"note":"not now"}`, want: memberWrite(200), allow: []string{"emailE"}},
		{route: "POST /api/v1/offers/:id/withdraw", variant: "an offer to A and E", path: "/api/v1/offers/{offer}/withdraw", want: accessHostOnly(200), allow: []string{"emailE"}},
		{route: "POST /api/v1/partnerships", variant: "an introduction still pending", path: "/api/v1/partnerships",
			body: `{"introduction_id":{intro}}`, want: accessExpect(401, 409, 403, 404, 403, 401, 409)},
		{route: "GET /api/v1/partnerships/health", path: "/api/v1/partnerships/health", want: accessHostOnly(200)},
		{route: "GET /api/v1/money", path: "/api/v1/money", want: accessExpect(401, 200, 200, 200, 200, 401, 200), allow: []string{"emailC", "emailD"}},
		{route: "GET /api/v1/partnerships/:id", path: strat, want: partyRead(), allow: withC},
		{route: "PATCH /api/v1/partnerships/:id", path: strat, body: `{"status":"paused","reason":"busy season"}`, want: partyWrite(200), allow: withC},
		{route: "GET /api/v1/partnerships/:id/proposals", path: ref + "/proposals", want: partyRead()},
		{route: "POST /api/v1/partnerships/:id/proposals", path: ref + "/proposals", body: `{"kind":"lane","lane":"strategic","reason":"a joint package"}`, want: partyWrite(201), allow: withD},
		{route: "POST /api/v1/partnerships/:id/proposals/:item/accept", variant: "the host's, waiting for both", path: ref + "/proposals/{proposal}/accept", want: memberWrite(200)},
		{route: "POST /api/v1/partnerships/:id/proposals/:item/decline", variant: "the host's, waiting for both", path: ref + "/proposals/{proposal}/decline", body: `{"note":"too high"}`, want: memberWrite(200)},
		{route: "POST /api/v1/partnerships/:id/proposals/:item/withdraw", variant: "the host's", path: ref + "/proposals/{proposal}/withdraw", want: accessExpect(401, 403, 403, 404, 200, 401, 403)},

		{route: "GET /api/v1/partnerships/:id/quarters", path: strat + "/quarters", want: partyRead()},
		{route: "GET /api/v1/partnerships/:id/quarters/:quarter", path: plan, want: partyRead()},
		{route: "POST /api/v1/partnerships/:id/quarters/:quarter/goals", path: plan + "/goals",
			body: `{"title":"Joint webinar","metric":"signups","target":40,"owner":"both"}`, want: partyWrite(201)},
		{route: "PATCH /api/v1/partnerships/:id/quarters/:quarter/goals/:item", path: plan + "/goals/{goal}", body: `{"actual":12}`, want: partyWrite(200)},
		{route: "DELETE /api/v1/partnerships/:id/quarters/:quarter/goals/:item", path: plan + "/goals/{goal}", want: partyWrite(204)},
		{route: "POST /api/v1/partnerships/:id/quarters/:quarter/deliverables", path: plan + "/deliverables",
			body: `{"what":"Case study","owner":"a","due_on":"2026-12-15"}`, want: partyWrite(201)},
		{route: "PATCH /api/v1/partnerships/:id/quarters/:quarter/deliverables/:item", path: plan + "/deliverables/{deliverable}", body: `{"done":true}`, want: partyWrite(200)},
		{route: "DELETE /api/v1/partnerships/:id/quarters/:quarter/deliverables/:item", path: plan + "/deliverables/{deliverable}", want: partyWrite(204)},
		{route: "POST /api/v1/partnerships/:id/quarters/:quarter/expectations", path: plan + "/expectations",
			body: `{"text":"Answer shared leads within a day","side":"a"}`, want: partyWrite(201)},
		{route: "POST /api/v1/partnerships/:id/quarters/:quarter/expectations/:item/sign", variant: "one the host wrote for A", path: plan + "/expectations/{expectation}/sign",
			want: memberWrite(200)},
		{route: "PUT /api/v1/partnerships/:id/quarters/:quarter/review", path: plan + "/review", body: `{"rating":4,"notes":"A good start"}`, want: memberWrite(200)},

		{route: "GET /api/v1/partnerships/:id/terms", path: ref + "/terms", want: partyRead()},
		{route: "GET /api/v1/partnerships/:id/referrals", path: ref + "/referrals", want: partyRead()},
		{route: "POST /api/v1/partnerships/:id/referrals", path: ref + "/referrals", body: `{"lead_name":"Dr. Rosa Diaz","from":"a"}`, want: partyWrite(201)},
		{route: "PATCH /api/v1/partnerships/:id/referrals/:item", variant: "D's referral to A", path: ref + "/referrals/{referral}", body: `{"status":"qualified"}`, want: partyWrite(200)},
		{route: "GET /api/v1/partnerships/:id/ledger", path: ref + "/ledger", want: partyRead()},
		{route: "POST /api/v1/partnerships/:id/ledger", path: ref + "/ledger", body: `{"payer":"a","amount":{"amount":-150,"currency":"USD"},"reason":"agreed discount"}`, want: partyWrite(201)},
		{route: "POST /api/v1/partnerships/:id/ledger/:item/confirm", variant: "a commission A owes", path: ref + "/ledger/{entry}/confirm", want: partyWrite(200)},
		{route: "POST /api/v1/partnerships/:id/ledger/:item/reverse", path: ref + "/ledger/{entry}/reverse", body: `{"reason":"the client cancelled"}`, want: partyWrite(201)},
		{route: "POST /api/v1/partnerships/:id/payouts", variant: "a due commission A owes", path: ref + "/payouts",
			body: `{"entry_ids":[{dueEntry}],"paid_on":"2026-11-20","reference":"Transfer 0042"}`, want: partyWrite(201)},
		{route: "GET /api/v1/partnerships/:id/statement", path: ref + "/statement", want: partyRead(), allow: withD},
		{route: "GET /api/v1/partnerships/:id/statement", variant: "as CSV", path: ref + "/statement?format=csv", want: partyRead()},
	}
	for i := range rows {
		rows[i].needs.partnerships = true
	}
	return rows
}

// setUpPartnerships gives A two partnerships, made by the host: strategic
// with C, a quarter planned, and referral with D, with terms, a lead D
// passed to A, and two commissions A owes (one pending, one due).
func (w *accessWorld) setUpPartnerships(t *testing.T, needs accessNeeds) {
	t.Helper()
	if !needs.partnerships {
		return
	}
	ts := w.ts
	create := func(name, body string) {
		w.vars[name] = strconv.FormatInt(ts.offered(t, w.expand(body)).ID, 10)
	}
	create("pStrat", `{"post_a":{postA},"post_b":{postC},"lane":"strategic"}`)
	create("pRef", `{"post_a":{postA},"post_b":{postD},"lane":"referral"}`)
	// An offer to A and E, open: {offer}.
	r := ts.do(t, http.MethodPost, "/api/v1/offers", host, w.expand(`{"post_a":{postA},"post_b":{postE},"note":"Worth a talk"}`))
	wantStatus(t, r, http.StatusCreated)
	w.vars["offer"] = strconv.FormatInt(decode[offerView](t, r).ID, 10)
	add := func(name, path, body string) response {
		r := ts.do(t, http.MethodPost, w.expand(path), host, w.expand(body))
		wantStatus(t, r, http.StatusCreated)
		if name != "" {
			w.vars[name] = strconv.FormatInt(decode[struct {
				ID int64 `json:"id"`
			}](t, r).ID, 10)
		}
		return r
	}
	plan := "/api/v1/partnerships/{pStrat}" + accessPlanQuarter
	add("goal", plan+"/goals", `{"title":"Bundle sold","metric":"bundles","target":10,"owner":"both"}`)
	add("deliverable", plan+"/deliverables", `{"what":"Landing page","owner":"b","due_on":"2026-12-01"}`)
	add("expectation", plan+"/expectations", `{"text":"Present the bundle at two meetups","side":"a"}`)

	ref := "/api/v1/partnerships/{pRef}"
	// The terms: the host's proposal, which both sides accept; and a second
	// one of the host's that waits for both: {proposal}.
	propose := func(name, percent string) {
		r := add("", ref+"/proposals", proposeTerms(`{"kind":"percent","percent":"`+percent+`","currency":"USD","payer":"both"}`))
		w.vars[name] = strconv.FormatInt(decode[proposalView](t, r).ID, 10)
	}
	propose("agreed", "10")
	r, _ = w.send(t, asOwner, http.MethodPost, w.expand(ref+"/proposals/{agreed}/accept"), "", false)
	wantStatus(t, r, http.StatusOK)
	// D has no session here (sign-in links are rate limited): D accepts
	// through the app, as its own request would.
	pRef, _ := strconv.ParseInt(w.vars["pRef"], 10, 64)
	agreed, _ := strconv.ParseInt(w.vars["agreed"], 10, 64)
	if pr, err := ts.App.DecideProposal(context.Background(), app.Who{Email: w.emails["D"]}, pRef, agreed, partner.Accept, partner.DecisionInput{}); err != nil || pr.Status != partner.ProposalAccepted {
		t.Fatalf("D's acceptance: %+v, %v", pr, err)
	}
	propose("proposal", "12")
	add("referral", ref+"/referrals", `{"lead_name":"Smile Studio","from":"b"}`)
	win := func(name string) {
		r := add("", ref+"/referrals", `{"lead_name":"Bright Teeth","from":"b"}`)
		id := decode[referralView](t, r).ID
		r = ts.do(t, http.MethodPatch, w.expand(fmt.Sprintf("%s/referrals/%d", ref, id)), host, `{"status":"won","sale":{"amount":250000,"currency":"USD"}}`)
		wantStatus(t, r, http.StatusOK)
		w.vars[name] = strconv.FormatInt(decode[struct {
			Commissions []entryView `json:"commissions"`
		}](t, r).Commissions[0].ID, 10)
	}
	win("entry")
	win("dueEntry")
	// D refers leads to A by a tracking link: {linkCode}.
	link, err := ts.App.SetLink(context.Background(), app.Who{Email: w.emails["D"]}, pRef, app.LinkInput{LandingURL: "https://alpha-ledger.example/start"})
	if err != nil {
		t.Fatal(err)
	}
	w.vars["linkCode"] = link.Code
	wantStatus(t, ts.do(t, http.MethodPost, w.expand(ref+"/ledger/{dueEntry}/confirm"), host, ""), http.StatusOK)
}

// partnershipState is what partnership writes could change, for the
// access table's "a refused write changes nothing".
func (w *accessWorld) partnershipState(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	if w.vars["pStrat"] == "" {
		return ""
	}
	for _, p := range []string{"/api/v1/partnerships", "/api/v1/partnerships/{pStrat}", "/api/v1/partnerships/{pStrat}/quarters",
		"/api/v1/partnerships/{pRef}", "/api/v1/partnerships/{pRef}/terms", "/api/v1/partnerships/{pRef}/proposals", "/api/v1/partnerships/{pRef}/referrals", "/api/v1/partnerships/{pRef}/ledger"} {
		r := w.ts.do(t, http.MethodGet, w.expand(p), host, "")
		fmt.Fprintf(&b, "\n%s: %d %s", p, r.Status, r.Body)
	}
	return b.String()
}

// accessCheckPartnershipList checks each caller lists only their own: A
// their two, B none, the host every one (A's two among them).
func accessCheckPartnershipList(t *testing.T, w *accessWorld, c accessCaller, r response) {
	ids := map[string]bool{}
	for _, p := range decode[map[string][]partnershipView](t, r)["partnerships"] {
		ids[strconv.FormatInt(p.ID, 10)] = true
	}
	hasA := ids[w.vars["pStrat"]] && ids[w.vars["pRef"]]
	switch {
	case c == asOther && len(ids) != 0:
		t.Errorf("B lists %d partnerships, want none", len(ids))
	case c == asHost && !hasA:
		t.Errorf("the host's list %v lacks A's partnerships", ids)
	case c != asOther && c != asHost && (len(ids) != 2 || !hasA):
		t.Errorf("%s lists %v, want A's two", c, ids)
	}
}
