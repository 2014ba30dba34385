package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// offered has the host offer the two posts' members a partnership in lane
// and both accept it; it returns the partnership's id.
func offered(t *testing.T, a *app.App, postA, postB int64, lane string) int64 {
	t.Helper()
	ctx := context.Background()
	o, err := a.OfferPartnership(ctx, app.Who{Host: true}, partner.OfferInput{NewPartnership: partner.NewPartnership{PostA: &postA, PostB: &postB, Lane: &lane}})
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{o.A.Email, o.B.Email} {
		if o, err = a.DecideOffer(ctx, app.Who{Email: email}, o.ID, partner.Accept, partner.DecisionInput{}); err != nil {
			t.Fatal(err)
		}
	}
	if o.PartnershipID == 0 {
		t.Fatalf("both accepted, no partnership: %+v", o)
	}
	return o.PartnershipID
}

// TestAnOfferWaitsForBothSides: the host's offer binds nobody. Each step
// tells the right people, counted by a real SMTP server: the offer both,
// an acceptance the other side, the last acceptance both (the partnership
// started); a refusal the other side.
func TestAnOfferWaitsForBothSides(t *testing.T) {
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	ctx := context.Background()
	pa := addPost(t, a, "Alpha Ledger", emailA, "Bookkeeping for dental practices", "Dental software vendors", "dentists")
	pb := addPost(t, a, "Charlie Chairside", emailB, "Practice software for dental clinics", "Bookkeepers who serve dentists", "dentists")
	host, sideA, sideB := app.Who{Host: true}, app.Who{Email: emailA}, app.Who{Email: emailB}
	a.WaitBackground()
	heard := func(name string, act func() error, wantA, wantB int, says string) {
		t.Helper()
		before := srv.countByRecipient()
		if err := act(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		a.WaitBackground()
		after := srv.countByRecipient()
		if gotA, gotB := after[emailA]-before[emailA], after[emailB]-before[emailB]; gotA != wantA || gotB != wantB {
			t.Errorf("%s: A got %d emails, B %d; want %d and %d", name, gotA, gotB, wantA, wantB)
		}
		if last := srv.Messages()[len(srv.Messages())-1]; !strings.Contains(mimeSubject(t, last.Data), says) {
			t.Errorf("%s: the last email says %q, want %q", name, mimeSubject(t, last.Data), says)
		}
	}
	if _, err := a.StartPartnership(ctx, host, partner.NewPartnership{PostA: &pa.ID, PostB: &pb.ID}); match.ErrorCode(err) != match.EFORBIDDEN {
		t.Errorf("the host starting one directly: %v, want forbidden", err)
	}
	var o partner.Offer
	heard("the offer", func() (err error) {
		o, err = a.OfferPartnership(ctx, host, partner.OfferInput{NewPartnership: partner.NewPartnership{PostA: &pa.ID, PostB: &pb.ID}, Note: "A natural pair"})
		return err
	}, 1, 1, "offers you a referral partnership with")
	if ps, _ := a.Partnerships(ctx, sideA, domain.PartnershipFilter{}); len(ps) != 0 {
		t.Fatalf("a partnership before anyone accepted: %+v", ps)
	}
	heard("A accepts", func() error {
		_, err := a.DecideOffer(ctx, sideA, o.ID, partner.Accept, partner.DecisionInput{})
		return err
	}, 0, 1, "Alpha Ledger accepted the host's offer")
	heard("B accepts: it starts", func() (err error) {
		o, err = a.DecideOffer(ctx, sideB, o.ID, partner.Accept, partner.DecisionInput{})
		return err
	}, 1, 1, "Your referral partnership with")
	v, err := a.Partnership(ctx, sideB, o.PartnershipID)
	if err != nil || v.Status != partner.Active || v.You != partner.B {
		t.Fatalf("the partnership: %+v, %v", v, err)
	}

	// Ended, then offered again: B declines, and A hears it.
	if _, err := a.SetPartnershipStatus(ctx, sideA, v.ID, partner.StatusChange{Status: "ended"}); err != nil {
		t.Fatal(err)
	}
	a.WaitBackground()
	heard("the second offer", func() (err error) {
		o, err = a.OfferPartnership(ctx, host, partner.OfferInput{NewPartnership: partner.NewPartnership{PostA: &pa.ID, PostB: &pb.ID}})
		return err
	}, 1, 1, "offers you")
	heard("B declines", func() error {
		_, err := a.DecideOffer(ctx, sideB, o.ID, partner.Decline, partner.DecisionInput{Note: "not this year"})
		return err
	}, 1, 0, "Charlie Chairside declined the host's offer")
	if _, err := a.DecideOffer(ctx, sideA, o.ID, partner.Accept, partner.DecisionInput{}); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("accepting a declined offer: %v, want a conflict", err)
	}
	if _, err := a.DecideOffer(ctx, app.Who{Email: "someone@else.example"}, o.ID, partner.Decline, partner.DecisionInput{}); match.ErrorCode(err) != match.ENOTFOUND {
		t.Errorf("a stranger answering: %v, want not found", err)
	}
}
