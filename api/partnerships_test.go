package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// partnershipWorld is a server with three members' posts, each member
// signed in: A and C become partners, B is a third member who must never
// see or touch their partnership.
type partnershipWorld struct {
	ts           *testServer
	a, b, c      *browser
	postA, postC int64
	postB, postD int64
}

func newPartnershipWorld(t *testing.T) *partnershipWorld {
	t.Helper()
	return newPartnershipWorldOn(t, newTestServer(t))
}

// newPartnershipWorldOn is newPartnershipWorld on a server of the test's.
func newPartnershipWorldOn(t *testing.T, ts *testServer) *partnershipWorld {
	t.Helper()
	mk := func(business, email, lane string) int64 {
		_, domain, _ := strings.Cut(email, "@")
		return ts.createPost(t, post("business", business, "email", email, "website", "https://"+domain, "lane", lane)).ID
	}
	w := &partnershipWorld{ts: ts}
	w.postA = mk("Alpha Ledger", "ana@alpha.example", "either")
	w.postB = mk("Bravo Books", "bo@bravo.example", "either")
	w.postC = mk("Charlie Chairside", "cy@charlie.example", "either")
	w.postD = mk("Delta Referrals", "di@delta.example", "referral")
	w.a, w.b, w.c = signIn(t, ts, "ana@alpha.example"), signIn(t, ts, "bo@bravo.example"), signIn(t, ts, "cy@charlie.example")
	return w
}

// hostPartnership starts a partnership of A and C in lane: the host's
// offer, which both accept.
func (w *partnershipWorld) hostPartnership(t *testing.T, lane string) int64 {
	t.Helper()
	return w.ts.offered(t, fmt.Sprintf(`{"post_a":%d,"post_b":%d,"lane":%q}`, w.postA, w.postC, lane)).ID
}

func wantError(t *testing.T, r response, status int, contains string) {
	t.Helper()
	wantStatus(t, r, status)
	if msg := decode[errorEnvelope](t, r).Error.Message; !strings.Contains(msg, contains) {
		t.Fatalf("message %q does not say %q", msg, contains)
	}
}

