package app

import (
	"context"
	"fmt"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// DefaultStrategicLimit is how many active strategic partnerships a
// business may hold before the API warns: the strategic lane is deep, not
// wide.
const DefaultStrategicLimit = 5

// actorFor returns who acts on p: the host, or the caller's side. A member
// who is neither side gets ENOTFOUND, as if the partnership did not exist:
// nobody else may learn who partners with whom.
func actorFor(p partner.Partnership, who Who) (partner.Actor, partner.Side, error) {
	if who.Host {
		return partner.Host, "", nil
	}
	side := p.SideOf(who.Email)
	if side == "" {
		return "", "", match.Errorf(match.ENOTFOUND, "partnership not found")
	}
	return partner.Actor(side), side, nil
}

// sideFor returns the side a new record is for. The host names it in the
// request's field (what says what it means); a member writes for their own
// side, mine, and may name it, but only as their own.
func sideFor(who Who, mine partner.Side, given, field, what string) (partner.Side, error) {
	switch {
	case who.Host && given == "":
		return "", match.Invalid("some fields are not valid", map[string]string{field: "is required: " + what + " (a or b)"})
	case who.Host:
		return partner.Side(given), nil
	case given != "" && partner.Side(given) != mine:
		return "", match.Errorf(match.EFORBIDDEN, "you act for your own side only; you are side %s", mine)
	}
	return mine, nil
}

// partnershipFor reads partnership id for who: the host, or one of its two
// members.
func (a *App) partnershipFor(ctx context.Context, who Who, id int64) (partner.Partnership, partner.Actor, partner.Side, error) {
	p, err := a.Store.Partnership(ctx, id)
	if err != nil {
		return p, "", "", err
	}
	actor, side, err := actorFor(p, who)
	return p, actor, side, err
}

// PartnershipView is a partnership with its history, the caller's side
// ("" for the host) and any warnings.
type PartnershipView struct {
	partner.Partnership
	You      partner.Side
	History  []partner.Event
	Warnings []string
}

// Partnerships lists the caller's partnerships; the host sees all.
func (a *App) Partnerships(ctx context.Context, who Who, f domain.PartnershipFilter) ([]partner.Partnership, error) {
	if !who.Host {
		f.Email = who.Email
	}
	return a.Store.Partnerships(ctx, f)
}

// Partnership returns one partnership with its history, for one of its
// members or the host.
func (a *App) Partnership(ctx context.Context, who Who, id int64) (PartnershipView, error) {
	p, _, side, err := a.partnershipFor(ctx, who, id)
	if err != nil {
		return PartnershipView{}, err
	}
	return a.partnershipView(ctx, p, side)
}

func (a *App) partnershipView(ctx context.Context, p partner.Partnership, side partner.Side) (PartnershipView, error) {
	history, err := a.Store.PartnershipEvents(ctx, p.ID)
	if err != nil {
		return PartnershipView{}, err
	}
	warnings, err := a.strategicWarnings(p, func(email string) (int, error) { return a.Store.ActiveStrategicCount(ctx, email) })
	if err != nil {
		return PartnershipView{}, err
	}
	return PartnershipView{Partnership: p, You: side, History: history, Warnings: warnings}, nil
}

// strategicWarnings says which side of an active strategic partnership
// holds more of them than the community's limit; count gives how many an
// address holds.
func (a *App) strategicWarnings(p partner.Partnership, count func(email string) (int, error)) ([]string, error) {
	warnings := []string{}
	if p.Lane != partner.LaneStrategic || p.Status != partner.Active {
		return warnings, nil
	}
	for _, party := range []partner.Party{p.A, p.B} {
		n, err := count(party.Email)
		if err != nil {
			return nil, err
		}
		if n > a.strategicLimit {
			warnings = append(warnings, fmt.Sprintf("%s now holds %d active strategic partnerships, more than the %d this community advises: strategic partnerships are deep, not wide; consider the referral lane for some", party.Business, n, a.strategicLimit))
		}
	}
	return warnings, nil
}

// StartPartnership starts a partnership from an accepted introduction, for
// one of its two members: both said yes to each other already. Without a
// lane it starts in the one lane both posts accept (partner.LaneFor). The
// result warns when a side now holds more active strategic partnerships
// than the limit; the partnership is made all the same. The host does not
// start partnerships: the host offers them (OfferPartnership).
func (a *App) StartPartnership(ctx context.Context, who Who, in partner.NewPartnership) (PartnershipView, error) {
	if err := match.Validate(in); err != nil {
		return PartnershipView{}, err
	}
	if who.Host {
		return PartnershipView{}, match.Errorf(match.EFORBIDDEN, "the host offers partnerships (POST /api/v1/offers): one starts when both sides accept")
	}
	if in.PostA != nil || in.PostB != nil {
		return PartnershipView{}, match.Errorf(match.EFORBIDDEN, "members start a partnership from an accepted introduction (introduction_id); the host offers one between two posts")
	}
	if in.IntroductionID == nil {
		return PartnershipView{}, match.Invalid("some fields are not valid", map[string]string{"introduction_id": "is required: the accepted introduction"})
	}
	np, err := a.pairFor(ctx, who, in)
	if err != nil {
		return PartnershipView{}, err
	}
	actor, side, err := actorFor(np, who)
	if err != nil {
		return PartnershipView{}, err
	}
	p, err := a.Store.CreatePartnership(ctx, np, actor)
	if err != nil {
		return PartnershipView{}, err
	}
	a.notifyPartnership(ctx, p, actor)
	return a.partnershipView(ctx, p, side)
}

// pairFor reads the partnership in asks for: its two sides (from an
// accepted introduction, or two posts), its lane and start day. It checks
// what any partnership needs: the introduction accepted, two businesses,
// a lane both posts accept. A member reads only their own introductions.
func (a *App) pairFor(ctx context.Context, who Who, in partner.NewPartnership) (partner.Partnership, error) {
	var (
		postA, postB int64
		intro        *domain.Introduction
	)
	switch {
	case in.IntroductionID != nil && (in.PostA != nil || in.PostB != nil):
		return partner.Partnership{}, match.Invalid("some fields are not valid", map[string]string{"introduction_id": "give an introduction or two posts, not both"})
	case in.IntroductionID != nil:
		found, err := a.Store.Introduction(ctx, *in.IntroductionID)
		if err != nil {
			return partner.Partnership{}, err
		}
		intro, postA, postB = &found, found.PostA, found.PostB
	case in.PostA != nil && in.PostB != nil:
		postA, postB = *in.PostA, *in.PostB
	default:
		return partner.Partnership{}, match.Invalid("some fields are not valid", map[string]string{"introduction_id": "give the accepted introduction, or post_a and post_b"})
	}
	posts, err := a.Store.PostsByID(ctx, []int64{postA, postB})
	if err != nil {
		return partner.Partnership{}, err
	}
	pa, okA := posts[postA]
	pb, okB := posts[postB]
	var introID int64
	if intro != nil {
		// Someone else's introduction does not exist, whatever its state.
		if !who.Host && who.Email != pa.Email && who.Email != pb.Email {
			return partner.Partnership{}, match.Errorf(match.ENOTFOUND, "introduction %d not found", intro.ID)
		}
		if intro.Status != domain.IntroAccepted {
			return partner.Partnership{}, match.Errorf(match.ECONFLICT, "this introduction is %s; a partnership starts once both sides accepted it", intro.Status)
		}
		introID = intro.ID
	}
	switch {
	case !okA || !okB:
		return partner.Partnership{}, match.Errorf(match.ENOTFOUND, "post not found")
	case match.SameBusiness(pa, pb):
		return partner.Partnership{}, match.Errorf(match.ECONFLICT, "these two posts come from the same business")
	}
	lane, err := partner.LaneFor(pa.Lane, pb.Lane)
	if in.Lane != nil {
		lane = partner.Lane(*in.Lane)
		for _, p := range []match.Post{pa, pb} {
			if !partner.Accepts(p.Lane, lane) {
				return partner.Partnership{}, match.Errorf(match.ECONFLICT, "%s asked for a %s partnership, not a %s one", p.Business, p.Lane, lane)
			}
		}
	} else if err != nil {
		return partner.Partnership{}, err
	}
	started := partner.Today(a.Store.Now())
	if in.StartedOn != nil {
		started = *in.StartedOn
	}
	return partner.Partnership{Lane: lane, StartedOn: started, IntroductionID: introID,
		A: partner.Party{PostID: pa.ID, Email: pa.Email, Business: pa.Business},
		B: partner.Party{PostID: pb.ID, Email: pb.Email, Business: pb.Business}}, nil
}

// notifyPartnership tells the side(s) who did not start it that a
// partnership began, and in which lane.
func (a *App) notifyPartnership(ctx context.Context, p partner.Partnership, actor partner.Actor) {
	for _, s := range []partner.Side{partner.A, partner.B} {
		if partner.Actor(s) == actor {
			continue
		}
		me, other := p.Party(s), p.Party(s.Other())
		a.mail(ctx, "partnership", me.Email, "Your "+string(p.Lane)+" partnership with "+other.Business, map[string]any{
			"Business": other.Business, "Lane": string(p.Lane), "Link": a.partnershipLink(p.ID),
		})
	}
}

// SetPartnershipStatus pauses, resumes or ends a partnership, for either
// member or the host.
func (a *App) SetPartnershipStatus(ctx context.Context, who Who, id int64, in partner.StatusChange) (PartnershipView, error) {
	if err := match.Validate(in); err != nil {
		return PartnershipView{}, err
	}
	_, actor, side, err := a.partnershipFor(ctx, who, id)
	if err != nil {
		return PartnershipView{}, err
	}
	p, err := a.Store.SetPartnershipStatus(ctx, id, partner.Status(in.Status), actor, in.Reason)
	if err != nil {
		return PartnershipView{}, err
	}
	a.notify(ctx, p, actor, "status", statusWords[partner.Status(in.Status)]+withReason(in.Reason))
	return a.partnershipView(ctx, p, side)
}

// inLane reads a partnership for who, for a write to the records of lane:
// it must be in that lane now. The store checks again inside its
// transaction; checking first gives the caller the lane error before any
// other complaint about the request.
func (a *App) inLane(ctx context.Context, who Who, id int64, lane partner.Lane) (partner.Partnership, partner.Actor, partner.Side, error) {
	p, actor, side, err := a.partnershipFor(ctx, who, id)
	if err != nil {
		return p, actor, side, err
	}
	return p, actor, side, p.RequireLane(lane)
}

// readableIn checks that a partnership's records in lane may be read: it is
// in that lane, or was once (records of a lane it left stay readable).
func (a *App) readableIn(ctx context.Context, p partner.Partnership, lane partner.Lane) error {
	if p.Lane == lane {
		return nil
	}
	history, err := a.Store.PartnershipEvents(ctx, p.ID)
	if err != nil {
		return err
	}
	if partner.HeldLane(p.Lane, history, lane) {
		return nil
	}
	return p.RequireLane(lane)
}

// statusWords say what a status change did, in a notice.
var statusWords = map[partner.Status]string{
	partner.Active: "resumed the partnership",
	partner.Paused: "paused the partnership",
	partner.Ended:  "ended the partnership",
}

// withReason adds a reason to what a notice says, when one was given.
func withReason(reason string) string {
	if reason == "" {
		return ""
	}
	return " (“" + reason + "”)"
}
