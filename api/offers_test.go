package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/partner"
)

// offered has the host offer a partnership (body: the offer's JSON) and
// both members accept it, through the app as their own requests would
// (TestHostOffersAPartnership walks that over HTTP); it returns the
// partnership as the host reads it.
func (ts *testServer) offered(t *testing.T, body string) partnershipView {
	t.Helper()
	r := ts.do(t, http.MethodPost, "/api/v1/offers", host, body)
	wantStatus(t, r, http.StatusCreated)
	o := decode[offerView](t, r)
	for _, email := range []string{o.A.Email, o.B.Email} {
		got, err := ts.App.DecideOffer(context.Background(), app.Who{Email: email}, o.ID, partner.Accept, partner.DecisionInput{})
		if err != nil {
			t.Fatalf("%s accepting offer %d: %v", email, o.ID, err)
		}
		o.PartnershipID = got.PartnershipID
	}
	r = ts.do(t, http.MethodGet, fmt.Sprintf("/api/v1/partnerships/%d", o.PartnershipID), host, "")
	wantStatus(t, r, http.StatusOK)
	return decode[partnershipView](t, r)
}

// TestHostOffersAPartnership: the host may pair two members, but not bind
// them: the partnership starts when both accept; either may decline; the
// host may withdraw; the host no longer starts one directly.
func TestHostOffersAPartnership(t *testing.T) {
	w := newPartnershipWorld(t)
	ts := w.ts
	pair := fmt.Sprintf(`{"post_a":%d,"post_b":%d,"lane":"strategic","note":"You both serve dental practices: worth a joint package?"}`, w.postA, w.postC)
	wantError(t, ts.do(t, http.MethodPost, "/api/v1/partnerships", host, fmt.Sprintf(`{"post_a":%d,"post_b":%d}`, w.postA, w.postC)), http.StatusForbidden, "offers")
	wantStatus(t, w.a.api(t, http.MethodPost, "/api/v1/offers", pair), http.StatusUnauthorized)
	wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/offers", host, fmt.Sprintf(`{"post_a":%d,"post_b":%d,"note":"%s"}`, w.postA, w.postC, strings.Repeat("x", 1001))), http.StatusBadRequest)

	before := len(ts.outbox(t))
	r := ts.do(t, http.MethodPost, "/api/v1/offers", host, pair)
	wantStatus(t, r, http.StatusCreated)
	o := decode[offerView](t, r)
	if o.Status != "open" || o.Lane != "strategic" || len(o.WaitingFor) != 2 || o.PartnershipID != 0 {
		t.Errorf("offer = %+v", o)
	}
	mails := ts.outbox(t)[before:]
	if len(mails) != 2 || !strings.Contains(mails[0].Subject+mails[1].Subject, "offers you a strategic partnership with") || !strings.Contains(mails[0].Text, "worth a joint package?") {
		t.Errorf("both should hear of the offer, with the host's note: %+v", mails)
	}
	wantError(t, ts.do(t, http.MethodPost, "/api/v1/offers", host, pair), http.StatusConflict, "open offer")
	if list := decode[map[string][]partnershipView](t, w.a.api(t, http.MethodGet, "/api/v1/partnerships", ""))["partnerships"]; len(list) != 0 {
		t.Errorf("a partnership before anyone accepted: %+v", list)
	}
	// B is not in it: the offer does not exist for B.
	if list := decode[map[string][]offerView](t, w.b.api(t, http.MethodGet, "/api/v1/offers", ""))["offers"]; len(list) != 0 {
		t.Errorf("a third member lists %+v", list)
	}
	accept := fmt.Sprintf("/api/v1/offers/%d/accept", o.ID)
	wantStatus(t, w.b.api(t, http.MethodPost, accept, ""), http.StatusNotFound)
	wantStatus(t, ts.do(t, http.MethodPost, accept, host, ""), http.StatusForbidden)

	mine := decode[map[string][]offerView](t, w.c.api(t, http.MethodGet, "/api/v1/offers?status=open", ""))["offers"]
	if len(mine) != 1 || mine[0].You != "b" || mine[0].Note == "" {
		t.Errorf("C's offers: %+v", mine)
	}
	r = w.a.api(t, http.MethodPost, accept, "")
	wantStatus(t, r, http.StatusOK)
	if got := decode[offerView](t, r); got.Status != "open" || len(got.WaitingFor) != 1 || got.WaitingFor[0] != "b" {
		t.Errorf("after A accepted: %+v", got)
	}
	wantError(t, w.a.api(t, http.MethodPost, accept, ""), http.StatusConflict, "waits for the other side")
	before = len(ts.outbox(t))
	r = w.c.api(t, http.MethodPost, accept, "")
	wantStatus(t, r, http.StatusOK)
	done := decode[offerView](t, r)
	if done.Status != "accepted" || done.PartnershipID == 0 || done.DecidedBy != "b" {
		t.Fatalf("after both accepted: %+v", done)
	}
	p := decode[partnershipView](t, w.c.api(t, http.MethodGet, fmt.Sprintf("/api/v1/partnerships/%d", done.PartnershipID), ""))
	if p.Lane != "strategic" || p.Status != "active" || p.You != "b" || len(p.History) != 1 || p.History[0].Actor != "host" || p.History[0].Reason != "offered by the host, accepted by both sides" {
		t.Errorf("the partnership: %+v", p)
	}
	if mails := ts.outbox(t)[before:]; len(mails) != 2 {
		t.Errorf("both should hear the partnership started: %+v", mails)
	}
	wantStatus(t, w.c.api(t, http.MethodPost, fmt.Sprintf("/api/v1/offers/%d/decline", o.ID), ""), http.StatusConflict)

	// Another pair: declined by one side, then one the host withdraws.
	other := fmt.Sprintf(`{"post_a":%d,"post_b":%d}`, w.postB, w.postC)
	r = ts.do(t, http.MethodPost, "/api/v1/offers", host, other)
	wantStatus(t, r, http.StatusCreated)
	declined := decode[offerView](t, r)
	r = w.c.api(t, http.MethodPost, fmt.Sprintf("/api/v1/offers/%d/decline", declined.ID), `{"note":"we work with a partner like Bravo already"}`)
	wantStatus(t, r, http.StatusOK)
	if got := decode[offerView](t, r); got.Status != "declined" || got.DecidedBy != "b" || got.Answer != "we work with a partner like Bravo already" {
		t.Errorf("declined: %+v", got)
	}
	wantStatus(t, w.b.api(t, http.MethodPost, fmt.Sprintf("/api/v1/offers/%d/accept", declined.ID), ""), http.StatusConflict)
	r = ts.do(t, http.MethodPost, "/api/v1/offers", host, other)
	wantStatus(t, r, http.StatusCreated)
	again := decode[offerView](t, r)
	wantStatus(t, w.b.api(t, http.MethodPost, fmt.Sprintf("/api/v1/offers/%d/withdraw", again.ID), ""), http.StatusUnauthorized)
	r = ts.do(t, http.MethodPost, fmt.Sprintf("/api/v1/offers/%d/withdraw", again.ID), host, "")
	wantStatus(t, r, http.StatusOK)
	if got := decode[offerView](t, r); got.Status != "withdrawn" {
		t.Errorf("withdrawn: %+v", got)
	}
	all := decode[map[string][]offerView](t, ts.do(t, http.MethodGet, "/api/v1/offers", host, ""))["offers"]
	if len(all) != 3 || all[0].Status != "withdrawn" || all[1].Status != "declined" || all[2].Status != "accepted" {
		t.Errorf("the host's offers: %+v", all)
	}
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/offers?status=maybe", host, ""), http.StatusBadRequest)
}
