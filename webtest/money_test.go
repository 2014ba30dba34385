package webtest

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/partner"
)

// TestBrowserHostMoney: a referral partnership with two won leads at 10%
// in pounds. The host's Money page shows the program's sums and each partnership's line, and
// saves the CSV; each side sees what it owes or is owed on its
// partnerships page. Every page works at a phone's width.
func TestBrowserHostMoney(t *testing.T) {
	s := startSite(t)
	ctx := context.Background()
	a := s.createPost(t, map[string]any{"business": "Ledger & Sons", "email": "books@ledger-sons.example",
		"offer": "Bookkeeping for independent cafés", "seek": "Café fit-out firms whose clients need books", "lane": "referral"})
	b := s.createPost(t, map[string]any{"business": "Fitout Crew", "email": "crew@fitout.example",
		"offer": "Café and restaurant fit-outs", "seek": "Bookkeepers who serve new cafés", "lane": "referral"})
	host := app.Who{Host: true}
	p := partner.Partnership{ID: s.referralPartnership(t, a, b, "10", "GBP")}
	for _, sale := range []int64{120000, 45000} {
		r, err := s.App.AddReferral(ctx, host, p.ID, partner.ReferralInput{LeadName: "Café lead", From: "a"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.App.UpdateReferral(ctx, host, p.ID, r.ID, partner.ReferralUpdate{Status: "won", Sale: &partner.Money{Amount: sale, Currency: "GBP"}}); err != nil {
			t.Fatal(err)
		}
	}

	tab := s.newTab(t, "host")
	hostSignIn(tab)
	tab.click(".tabs", "Money")
	tab.waitText("h1", "Money")
	// 10% of 1,200.00 and of 450.00: 165.00 pending, nothing due yet.
	tab.waitText(`.money-sums[data-currency="GBP"]`, "165.00")
	tab.waitText(`.money-table tr[data-currency="GBP"] th`, "Fitout Crew → Ledger & Sons")
	tab.waitText(`.money-table tr[data-currency="GBP"] .total-pending`, "165.00")
	tab.click(".csv", "Download CSV")
	tab.waitText(".csv-status", "Saved referral-money.csv")
	tab.screenshot("host-money")

	// Each side sees its own part on its partnerships page.
	for _, side := range []struct{ email, direction, text string }{
		{"crew@fitout.example", "owing", "You owe Ledger & Sons"},
		{"books@ledger-sons.example", "owed", "Fitout Crew owes you"},
	} {
		member := s.newTab(t, side.email)
		signIn(t, s, member, side.email)
		member.open("/app/partnerships")
		row := `.your-money tr[data-direction="` + side.direction + `"]`
		member.waitText(row+" th", side.text)
		member.waitText(row+" .total-pending", "165.00")
		member.screenshot("member-money-" + side.direction)
	}

	// The paying side asks for commissions in a weekly summary; the
	// setting holds.
	member := s.newTab(t, "settings")
	signIn(t, s, member, "crew@fitout.example")
	member.open("/app/partnerships")
	member.do("choose a weekly summary of commissions", chromedp.SetValue(`#notice-ledger`, "weekly", chromedp.NodeVisible))
	member.do("say so", chromedp.Evaluate[chromedp.Void](`document.querySelector('#notice-ledger').dispatchEvent(new Event('change'))`))
	member.waitText(".your-notices [role=status]", "in a weekly summary")
	member.open("/app/partnerships")
	member.waitFor("the setting kept", `document.querySelector('#notice-ledger') && document.querySelector('#notice-ledger').value === 'weekly' && document.querySelector('#notice-plan').value === 'now'`)
	member.screenshot("member-notices")
}

// referralPartnership starts a referral partnership of a and b as the
// host offers one and both accept, with terms both agree to: percent of
// each sale in currency, paid by b for the leads a sends. It returns its
// ID.
func (s *site) referralPartnership(t *testing.T, a, b postJSON, percent, currency string) int64 {
	t.Helper()
	ctx := context.Background()
	host := app.Who{Host: true}
	lane := "referral"
	offer, err := s.App.OfferPartnership(ctx, host, partner.OfferInput{NewPartnership: partner.NewPartnership{PostA: &a.ID, PostB: &b.ID, Lane: &lane}})
	if err != nil {
		t.Fatal(err)
	}
	for _, side := range []string{a.Email, b.Email} {
		if offer, err = s.App.DecideOffer(ctx, app.Who{Email: side}, offer.ID, partner.Accept, partner.DecisionInput{}); err != nil {
			t.Fatal(err)
		}
	}
	terms, err := s.App.Propose(ctx, host, offer.PartnershipID, partner.ProposalInput{Kind: "terms", Terms: &partner.TermsInput{Kind: "percent", Percent: percent, Currency: currency, Payer: "b"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, side := range []string{a.Email, b.Email} {
		if _, err := s.App.DecideProposal(ctx, app.Who{Email: side}, offer.PartnershipID, terms.ID, partner.Accept, partner.DecisionInput{}); err != nil {
			t.Fatal(err)
		}
	}
	return offer.PartnershipID
}
