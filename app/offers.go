package app

import (
	"context"
	"fmt"
	"strings"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// Offers: the host pairs two members as partners by offering them a
// partnership, which starts only when both accept (see partner.Offer).

// OfferPartnership makes the host's offer of a partnership between two
// posts, or from an accepted introduction, and tells both members.
func (a *App) OfferPartnership(ctx context.Context, who Who, in partner.OfferInput) (partner.Offer, error) {
	if err := match.Validate(in); err != nil {
		return partner.Offer{}, err
	}
	if !who.Host {
		return partner.Offer{}, match.Errorf(match.EFORBIDDEN, "only the host offers partnerships; members start one from an accepted introduction")
	}
	np, err := a.pairFor(ctx, who, in.NewPartnership)
	if err != nil {
		return partner.Offer{}, err
	}
	if in.StartedOn == nil {
		np.StartedOn = "" // the day both have accepted
	}
	o, err := a.Store.CreateOffer(ctx, np, in.Note)
	if err != nil {
		return o, err
	}
	for _, s := range []partner.Side{partner.A, partner.B} {
		a.noticeOffer(ctx, o, s, fmt.Sprintf("The community host offers you a %s partnership with %s", o.Lane, o.Party(s.Other()).Business), "",
			"It starts once you both accept; either of you may decline.", "Accept or decline it")
	}
	return o, nil
}

// Offers lists offers, newest first: every one for the host, a member's
// own; of one status when status is set.
func (a *App) Offers(ctx context.Context, who Who, status partner.ProposalStatus) ([]partner.Offer, error) {
	f := domain.OfferFilter{Status: status}
	if !who.Host {
		f.Email = who.Email
	}
	return a.Store.Offers(ctx, f)
}

// DecideOffer accepts or declines an offer for a member's side, or
// withdraws it for the host. The last acceptance starts the partnership.
// A member who is neither side gets ENOTFOUND.
func (a *App) DecideOffer(ctx context.Context, who Who, id int64, d partner.Decision, in partner.DecisionInput) (partner.Offer, error) {
	if err := match.Validate(in); err != nil {
		return partner.Offer{}, err
	}
	o, err := a.Store.Offer(ctx, id)
	if err != nil {
		return o, err
	}
	actor := partner.Host
	if !who.Host {
		side := o.SideOf(who.Email)
		if side == "" {
			return partner.Offer{}, match.Errorf(match.ENOTFOUND, "offer not found")
		}
		actor = partner.Actor(side)
	}
	if o, err = a.Store.DecideOffer(ctx, id, actor, d, in.Note); err != nil {
		return o, err
	}
	switch {
	case o.Status == partner.ProposalAccepted:
		p, err := a.Store.Partnership(ctx, o.PartnershipID)
		if err != nil {
			return o, err
		}
		a.notifyPartnership(ctx, p, partner.Host)
	case d == partner.Withdraw:
		for _, s := range []partner.Side{partner.A, partner.B} {
			a.noticeOffer(ctx, o, s, fmt.Sprintf("The community host withdrew the offer of a %s partnership with %s", o.Lane, o.Party(s.Other()).Business), in.Note,
				"", "See your partnerships")
		}
	default:
		me := partner.Side(actor)
		verb, next, link := "declined", "", "See your partnerships"
		if d == partner.Accept {
			verb, next, link = "accepted", "It starts when you accept too.", "Accept or decline it"
		}
		a.noticeOffer(ctx, o, me.Other(), fmt.Sprintf("%s %s the host's offer of a %s partnership with you", o.Party(me).Business, verb, o.Lane), in.Note,
			next, link)
	}
	return o, nil
}

// noticeOffer tells side s of offer o what happened (a sentence, also the
// subject), with the answer's note if any, what comes next, and a link to
// their partnerships page.
func (a *App) noticeOffer(ctx context.Context, o partner.Offer, s partner.Side, what, answer, next, linkText string) {
	line := what + withReason(answer)
	a.sendNotice(ctx, o.Party(s).Email, "offer", "offer", what, line, a.baseURL+"/app/partnerships",
		map[string]any{"What": strings.TrimSpace(line + ". " + next), "Note": o.Note, "Next": linkText})
}
