package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/internal/cli"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// runPartners makes referral partnerships in a generated community, for
// the load's referral writes: as in a real one, the host offers each and
// both members accept, then both agree 10% terms. It works on the data
// folder of a stopped server (the members of a generated community have
// no inboxes to sign in from).
func runPartners(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("partners", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := cli.DataFlag(fs)
	n := fs.Int("n", 20, "referral partnerships to make")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log, _ := cli.NewLogger(stderr, "text")
	a, err := app.Open(ctx, app.Config{DataDir: *data, Log: log})
	if err != nil {
		return err
	}
	defer a.Close()
	made, err := makeReferralPartners(ctx, a, *n)
	fmt.Fprintf(stdout, "%d referral partnerships made\n", made)
	return err
}

// makeReferralPartners pairs active posts open to the referral lane, up
// to n partnerships, each offered by the host and accepted by both, with
// agreed terms; it returns how many it made.
func makeReferralPartners(ctx context.Context, a *app.App, n int) (int, error) {
	posts, err := a.Store.ListPosts(ctx, domain.PostFilter{Statuses: []match.Status{match.StatusActive}, Lane: match.LaneReferral, Limit: 4 * n})
	if err != nil {
		return 0, err
	}
	host, referral := app.Who{Host: true}, "referral"
	made := 0
	for i := 0; i+1 < len(posts) && made < n; i += 2 {
		pa, pb := posts[i], posts[i+1]
		o, err := a.OfferPartnership(ctx, host, partner.OfferInput{NewPartnership: partner.NewPartnership{PostA: &pa.ID, PostB: &pb.ID, Lane: &referral}})
		if match.ErrorCode(err) == match.ECONFLICT {
			continue // the same business, or partners already
		}
		if err != nil {
			return made, err
		}
		for _, email := range []string{pa.Email, pb.Email} {
			if o, err = a.DecideOffer(ctx, app.Who{Email: email}, o.ID, partner.Accept, partner.DecisionInput{}); err != nil {
				return made, err
			}
		}
		terms := partner.TermsInput{Kind: "percent", Percent: "10", Currency: "USD", Payer: "both"}
		pr, err := a.Propose(ctx, app.Who{Email: pa.Email}, o.PartnershipID, partner.ProposalInput{Kind: "terms", Terms: &terms})
		if err != nil {
			return made, err
		}
		if _, err := a.DecideProposal(ctx, app.Who{Email: pb.Email}, o.PartnershipID, pr.ID, partner.Accept, partner.DecisionInput{}); err != nil {
			return made, err
		}
		made++
	}
	if made == 0 {
		return 0, errors.New("no two active posts open to the referral lane could be paired")
	}
	return made, nil
}
