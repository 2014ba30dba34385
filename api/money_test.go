package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/partner"
)

type moneyJSON struct {
	Partnerships []struct {
		Partnership partnershipView  `json:"partnership"`
		Totals      []partner.Totals `json:"totals"`
	} `json:"partnerships"`
	Sums     []partner.Sums        `json:"sums"`
	Quarters []partner.QuarterSums `json:"quarters"`
	Periods  []string              `json:"periods"`
}

// TestProgramMoney: two referral partnerships earn commissions in two
// currencies. The host sees both and their sums, overall and by quarter,
// and can take them as CSV; each member sees only their own.
func TestProgramMoney(t *testing.T) {
	w := newPartnershipWorld(t)
	// A and C: 10% in USD, C pays; two leads of A's won by C.
	ac := fmt.Sprintf("/api/v1/partnerships/%d", w.hostPartnership(t, "referral"))
	agree(t, ac, w.a, w.c, proposeTerms(`{"kind":"percent","percent":"10","currency":"USD","payer":"b"}`))
	for _, sale := range []int{12345, 50000} {
		r := w.a.api(t, http.MethodPost, ac+"/referrals", `{"lead_name":"A lead"}`)
		wantStatus(t, r, http.StatusCreated)
		wantStatus(t, w.c.api(t, http.MethodPatch, fmt.Sprintf("%s/referrals/%d", ac, decode[referralView](t, r).ID),
			fmt.Sprintf(`{"status":"won","sale":{"amount":%d,"currency":"USD"}}`, sale)), http.StatusOK)
	}
	// B and D: a flat 250.00 EUR, B pays; one lead of D's, won (by the host).
	bd := fmt.Sprintf("/api/v1/partnerships/%d", w.ts.offered(t, fmt.Sprintf(`{"post_a":%d,"post_b":%d,"lane":"referral"}`, w.postB, w.postD)).ID)
	agree(t, bd, w.b, signIn(t, w.ts, "di@delta.example"), proposeTerms(`{"kind":"flat","flat_fee":{"amount":25000,"currency":"EUR"},"payer":"a"}`))
	r := w.ts.do(t, http.MethodPost, bd+"/referrals", host, `{"lead_name":"Another lead","from":"b"}`)
	wantStatus(t, r, http.StatusCreated)
	wantStatus(t, w.ts.do(t, http.MethodPatch, fmt.Sprintf("%s/referrals/%d", bd, decode[referralView](t, r).ID), host,
		`{"status":"won","sale":{"amount":90000,"currency":"EUR"}}`), http.StatusOK)
	// A strategic partnership has no money, and is not listed.
	w.ts.offered(t, fmt.Sprintf(`{"post_a":%d,"post_b":%d,"lane":"strategic"}`, w.postB, w.postC))

	all := decode[moneyJSON](t, w.ts.do(t, http.MethodGet, "/api/v1/money", host, ""))
	if len(all.Partnerships) != 2 {
		t.Fatalf("the host sees %d partnerships with money, want 2: %+v", len(all.Partnerships), all)
	}
	want := []partner.Sums{
		{Currency: "EUR", Earned: 25000, Net: 25000, Pending: 25000},
		{Currency: "USD", Earned: 1235 + 5000, Net: 6235, Pending: 6235},
	}
	if fmt.Sprint(all.Sums) != fmt.Sprint(want) {
		t.Errorf("sums: %+v, want %+v", all.Sums, want)
	}
	if len(all.Quarters) != 1 || fmt.Sprint(all.Quarters[0].Sums) != fmt.Sprint(want) {
		t.Errorf("by quarter: %+v", all.Quarters)
	}
	// A quarter's view still lists every quarter with money, for the next look.
	one := decode[moneyJSON](t, w.ts.do(t, http.MethodGet, "/api/v1/money?quarter="+string(all.Quarters[0].Quarter), host, ""))
	if len(one.Periods) != 1 || one.Periods[0] != string(all.Quarters[0].Quarter) || fmt.Sprint(one.Sums) != fmt.Sprint(want) {
		t.Errorf("the quarter's view: periods %v, sums %+v", one.Periods, one.Sums)
	}
	for _, s := range all.Sums {
		if s.Earned+s.Reversed != s.Net || s.Pending+s.Due+s.Paid != s.Net {
			t.Errorf("%s does not add up: %+v", s.Currency, s)
		}
	}

	// Each member sees their own partnership only.
	for _, c := range []struct {
		name string
		b    *browser
		want string
	}{{"A", w.a, "Charlie Chairside"}, {"B", w.b, "Delta Referrals"}} {
		mine := decode[moneyJSON](t, c.b.api(t, http.MethodGet, "/api/v1/money", ""))
		if len(mine.Partnerships) != 1 || mine.Partnerships[0].Partnership.B.Business != c.want {
			t.Errorf("member %s sees %+v, want only their partnership with %s", c.name, mine.Partnerships, c.want)
		}
	}
	wantStatus(t, w.ts.do(t, http.MethodGet, "/api/v1/money", anonymous, ""), http.StatusUnauthorized)
	wantStatus(t, w.ts.do(t, http.MethodGet, "/api/v1/money?quarter=2026-Q9", host, ""), http.StatusBadRequest)

	// As CSV, a row per partnership, quarter, direction and currency.
	r = w.ts.do(t, http.MethodGet, "/api/v1/money?format=csv", host, "")
	wantStatus(t, r, http.StatusOK)
	rows, err := csv.NewReader(strings.NewReader(string(r.Body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(partner.ProgramCSVHeader, ",") || len(rows) != 1+2*2 {
		t.Fatalf("CSV: %q", rows)
	}
	var usdNet []string
	for _, row := range rows[1:] {
		if row[4] == "USD" && row[1] == "all" {
			usdNet = append(usdNet, row[2], row[3], row[7])
		}
	}
	if strings.Join(usdNet, "|") != "Charlie Chairside|Alpha Ledger|62.35" {
		t.Errorf("the USD total row: %q", usdNet)
	}
}

// TestHostHidingAPostEmailsItsOwner goes through the API: the host's
// hiding and removing a post each email its owner.
func TestHostHidingAPostEmailsItsOwner(t *testing.T) {
	ts := newTestServer(t)
	p := ts.createPost(t, post("email", "owner@hidden.example"))
	before := len(ts.outbox(t))
	wantStatus(t, ts.do(t, http.MethodPatch, fmt.Sprintf("/api/v1/posts/%d", p.ID), host, `{"status":"hidden"}`), http.StatusOK)
	wantStatus(t, ts.do(t, http.MethodDelete, fmt.Sprintf("/api/v1/posts/%d", p.ID), host, ""), http.StatusNoContent)
	mails := ts.outbox(t)[before:]
	if len(mails) != 2 || mails[0].To != "<owner@hidden.example>" || !strings.Contains(mails[0].Subject, "hid your post") ||
		!strings.Contains(mails[1].Subject, "removed your post") {
		t.Errorf("the owner's emails: %+v", mails)
	}
}
