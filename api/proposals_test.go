package api

import (
	"fmt"
	"net/http"
	"testing"
)

// agree has proposer propose body (a proposal's JSON) on the partnership
// at path and other accept it: how terms and lanes come into force.
func agree(t *testing.T, path string, proposer, other *browser, body string) proposalView {
	t.Helper()
	r := proposer.api(t, http.MethodPost, path+"/proposals", body)
	wantStatus(t, r, http.StatusCreated)
	pr := decode[proposalView](t, r)
	r = other.api(t, http.MethodPost, fmt.Sprintf("%s/proposals/%d/accept", path, pr.ID), "")
	wantStatus(t, r, http.StatusOK)
	if pr = decode[proposalView](t, r); pr.Status != "accepted" {
		t.Fatalf("after both agreed: %+v", pr)
	}
	return pr
}

// proposeTerms is the body proposing terms (their JSON).
func proposeTerms(terms string) string { return `{"kind":"terms","terms":` + terms + `}` }

// TestTermsAndLaneNeedConsent walks proposals over HTTP as the two sides
// and the host: nothing binds both until the other side accepts.
func TestTermsAndLaneNeedConsent(t *testing.T) {
	w := newPartnershipWorld(t)
	p := fmt.Sprintf("/api/v1/partnerships/%d", w.hostPartnership(t, "referral")) // A and C
	for _, bad := range []string{
		`{"kind":"terms"}`,
		`{"kind":"terms","terms":{"kind":"percent","percent":"0","currency":"USD","payer":"b"}}`,
		`{"kind":"lane","lane":"strategic"}`, // a reason is required
		`{"kind":"lane","lane":"sideways","reason":"why not"}`,
		`{"kind":"terms","lane":"strategic","terms":{"kind":"percent","percent":"10","currency":"USD","payer":"b"}}`,
		`{"kind":"rent"}`,
	} {
		wantStatus(t, w.a.api(t, http.MethodPost, p+"/proposals", bad), http.StatusBadRequest)
	}
	wantStatus(t, w.b.api(t, http.MethodPost, p+"/proposals", proposeTerms(`{"kind":"percent","percent":"50","currency":"USD","payer":"b"}`)), http.StatusNotFound)
	wantStatus(t, w.b.api(t, http.MethodGet, p+"/proposals", ""), http.StatusNotFound)

	// A asks 15%; C counters with 10%; A accepts.
	r := w.a.api(t, http.MethodPost, p+"/proposals", proposeTerms(`{"kind":"percent","percent":"15","currency":"USD","payer":"b"}`))
	wantStatus(t, r, http.StatusCreated)
	first := decode[proposalView](t, r)
	if first.Status != "open" || len(first.WaitingFor) != 1 || first.WaitingFor[0] != "b" || first.Terms == nil || first.Terms.Percent != "15" {
		t.Errorf("proposal = %+v", first)
	}
	if terms := decode[map[string][]termsView](t, w.c.api(t, http.MethodGet, p+"/terms", ""))["terms"]; len(terms) != 0 {
		t.Errorf("terms in force before C answered: %+v", terms)
	}
	wantError(t, w.a.api(t, http.MethodPost, fmt.Sprintf("%s/proposals/%d/accept", p, first.ID), ""), http.StatusConflict, "waits for the other side")
	r = w.c.api(t, http.MethodPost, p+"/proposals", proposeTerms(`{"kind":"percent","percent":"10","currency":"USD","payer":"b"}`))
	wantStatus(t, r, http.StatusCreated)
	counter := decode[proposalView](t, r)
	if counter.Answers != first.ID || counter.WaitingFor[0] != "a" {
		t.Errorf("counter-proposal = %+v", counter)
	}
	wantStatus(t, w.ts.do(t, http.MethodPost, fmt.Sprintf("%s/proposals/%d/accept", p, counter.ID), host, ""), http.StatusForbidden)
	r = w.a.api(t, http.MethodPost, fmt.Sprintf("%s/proposals/%d/accept", p, counter.ID), `{"note":"deal"}`)
	wantStatus(t, r, http.StatusOK)
	if got := decode[proposalView](t, r); got.Status != "accepted" || got.TermsID == 0 || got.DecidedAt == nil || len(got.WaitingFor) != 0 {
		t.Errorf("accepted = %+v", got)
	}
	terms := decode[map[string][]termsView](t, w.a.api(t, http.MethodGet, p+"/terms", ""))["terms"]
	if len(terms) != 1 || terms[0].Percent != "10" || terms[0].SetBy != "b" {
		t.Errorf("terms in force = %+v", terms)
	}
	list := decode[map[string][]proposalView](t, w.c.api(t, http.MethodGet, p+"/proposals", ""))["proposals"]
	if len(list) != 2 || list[1].Status != "countered" || list[0].Status != "accepted" {
		t.Errorf("history = %+v", list)
	}

	// The host proposes a lane change; C declines it; A's own is withdrawn.
	r = w.ts.do(t, http.MethodPost, p+"/proposals", host, `{"kind":"lane","lane":"strategic","reason":"you two should build the bundle"}`)
	wantStatus(t, r, http.StatusCreated)
	hosts := decode[proposalView](t, r)
	if len(hosts.WaitingFor) != 2 {
		t.Errorf("the host's proposal waits for %v, want both sides", hosts.WaitingFor)
	}
	wantStatus(t, w.c.api(t, http.MethodPost, fmt.Sprintf("%s/proposals/%d/withdraw", p, hosts.ID), ""), http.StatusForbidden)
	r = w.c.api(t, http.MethodPost, fmt.Sprintf("%s/proposals/%d/decline", p, hosts.ID), `{"note":"not this year"}`)
	wantStatus(t, r, http.StatusOK)
	if got := decode[proposalView](t, r); got.Status != "declined" || got.DecidedBy != "b" || got.Note != "not this year" {
		t.Errorf("declined = %+v", got)
	}
	if v := decode[partnershipView](t, w.a.api(t, http.MethodGet, p, "")); v.Lane != "referral" {
		t.Errorf("lane after a refusal: %s", v.Lane)
	}
	r = w.a.api(t, http.MethodPost, p+"/proposals", `{"kind":"lane","lane":"strategic","reason":"a joint package"}`)
	wantStatus(t, r, http.StatusCreated)
	mine := decode[proposalView](t, r)
	wantStatus(t, w.a.api(t, http.MethodPost, fmt.Sprintf("%s/proposals/%d/withdraw", p, mine.ID), ""), http.StatusOK)
	wantStatus(t, w.c.api(t, http.MethodPost, fmt.Sprintf("%s/proposals/%d/accept", p, mine.ID), ""), http.StatusConflict)
	wantStatus(t, w.c.api(t, http.MethodPost, p+"/proposals/99999/accept", ""), http.StatusNotFound)

	agree(t, p, w.c, w.a, `{"kind":"lane","lane":"strategic","reason":"We are building a joint package for Q1"}`)
	moved := decode[partnershipView](t, w.a.api(t, http.MethodGet, p, ""))
	last := moved.History[len(moved.History)-1]
	if moved.Lane != "strategic" || last.Kind != "lane" || last.Actor != "a" || last.Reason != "proposed by side B, agreed by both sides: We are building a joint package for Q1" {
		t.Errorf("after the lane change: %+v", moved)
	}
}