func TestPartnershipStartsFromAnAcceptedIntroduction(t *testing.T) {
	w := newPartnershipWorld(t)
	ts := w.ts
	ts.runRound(t, `{"quarter":"2026-Q3"}`)
	r := ts.do(t, http.MethodPost, "/api/v1/rounds/2026-Q3/suggestions", host, fmt.Sprintf(`{"post_a":%d,"post_b":%d}`, w.postA, w.postC))
	wantStatus(t, r, http.StatusCreated)
	sg := decode[suggestionView](t, r)
	wantStatus(t, ts.do(t, http.MethodPatch, fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d", sg.ID), host, `{"status":"approved"}`), http.StatusOK)
	r = ts.do(t, http.MethodPost, fmt.Sprintf("/api/v1/rounds/2026-Q3/suggestions/%d/introduce", sg.ID), host, "")
	wantStatus(t, r, http.StatusCreated)
	intro := decode[introductionView](t, r).ID
	start := fmt.Sprintf(`{"introduction_id":%d}`, intro)

	// Not before both said yes.
	wantStatus(t, w.a.api(t, http.MethodPost, "/api/v1/introductions/"+fmt.Sprint(intro)+"/answer", `{"answer":"accept"}`), http.StatusOK)
	wantError(t, w.a.api(t, http.MethodPost, "/api/v1/partnerships", start), http.StatusConflict, "both sides accepted")
	wantStatus(t, w.c.api(t, http.MethodPost, "/api/v1/introductions/"+fmt.Sprint(intro)+"/answer", `{"answer":"accept"}`), http.StatusOK)

	// A third member cannot use someone else's introduction, nor pair posts.
	wantStatus(t, w.b.api(t, http.MethodPost, "/api/v1/partnerships", start), http.StatusNotFound)
	wantStatus(t, w.b.api(t, http.MethodPost, "/api/v1/partnerships", fmt.Sprintf(`{"post_a":%d,"post_b":%d}`, w.postB, w.postC)), http.StatusForbidden)

	before := len(ts.outbox(t))
	r = w.a.api(t, http.MethodPost, "/api/v1/partnerships", start)
	wantStatus(t, r, http.StatusCreated)
	p := decode[partnershipView](t, r)
	// Both posts are open to either lane: it starts as referral, the
	// lighter commitment.
	if p.Lane != "referral" || p.Status != "active" || p.You != "a" || p.IntroductionID != intro || p.StartedOn != time.Now().UTC().Format("2006-01-02") {
		t.Errorf("partnership = %+v", p)
	}
	if len(p.History) != 1 || p.History[0].Kind != "created" || p.History[0].Actor != "a" {
		t.Errorf("history = %+v", p.History)
	}
	mails := ts.outbox(t)[before:]
	if len(mails) != 1 || mails[0].To != "<cy@charlie.example>" || !strings.Contains(mails[0].Subject, "referral partnership with Alpha Ledger") {
		t.Errorf("the other side should hear of it: %+v", mails)
	}
	// Once only.
	wantStatus(t, w.c.api(t, http.MethodPost, "/api/v1/partnerships", start), http.StatusConflict)

	path := fmt.Sprintf("/api/v1/partnerships/%d", p.ID)
	if got := decode[partnershipView](t, w.c.api(t, http.MethodGet, path, "")); got.You != "b" || got.A.Email != "ana@alpha.example" {
		t.Errorf("C sees %+v", got)
	}
	wantStatus(t, w.b.api(t, http.MethodGet, path, ""), http.StatusNotFound)
	if list := decode[map[string][]partnershipView](t, w.b.api(t, http.MethodGet, "/api/v1/partnerships", ""))["partnerships"]; len(list) != 0 {
		t.Errorf("a third member lists %+v", list)
	}
	if list := decode[map[string][]partnershipView](t, w.a.api(t, http.MethodGet, "/api/v1/partnerships?lane=referral", ""))["partnerships"]; len(list) != 1 {
		t.Errorf("A lists %+v", list)
	}
	wantStatus(t, newBrowser(ts).api(t, http.MethodGet, path, ""), http.StatusUnauthorized)

	// A lane neither post accepts is refused, naming it.
	r = ts.do(t, http.MethodPost, "/api/v1/offers", host, fmt.Sprintf(`{"post_a":%d,"post_b":%d,"lane":"strategic"}`, w.postB, w.postD))
	wantError(t, r, http.StatusConflict, "Delta Referrals asked for a referral partnership, not a strategic one")
	wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/offers", host, fmt.Sprintf(`{"post_a":%d,"post_b":%d,"lane":"sideways"}`, w.postB, w.postD)), http.StatusBadRequest)
}

func TestPartnershipStatusTransitions(t *testing.T) {
	w := newPartnershipWorld(t)
	id := w.hostPartnership(t, "strategic")
	path := fmt.Sprintf("/api/v1/partnerships/%d", id)
	for _, step := range []struct {
		to   string
		want int
	}{
		{"active", 409}, {"paused", 200}, {"paused", 409}, {"active", 200}, {"ended", 200}, {"active", 409}, {"paused", 409}, {"ended", 409},
	} {
		r := w.a.api(t, http.MethodPatch, path, fmt.Sprintf(`{"status":%q,"reason":"quarter review"}`, step.to))
		if r.Status != step.want {
			t.Fatalf("→ %s: %s, want %d", step.to, r, step.want)
		}
	}
	p := decode[partnershipView](t, w.c.api(t, http.MethodGet, path, ""))
	if p.Status != "ended" || p.EndedOn == "" || len(p.History) != 4 || p.History[3].From != "active" || p.History[3].To != "ended" || p.History[3].Actor != "a" {
		t.Errorf("after ending: %+v", p)
	}
	// An ended partnership takes no new work, and its lane stays.
	wantError(t, w.a.api(t, http.MethodPost, path+"/quarters/2026-Q4/goals", `{"title":"Joint webinar","metric":"signups","target":50,"owner":"both"}`), http.StatusConflict, "ended")
	wantError(t, w.a.api(t, http.MethodPost, path+"/proposals", `{"kind":"lane","lane":"referral","reason":"less work"}`), http.StatusConflict, "ended")
	// The same two may start afresh.
	w.hostPartnership(t, "referral")
	wantStatus(t, w.a.api(t, http.MethodPatch, path, `{"status":"closed"}`), http.StatusBadRequest)
	wantStatus(t, w.b.api(t, http.MethodPatch, path, `{"status":"paused"}`), http.StatusNotFound)
}

func TestStrategicLane(t *testing.T) {
	w := newPartnershipWorld(t)
	id := w.hostPartnership(t, "strategic")
	q := fmt.Sprintf("/api/v1/partnerships/%d/quarters/2026-Q1", id)
	healthState := func() string {
		t.Helper()
		health := decode[map[string][]healthView](t, w.ts.do(t, http.MethodGet, "/api/v1/partnerships/health", host, ""))["partnerships"]
		if len(health) != 1 {
			t.Fatalf("health lists %d partnerships, want 1", len(health))
		}
		return health[0].State
	}
	// With nothing yet to judge by, the health says so: never "on track".
	if got := healthState(); got != "no_review_yet" {
		t.Errorf("a new partnership's health: %q, want no_review_yet", got)
	}

	r := w.a.api(t, http.MethodPost, q+"/goals", `{"title":"Joint webinar","metric":"signups","target":50,"unit":"people","owner":"both"}`)
	wantStatus(t, r, http.StatusCreated)
	webinar := decode[goalView](t, r)
	// 2026-Q1 has ended: a plan for it owes both sides' reviews.
	if got := healthState(); got != "needs_look" {
		t.Errorf("with goals planned for an ended quarter and no review, health: %q, want needs_look", got)
	}
	r = w.c.api(t, http.MethodPost, q+"/goals", `{"title":"Lower churn","metric":"churned clients","target":3,"direction":"at_most","owner":"b"}`)
	wantStatus(t, r, http.StatusCreated)
	churn := decode[goalView](t, r)
	wantStatus(t, w.a.api(t, http.MethodPost, q+"/goals", `{"title":"No target","metric":"x","owner":"both"}`), http.StatusBadRequest)
	wantStatus(t, w.a.api(t, http.MethodPost, q+"/goals", `{"title":"Bad owner","metric":"x","target":1,"owner":"c"}`), http.StatusBadRequest)
	wantStatus(t, w.a.api(t, http.MethodPost, fmt.Sprintf("/api/v1/partnerships/%d/quarters/2026-Q5/goals", id), `{"title":"T","metric":"x","target":1,"owner":"a"}`), http.StatusBadRequest)

	r = w.a.api(t, http.MethodPost, q+"/deliverables", `{"what":"Co-branded landing page","owner":"a","due_on":"2026-02-15"}`)
	wantStatus(t, r, http.StatusCreated)
	page := decode[deliverableView](t, r)
	wantStatus(t, w.a.api(t, http.MethodPost, q+"/deliverables", `{"what":"Case study","owner":"b","due_on":"2026-03-01"}`), http.StatusCreated)
	wantStatus(t, w.a.api(t, http.MethodPost, q+"/deliverables", `{"what":"Bad date","owner":"b","due_on":"March"}`), http.StatusBadRequest)
	r = w.a.api(t, http.MethodPatch, fmt.Sprintf("%s/deliverables/%d", q, page.ID), `{"done":true}`)
	wantStatus(t, r, http.StatusOK)
	if d := decode[deliverableView](t, r); !d.Done || d.DoneOn == "" {
		t.Errorf("after done: %+v", d)
	}

	// Expectations: a member signs their own at once; the host writes one
	// for a side to sign, and only that side can.
	r = w.a.api(t, http.MethodPost, q+"/expectations", `{"text":"Reply to shared leads within a day"}`)
	wantStatus(t, r, http.StatusCreated)
	if e := decode[expectationView](t, r); e.Side != "a" || !e.Signed {
		t.Errorf("own expectation: %+v", e)
	}
	wantStatus(t, w.a.api(t, http.MethodPost, q+"/expectations", `{"text":"C does all the work","side":"b"}`), http.StatusForbidden)
	wantStatus(t, w.ts.do(t, http.MethodPost, q+"/expectations", host, `{"text":"No side"}`), http.StatusBadRequest)
	r = w.ts.do(t, http.MethodPost, q+"/expectations", host, `{"text":"Present the package at the March meetup","side":"b"}`)
	wantStatus(t, r, http.StatusCreated)
	hostWritten := decode[expectationView](t, r)
	if hostWritten.Signed {
		t.Error("an expectation the host wrote is signed before its side signs it")
	}
	sign := fmt.Sprintf("%s/expectations/%d/sign", q, hostWritten.ID)
	wantStatus(t, w.a.api(t, http.MethodPost, sign, ""), http.StatusNotFound) // it is C's
	wantStatus(t, w.ts.do(t, http.MethodPost, sign, host, ""), http.StatusForbidden)
	wantStatus(t, w.c.api(t, http.MethodPost, sign, ""), http.StatusOK)
	wantStatus(t, w.c.api(t, http.MethodPost, sign, ""), http.StatusConflict)

	// Reviews, with the goals' actuals: each side's own, never the host's.
	review := fmt.Sprintf(`{"rating":4,"notes":"Good quarter","delivered":"Landing page live","actuals":[{"goal_id":%d,"actual":62},{"goal_id":%d,"actual":5}]}`, webinar.ID, churn.ID)
	wantStatus(t, w.ts.do(t, http.MethodPut, q+"/review", host, review), http.StatusForbidden)
	wantStatus(t, w.a.api(t, http.MethodPut, q+"/review", `{"rating":6}`), http.StatusBadRequest)
	wantStatus(t, w.a.api(t, http.MethodPut, q+"/review", `{"rating":3,"actuals":[{"goal_id":999999,"actual":1}]}`), http.StatusBadRequest)
	wantStatus(t, w.a.api(t, http.MethodPut, q+"/review", review), http.StatusOK)
	wantStatus(t, w.b.api(t, http.MethodPut, q+"/review", review), http.StatusNotFound)

	got := decode[quarterView](t, w.c.api(t, http.MethodGet, q, ""))
	ret := got.Returns
	if len(got.Goals) != 2 || ret.Goals != 2 || ret.GoalsMeasured != 2 || ret.GoalsMet != 1 || ret.DeliverablesDone != 1 || ret.Overdue != 1 || ret.RatingA != 4 || ret.RatingB != 0 {
		t.Errorf("returns = %+v", ret)
	}
	if len(ret.ReviewMissing) != 1 || ret.ReviewMissing[0] != "b" {
		t.Errorf("C's review of the past quarter is missing: %+v", ret.ReviewMissing)
	}
	if p := ret.Progress[webinar.ID]; p < 1.23 || p > 1.25 {
		t.Errorf("webinar progress = %v, want 62/50", p)
	}

	// The host sees the health of every strategic partnership.
	health := decode[map[string][]healthView](t, w.ts.do(t, http.MethodGet, "/api/v1/partnerships/health", host, ""))["partnerships"]
	if len(health) != 1 || health[0].Overdue != 1 || health[0].GoalsMet != 1 || len(health[0].ReviewsMissing) != 1 || health[0].ReviewsMissing[0].Business != "Charlie Chairside" || health[0].State != "needs_look" {
		t.Errorf("health = %+v", health)
	}
	wantStatus(t, w.a.api(t, http.MethodGet, "/api/v1/partnerships/health", ""), http.StatusUnauthorized)

	// Quarter by quarter.
	wantStatus(t, w.a.api(t, http.MethodPost, fmt.Sprintf("/api/v1/partnerships/%d/quarters/2026-Q2/goals", id), `{"title":"Bundle sold","metric":"bundles","target":10,"owner":"both"}`), http.StatusCreated)
	quarters := decode[map[string][]quarterView](t, w.a.api(t, http.MethodGet, fmt.Sprintf("/api/v1/partnerships/%d/quarters", id), ""))["quarters"]
	if len(quarters) != 2 || quarters[0].Quarter != "2026-Q1" || quarters[1].Quarter != "2026-Q2" {
		t.Errorf("quarters = %+v", quarters)
	}
	wantStatus(t, w.b.api(t, http.MethodGet, fmt.Sprintf("/api/v1/partnerships/%d/quarters", id), ""), http.StatusNotFound)

	// Edits and deletes of the plan.
	r = w.a.api(t, http.MethodPatch, fmt.Sprintf("%s/goals/%d", q, webinar.ID), `{"target":60,"clear_actual":true}`)
	wantStatus(t, r, http.StatusOK)
	if g := decode[goalView](t, r); g.Target != 60 || g.Actual != nil || g.Met {
		t.Errorf("edited goal: %+v", g)
	}
	wantStatus(t, w.a.api(t, http.MethodDelete, fmt.Sprintf("%s/goals/%d", q, churn.ID), ""), http.StatusNoContent)
	wantStatus(t, w.a.api(t, http.MethodDelete, fmt.Sprintf("%s/goals/%d", q, churn.ID), ""), http.StatusNotFound)
	wantStatus(t, w.a.api(t, http.MethodDelete, fmt.Sprintf("/api/v1/partnerships/%d/quarters/2026-Q2/deliverables/%d", id, page.ID), ""), http.StatusNotFound)
}

func TestStrategicLimitWarns(t *testing.T) {
	ts := newTestServer(t)
	hub := ts.createPost(t, post("business", "Hub Agency", "email", "hub@hub.example", "website", "https://hub.example", "lane", "strategic")).ID
	var last partnershipView
	for i := range 6 {
		other := ts.createPost(t, post("business", fmt.Sprintf("Spoke %d", i), "email", fmt.Sprintf("s%d@spoke%d.example", i, i),
			"website", fmt.Sprintf("https://spoke%d.example", i), "lane", "either")).ID
		last = ts.offered(t, fmt.Sprintf(`{"post_a":%d,"post_b":%d}`, hub, other))
		if last.Lane != "strategic" {
			t.Fatalf("lane = %s, want strategic (the hub asked for it)", last.Lane)
		}
		if (i < 5) != (len(last.Warnings) == 0) {
			t.Fatalf("partnership %d: warnings %v", i+1, last.Warnings)
		}
	}
	if !strings.Contains(last.Warnings[0], "Hub Agency now holds 6 active strategic partnerships, more than the 5") {
		t.Errorf("warning = %q", last.Warnings[0])
	}
	health := decode[map[string][]healthView](t, ts.do(t, http.MethodGet, "/api/v1/partnerships/health", host, ""))["partnerships"]
	if len(health) != 6 || len(health[0].Warnings) != 1 {
		t.Errorf("the host should see the warning on each of the hub's partnerships: %+v", health)
	}
}

func TestReferralLedger(t *testing.T) {
	w := newPartnershipWorld(t)
	id := w.hostPartnership(t, "referral")
	p := fmt.Sprintf("/api/v1/partnerships/%d", id)

	r := w.a.api(t, http.MethodPost, p+"/referrals", `{"lead_name":"Dr. Rosa Diaz","company":"Diaz Dental","note":"Opening a second clinic"}`)
	wantStatus(t, r, http.StatusCreated)
	lead := decode[referralView](t, r)
	if lead.From != "a" || lead.Status != "submitted" {
		t.Errorf("referral = %+v", lead)
	}
	mails := w.ts.outbox(t)
	if last := mails[len(mails)-1]; last.To != "<cy@charlie.example>" || !strings.Contains(last.Text, "Dr. Rosa Diaz") {
		t.Errorf("C should hear of the lead: %+v", last)
	}
	wantStatus(t, w.a.api(t, http.MethodPost, p+"/referrals", `{"lead_name":"Someone","from":"b"}`), http.StatusForbidden)
	lp := fmt.Sprintf("%s/referrals/%d", p, lead.ID)

	// No terms yet: a win cannot be priced.
	wantError(t, w.c.api(t, http.MethodPatch, lp, `{"status":"won","sale":{"amount":1000,"currency":"USD"}}`), http.StatusConflict, "no referral terms")
	for _, bad := range []string{
		`{"kind":"percent","percent":"0","currency":"USD","payer":"b"}`,
		`{"kind":"percent","percent":"10","currency":"US","payer":"b"}`,
		`{"kind":"percent","percent":"10","payer":"b"}`,
		`{"kind":"flat","percent":"10","currency":"USD","payer":"b"}`,
		`{"kind":"flat","flat_fee":{"amount":-5,"currency":"USD"},"payer":"b"}`,
		`{"kind":"percent","percent":"10","currency":"USD","payer":"c"}`,
		`{"kind":"percent","percent":10,"currency":"USD","payer":"b"}`,
	} {
		r := w.a.api(t, http.MethodPost, p+"/proposals", proposeTerms(bad))
		if r.Status != http.StatusBadRequest {
			t.Errorf("terms %s: %s, want 400", bad, r)
		}
	}
	agreed := agree(t, p, w.a, w.c, proposeTerms(`{"kind":"percent","percent":"10","currency":"USD","payer":"b"}`))
	terms1 := decode[map[string][]termsView](t, w.a.api(t, http.MethodGet, p+"/terms", ""))["terms"][0]
	if terms1.BasisPoints != 1000 || terms1.Percent != "10" || terms1.SetBy != "a" || terms1.ID != agreed.TermsID {
		t.Errorf("terms = %+v", terms1)
	}

	// The referring side cannot declare its own lead won.
	wantStatus(t, w.a.api(t, http.MethodPatch, lp, `{"status":"won","sale":{"amount":12345,"currency":"USD"}}`), http.StatusForbidden)
	wantStatus(t, w.c.api(t, http.MethodPatch, lp, `{"status":"won"}`), http.StatusBadRequest)
	wantStatus(t, w.c.api(t, http.MethodPatch, lp, `{"status":"won","sale":{"amount":12345,"currency":"EUR"}}`), http.StatusBadRequest)
	wantStatus(t, w.c.api(t, http.MethodPatch, lp, `{"status":"qualified"}`), http.StatusOK)
	wantStatus(t, w.c.api(t, http.MethodPatch, lp, `{"status":"qualified"}`), http.StatusConflict)
	r = w.c.api(t, http.MethodPatch, lp, `{"status":"won","sale":{"amount":12345,"currency":"USD"}}`)
	wantStatus(t, r, http.StatusOK)
	won := decode[struct {
		Referral    referralView `json:"referral"`
		Commissions []entryView  `json:"commissions"`
	}](t, r)
	// 10% of 123.45 is 12.345, rounded half away from zero to 12.35.
	if len(won.Commissions) != 1 || won.Commissions[0].Amount.Amount != 1235 || won.Commissions[0].Payer != "b" || won.Commissions[0].Status != "pending" ||
		won.Commissions[0].Confirmer != "b" || won.Referral.TermsID != terms1.ID {
		t.Fatalf("won: %+v", won)
	}
	wantStatus(t, w.c.api(t, http.MethodPatch, lp, `{"status":"lost"}`), http.StatusConflict)
	commission := won.Commissions[0].ID
	ep := fmt.Sprintf("%s/ledger/%d", p, commission)

	// Pending → due (by the payer) → paid (by a payout).
	wantStatus(t, w.ts.do(t, http.MethodPost, p+"/payouts", host, fmt.Sprintf(`{"entry_ids":[%d],"paid_on":"2026-11-20","reference":"INV-1"}`, commission)), http.StatusConflict)
	wantStatus(t, w.a.api(t, http.MethodPost, ep+"/confirm", ""), http.StatusForbidden)
	wantStatus(t, w.b.api(t, http.MethodPost, ep+"/confirm", ""), http.StatusNotFound)
	wantStatus(t, w.c.api(t, http.MethodPost, ep+"/confirm", ""), http.StatusOK)
	wantStatus(t, w.c.api(t, http.MethodPost, ep+"/confirm", ""), http.StatusConflict)
	payout := fmt.Sprintf(`{"entry_ids":[%d],"paid_on":"2026-11-20","reference":"INV-1"}`, commission)
	wantStatus(t, w.a.api(t, http.MethodPost, p+"/payouts", payout), http.StatusForbidden) // A is paid, C pays
	wantStatus(t, w.c.api(t, http.MethodPost, p+"/payouts", `{"entry_ids":[],"paid_on":"2026-11-20","reference":"x"}`), http.StatusBadRequest)
	wantStatus(t, w.c.api(t, http.MethodPost, p+"/payouts", fmt.Sprintf(`{"entry_ids":[%d,%d],"paid_on":"2026-11-20","reference":"x"}`, commission, commission)), http.StatusBadRequest)
	r = w.c.api(t, http.MethodPost, p+"/payouts", payout)
	wantStatus(t, r, http.StatusCreated)
	if po := decode[payoutView](t, r); po.Amount.Amount != 1235 || po.Payer != "b" || po.Reference != "INV-1" {
		t.Errorf("payout = %+v", po)
	}
	wantStatus(t, w.c.api(t, http.MethodPost, p+"/payouts", payout), http.StatusConflict)

	// A refund is a new reversing entry; history is never edited.
	wantStatus(t, w.c.api(t, http.MethodPost, ep+"/reverse", `{"amount":2000,"reason":"refund"}`), http.StatusBadRequest)
	wantStatus(t, w.c.api(t, http.MethodPost, ep+"/reverse", `{"amount":500}`), http.StatusBadRequest)
	r = w.c.api(t, http.MethodPost, ep+"/reverse", `{"amount":500,"reason":"customer refunded part of the order"}`)
	wantStatus(t, r, http.StatusCreated)
	rev := decode[entryView](t, r)
	if rev.Amount.Amount != -500 || rev.ReversesID != commission || rev.Confirmer != "a" || rev.Kind != "reversal" {
		t.Errorf("reversal = %+v", rev)
	}
	wantStatus(t, w.c.api(t, http.MethodPost, fmt.Sprintf("%s/ledger/%d/reverse", p, rev.ID), `{"reason":"undo"}`), http.StatusConflict)
	wantStatus(t, w.a.api(t, http.MethodPost, fmt.Sprintf("%s/ledger/%d/confirm", p, rev.ID), ""), http.StatusOK)
	r = w.a.api(t, http.MethodPost, p+"/ledger", `{"payer":"b","amount":{"amount":-35,"currency":"USD"},"reason":"rounding agreed"}`)
	wantStatus(t, r, http.StatusCreated)
	wantStatus(t, w.a.api(t, http.MethodPost, p+"/ledger", `{"payer":"b","amount":{"amount":0,"currency":"USD"},"reason":"nothing"}`), http.StatusBadRequest)

	// New terms apply from now on: recurring, three monthly installments.
	agree(t, p, w.c, w.a, proposeTerms(`{"kind":"flat","flat_fee":{"amount":5000,"currency":"USD"},"payer":"both","recurring_months":3}`))
	r = w.c.api(t, http.MethodPost, p+"/referrals", `{"lead_name":"Smile Studio"}`)
	wantStatus(t, r, http.StatusCreated)
	second := decode[referralView](t, r)
	r = w.a.api(t, http.MethodPatch, fmt.Sprintf("%s/referrals/%d", p, second.ID), `{"status":"won","sale":{"amount":90000,"currency":"USD"}}`)
	wantStatus(t, r, http.StatusOK)
	if got := decode[struct {
		Commissions []entryView `json:"commissions"`
	}](t, r).Commissions; len(got) != 3 || got[0].Amount.Amount != 5000 || got[0].Payer != "a" {
		t.Errorf("recurring flat commissions = %+v", got)
	}
	terms := decode[map[string][]termsView](t, w.a.api(t, http.MethodGet, p+"/terms", ""))["terms"]
	if len(terms) != 2 || terms[1].ID != terms1.ID {
		t.Errorf("terms history = %+v", terms)
	}
	if refs := decode[map[string][]referralView](t, w.a.api(t, http.MethodGet, p+"/referrals", ""))["referrals"]; len(refs) != 2 || refs[1].TermsID != terms1.ID {
		t.Errorf("the first referral keeps the terms it was won under: %+v", refs)
	}

	// The statement adds up, as JSON and as CSV.
	st := decode[statementView](t, w.a.api(t, http.MethodGet, p+"/statement", ""))
	byPayer := map[string]struct{ Earned, Reversed, Net, Pending, Due, Paid, PaidOut int64 }{}
	for _, tt := range st.Totals {
		byPayer[string(tt.Payer)] = struct{ Earned, Reversed, Net, Pending, Due, Paid, PaidOut int64 }{tt.Earned, tt.Reversed, tt.Net, tt.Pending, tt.Due, tt.Paid, tt.PaidOut}
	}
	if got := byPayer["b"]; got.Earned != 1235 || got.Reversed != -535 || got.Net != 700 || got.Paid != 1235 || got.Due != -500 || got.Pending != -35 || got.PaidOut != 1235 {
		t.Errorf("C → A totals = %+v", got)
	}
	if got := byPayer["a"]; got.Earned != 15000 || got.Pending != 15000 {
		t.Errorf("A → C totals = %+v", got)
	}
	if len(st.Entries) != 6 || len(st.Payouts) != 1 || st.RoundingRule == "" {
		t.Errorf("statement: %d entries, %d payouts", len(st.Entries), len(st.Payouts))
	}
	r = w.c.api(t, http.MethodGet, p+"/statement?format=csv", "")
	wantStatus(t, r, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(r.Header.Get("Content-Disposition"), "statement") {
		t.Errorf("CSV headers: %v", r.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil || len(rows) < 8 || rows[0][0] != "record" {
		t.Fatalf("CSV: %v %v", rows, err)
	}
	wantStatus(t, w.a.api(t, http.MethodGet, p+"/statement?quarter=2026-Q9", ""), http.StatusBadRequest)
	wantStatus(t, w.a.api(t, http.MethodGet, p+"/statement?format=pdf", ""), http.StatusBadRequest)
	wantStatus(t, w.b.api(t, http.MethodGet, p+"/statement", ""), http.StatusNotFound)
	quarter := time.Now().UTC()
	qs := decode[statementView](t, w.a.api(t, http.MethodGet, fmt.Sprintf("%s/statement?quarter=%d-Q%d", p, quarter.Year(), (int(quarter.Month())-1)/3+1), ""))
	if len(qs.Entries) == 0 || len(qs.Entries) > len(st.Entries) {
		t.Errorf("this quarter's statement has %d entries", len(qs.Entries))
	}
}

// TestLanesKeptApart proves every crossing is refused: the records of one
// lane on a partnership of the other get 409 naming the lane. Then a lane
// change, with its reason in the history, keeps the old lane's records
// readable but closed to new ones.
func TestLanesKeptApart(t *testing.T) {
	w := newPartnershipWorld(t)
	strategic := w.hostPartnership(t, "strategic")
	// A second pair for the referral partnership: A and D.
	referral := w.ts.offered(t, fmt.Sprintf(`{"post_a":%d,"post_b":%d,"lane":"referral"}`, w.postA, w.postD)).ID

	referralCalls := []struct{ method, path, body string }{
		{http.MethodGet, "/terms", ""},
		{http.MethodPost, "/proposals", proposeTerms(`{"kind":"percent","percent":"10","currency":"USD","payer":"b"}`)},
		{http.MethodGet, "/referrals", ""},
		{http.MethodPost, "/referrals", `{"lead_name":"Lead"}`},
		{http.MethodPatch, "/referrals/1", `{"status":"lost"}`},
		{http.MethodGet, "/ledger", ""},
		{http.MethodPost, "/ledger", `{"payer":"a","amount":{"amount":100,"currency":"USD"},"reason":"fix"}`},
		{http.MethodPost, "/ledger/1/confirm", ""},
		{http.MethodPost, "/ledger/1/reverse", `{"reason":"refund"}`},
		{http.MethodPost, "/payouts", `{"entry_ids":[1],"paid_on":"2026-11-20","reference":"x"}`},
		{http.MethodGet, "/statement", ""},
	}
	strategicCalls := []struct{ method, path, body string }{
		{http.MethodGet, "/quarters", ""},
		{http.MethodGet, "/quarters/2026-Q4", ""},
		{http.MethodPost, "/quarters/2026-Q4/goals", `{"title":"Goal","metric":"m","target":1,"owner":"a"}`},
		{http.MethodPatch, "/quarters/2026-Q4/goals/1", `{"actual":1}`},
		{http.MethodDelete, "/quarters/2026-Q4/goals/1", ""},
		{http.MethodPost, "/quarters/2026-Q4/deliverables", `{"what":"Thing","owner":"a","due_on":"2026-12-01"}`},
		{http.MethodPatch, "/quarters/2026-Q4/deliverables/1", `{"done":true}`},
		{http.MethodDelete, "/quarters/2026-Q4/deliverables/1", ""},
		{http.MethodPost, "/quarters/2026-Q4/expectations", `{"text":"Show up"}`},
		{http.MethodPost, "/quarters/2026-Q4/expectations/1/sign", ""},
		{http.MethodPut, "/quarters/2026-Q4/review", `{"rating":4}`},
	}
	cross := func(t *testing.T, id int64, calls []struct{ method, path, body string }, lane string) {
		t.Helper()
		for _, c := range calls {
			for _, b := range []*browser{w.a, nil} {
				var r response
				if b == nil {
					r = w.ts.do(t, c.method, fmt.Sprintf("/api/v1/partnerships/%d%s", id, c.path), host, c.body)
				} else {
					r = b.api(t, c.method, fmt.Sprintf("/api/v1/partnerships/%d%s", id, c.path), c.body)
				}
				if r.Status != http.StatusConflict || !strings.Contains(decode[errorEnvelope](t, r).Error.Message, "in the "+lane+" lane") {
					t.Errorf("%s %s on a %s partnership: %s, want 409 naming the lane", c.method, c.path, lane, r)
				}
			}
		}
	}
	cross(t, strategic, referralCalls, "strategic")
	cross(t, referral, strategicCalls, "referral")

	// The referral partnership builds a ledger, then moves lanes.
	p := fmt.Sprintf("/api/v1/partnerships/%d", referral)
	d := signIn(t, w.ts, "di@delta.example")
	agree(t, p, w.a, d, proposeTerms(`{"kind":"percent","percent":"10","currency":"USD","payer":"b"}`))
	wantStatus(t, w.a.api(t, http.MethodPost, p+"/referrals", `{"lead_name":"Lead One"}`), http.StatusCreated)
	wantStatus(t, w.a.api(t, http.MethodPost, p+"/proposals", `{"kind":"lane","lane":"referral","reason":"stay"}`), http.StatusConflict)
	wantStatus(t, w.b.api(t, http.MethodPost, p+"/proposals", `{"kind":"lane","lane":"strategic","reason":"hijack"}`), http.StatusNotFound)
	agree(t, p, w.a, d, `{"kind":"lane","lane":"strategic","reason":"We are building a joint package for Q1"}`)
	moved := decode[partnershipView](t, w.a.api(t, http.MethodGet, p, ""))
	last := moved.History[len(moved.History)-1]
	if moved.Lane != "strategic" || last.Kind != "lane" || last.From != "referral" || last.To != "strategic" || last.Actor != "b" {
		t.Errorf("after the lane change: %+v", moved)
	}
	// The old lane's records stay readable...
	for _, path := range []string{"/terms", "/referrals", "/ledger", "/statement"} {
		wantStatus(t, w.a.api(t, http.MethodGet, p+path, ""), http.StatusOK)
	}
	if refs := decode[map[string][]referralView](t, w.a.api(t, http.MethodGet, p+"/referrals", ""))["referrals"]; len(refs) != 1 || refs[0].LeadName != "Lead One" {
		t.Errorf("old referrals: %+v", refs)
	}
	// ...but take nothing new, and the new lane's do.
	wantError(t, w.a.api(t, http.MethodPost, p+"/referrals", `{"lead_name":"Lead Two"}`), http.StatusConflict, "in the strategic lane")
	wantStatus(t, w.a.api(t, http.MethodPost, p+"/quarters/2026-Q1/goals", `{"title":"Joint package","metric":"bundles sold","target":5,"owner":"both"}`), http.StatusCreated)
	// A partnership that was never referral has no referral records to read.
	wantError(t, w.a.api(t, http.MethodGet, fmt.Sprintf("/api/v1/partnerships/%d/terms", strategic), ""), http.StatusConflict, "in the strategic lane")
}

// TestPartnersAreNotSuggestedAgain checks a partnership takes the pair out
// of both members' matches and of rounds.
func TestPartnersAreNotSuggestedAgain(t *testing.T) {
	ts := newTestServer(t)
	books := ts.createPost(t, post("business", "Alpha Ledger", "email", "ana@alpha.example", "website", "https://alpha.example", "lane", "either")).ID
	software := ts.createPost(t, post("business", "Charlie Chairside", "email", "cy@charlie.example", "website", "https://charlie.example", "lane", "either",
		"offer", "Practice-management software for dental clinics", "seek", "Bookkeepers who serve dental practices", "tags", []string{"software"})).ID
	partners := func(id int64) []int64 {
		var out []int64
		for _, m := range decode[struct {
			Matches []struct {
				Post postView `json:"post"`
			} `json:"matches"`
		}](t, ts.do(t, http.MethodGet, fmt.Sprintf("/api/v1/posts/%d/matches", id), host, "")).Matches {
			out = append(out, m.Post.ID)
		}
		return out
	}
	if got := partners(books); len(got) != 1 || got[0] != software {
		t.Fatalf("before: the bookkeeper's matches are %v, want the software vendor", got)
	}
	ts.offered(t, fmt.Sprintf(`{"post_a":%d,"post_b":%d}`, books, software))
	if got := partners(books); len(got) != 0 {
		t.Errorf("after: the bookkeeper's matches are %v", got)
	}
	if got := partners(software); len(got) != 0 {
		t.Errorf("after: the vendor's matches are %v", got)
	}
	if n := ts.runRound(t, `{"quarter":"2026-Q3"}`).Counts["proposed"]; n != 0 {
		t.Errorf("the round proposes %d pairs, want none", n)
	}
}
