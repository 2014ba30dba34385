package app

import (
	"context"
	"fmt"
	"time"

	"github.com/matchmaker/matchmaker/auth"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// DefaultIntroductionTTL is how long both sides have to answer an
// introduction unless configured otherwise (Config.IntroductionTTL).
const DefaultIntroductionTTL = 14 * 24 * time.Hour

// Introduce puts the two posts of an approved suggestion in touch: each
// owner gets an email with the other's post, the reasons written to them,
// the host's note, and a link to accept or decline (single use, valid 14
// days). Nobody's contact details are in it. It returns ECONFLICT for a
// suggestion that is not approved.
func (a *App) Introduce(ctx context.Context, quarter match.Quarter, suggestionID int64) (domain.Introduction, error) {
	// The two emails are written first, and stored with the introduction
	// and its links, in its one transaction (which checks the suggestion
	// is still approved).
	s, err := a.Store.Suggestion(ctx, quarter, suggestionID)
	if err != nil {
		return domain.Introduction{}, err
	}
	posts, err := a.Store.PostsByID(ctx, []int64{s.PostA, s.PostB})
	if err != nil {
		return domain.Introduction{}, err
	}
	tokenA, tokenB := auth.NewToken(prefixLink), auth.NewToken(prefixLink)
	var mails []domain.OutgoingMail
	for _, side := range []struct {
		to, other match.Post
		reasons   []string
		token     string
	}{{posts[s.PostA], posts[s.PostB], s.ReasonsA, tokenA}, {posts[s.PostB], posts[s.PostA], s.ReasonsB, tokenB}} {
		msg, err := email("introduce", side.to.Email, "An introduction: "+side.other.Business, map[string]any{
			"Business": side.other.Business, "Offer": side.other.Offer, "Seek": side.other.Seek,
			"Reasons": side.reasons, "Note": s.Note, "Link": a.link("/introduction", side.token), "Valid": days(a.introductionTTL),
		})
		if err != nil {
			return domain.Introduction{}, err
		}
		mails = append(mails, domain.OutgoingMail{Kind: "introduce", Message: msg})
	}
	in, _, err := a.Store.Introduce(domain.OweMail(ctx, mails...), quarter, suggestionID, auth.Hash(tokenA), auth.Hash(tokenB), a.introductionTTL)
	if err != nil {
		return domain.Introduction{}, err
	}
	a.kickMail()
	return in, nil
}

// AnswerByLink records the answer of the side whose emailed link this is.
// It returns ENOTFOUND for a bad link, ECONFLICT when it is too late.
func (a *App) AnswerByLink(ctx context.Context, token string, accept bool) (domain.Introduction, error) {
	in, side, err := a.Store.IntroductionByLink(ctx, auth.Hash(token))
	if err != nil {
		return domain.Introduction{}, err
	}
	return a.answer(ctx, in, side, accept)
}

// LinkIntroduction is what an answer link's page shows: the other side's
// post, the reasons written to this side and the host's note, as the
// email had them; and, once the link was used, the answer it gave.
type LinkIntroduction struct {
	domain.Introduction
	Other      match.Post
	Reasons    []string
	Note       string
	Answer     string    // this side's answer once given (domain.IntroAccepted or IntroDeclined), else ""
	AnsweredAt time.Time // when the link gave it
}

// IntroductionForLink returns what an answer link is about, without
// spending it. A link used already still says what it answered and when
// (a member going back to it should read "you said yes", not "this link
// does not work"); any other token is ENOTFOUND.
func (a *App) IntroductionForLink(ctx context.Context, token string) (LinkIntroduction, error) {
	var li LinkIntroduction
	in, side, err := a.Store.IntroductionByLink(ctx, auth.Hash(token))
	if match.ErrorCode(err) == match.ENOTFOUND {
		in, side, li.AnsweredAt, err = a.Store.AnsweredLink(ctx, auth.Hash(token))
		li.Answer = in.AnswerA
		if side == "b" {
			li.Answer = in.AnswerB
		}
	}
	if err != nil {
		return li, err
	}
	li.Introduction = in
	other := in.PostB
	if side == "b" {
		other = in.PostA
	}
	if li.Other, err = a.Store.Post(ctx, other); err != nil {
		return li, err
	}
	sg, err := a.suggestionOf(ctx, in)
	if err != nil {
		return li, err
	}
	li.Note, li.Reasons = sg.Note, sg.ReasonsA
	if side == "b" {
		li.Reasons = sg.ReasonsB
	}
	return li, nil
}

// AnswerAsOwner records the answer of the side whose post the member owns.
// It returns EFORBIDDEN if they own neither side.
func (a *App) AnswerAsOwner(ctx context.Context, m domain.Member, introductionID int64, accept bool) (domain.Introduction, error) {
	in, err := a.Store.Introduction(ctx, introductionID)
	if err != nil {
		return domain.Introduction{}, err
	}
	posts, err := a.Store.PostsByID(ctx, []int64{in.PostA, in.PostB})
	if err != nil {
		return domain.Introduction{}, err
	}
	side := ""
	switch m.Email {
	case posts[in.PostA].Email:
		side = "a"
	case posts[in.PostB].Email:
		side = "b"
	default:
		return domain.Introduction{}, match.Errorf(match.ENOTFOUND, "introduction %d not found", introductionID)
	}
	return a.answer(ctx, in, side, accept)
}

// answer records a side's answer and tells the members what follows: when
// both accepted, each gets the other's contact details; when one declined,
// the other hears only that it did not go ahead.
func (a *App) answer(ctx context.Context, in domain.Introduction, side string, accept bool) (domain.Introduction, error) {
	in, err := a.Store.Answer(ctx, in.ID, side, accept)
	if err != nil {
		return domain.Introduction{}, err
	}
	posts, err := a.Store.PostsByID(ctx, []int64{in.PostA, in.PostB})
	if err != nil {
		return domain.Introduction{}, err
	}
	pa, pb := posts[in.PostA], posts[in.PostB]
	switch in.Status {
	case domain.IntroAccepted:
		for _, pair := range [][2]match.Post{{pa, pb}, {pb, pa}} {
			to, other := pair[0], pair[1]
			a.mail(ctx, "introduced", to.Email, "You're introduced: "+other.Business, map[string]any{
				"Business": other.Business, "Email": other.Email, "Website": other.Website, "Offer": other.Offer,
				"Link": a.baseURL + "/app/introductions",
			})
		}
	case domain.IntroDeclined:
		// Tell the other side quietly, and only if they said yes already
		// or are still to answer: never who declined or why.
		to, other := pb, pa
		if side == "b" {
			to, other = pa, pb
		}
		a.notAhead(ctx, to.Email, other.Business)
	}
	return in, nil
}

// When the introduction lifecycle acts.
const (
	remindBefore  = 3 * 24 * time.Hour  // the one reminder, before expiry
	followUpAfter = 14 * 24 * time.Hour // "did you meet?", after both accepted (a day after their meeting, when they set one)
	feedbackTTL   = 30 * 24 * time.Hour // how long the follow-up's link works
)

// days says a duration in whole days, for emails.
func days(d time.Duration) string {
	n := int((d + 12*time.Hour) / (24 * time.Hour))
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// ProcessIntroductions moves introductions along with time: one reminder
// to the sides that have not answered, three days before expiry; expiry,
// quietly telling those who said yes that it did not go ahead; and the
// follow-up asking both sides of an accepted introduction whether they met
// and how useful it was. Each step is claimed in a transaction first, so
// that no email goes out twice. The maintenance loop calls it.
func (a *App) ProcessIntroductions(ctx context.Context) error {
	now := a.Store.Now()
	due, err := a.Store.DueReminders(ctx, now.Add(remindBefore))
	if err != nil {
		return err
	}
	for _, in := range due {
		err := a.eachSide(ctx, in, func(me, other match.Post, side, answer string) error {
			if answer != "" {
				return nil
			}
			token := auth.NewToken(prefixLink)
			owing, err := a.owe(ctx, "reminder", me.Email, "Reminder: an introduction to "+other.Business, map[string]any{
				"Business": other.Business, "Link": a.link("/introduction", token), "Left": "3 days",
			})
			if err != nil {
				return err
			}
			if err := a.Store.AddIntroductionLink(owing, in.ID, side, "answer", auth.Hash(token), time.Time{}); err != nil {
				return err
			}
			a.kickMail()
			return nil
		})
		if err != nil {
			return err
		}
	}
	expired, err := a.Store.ExpireIntroductions(ctx)
	if err != nil {
		return err
	}
	for _, in := range expired {
		err := a.eachSide(ctx, in, func(me, other match.Post, _, answer string) error {
			if answer == domain.IntroAccepted {
				a.notAhead(ctx, me.Email, other.Business)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	followUps, err := a.Store.DueFollowUps(ctx, now.Add(-followUpAfter))
	if err != nil {
		return err
	}
	for _, in := range followUps {
		err := a.eachSide(ctx, in, func(me, other match.Post, side, _ string) error {
			token := auth.NewToken(prefixLink)
			owing, err := a.owe(ctx, "followup", me.Email, "Did you meet "+other.Business+"?", map[string]any{
				"Business": other.Business, "Link": a.link("/feedback", token),
			})
			if err != nil {
				return err
			}
			if err := a.Store.AddIntroductionLink(owing, in.ID, side, "feedback", auth.Hash(token), now.Add(feedbackTTL)); err != nil {
				return err
			}
			a.kickMail()
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// eachSide calls fn for both sides of an introduction: the side's post, the
// other post, the side ("a" or "b") and its answer.
func (a *App) eachSide(ctx context.Context, in domain.Introduction, fn func(me, other match.Post, side, answer string) error) error {
	posts, err := a.Store.PostsByID(ctx, []int64{in.PostA, in.PostB})
	if err != nil {
		return err
	}
	if err := fn(posts[in.PostA], posts[in.PostB], "a", in.AnswerA); err != nil {
		return err
	}
	return fn(posts[in.PostB], posts[in.PostA], "b", in.AnswerB)
}

// Feedback records a follow-up answer by its link: whether they met and,
// if so, how useful it was (1–5). It returns ENOTFOUND for a bad link.
func (a *App) Feedback(ctx context.Context, token string, met bool, rating int) error {
	if met && (rating < 1 || rating > 5) {
		return match.Invalid("some fields are not valid", map[string]string{"rating": "must be from 1 to 5"})
	}
	if err := a.Store.Feedback(ctx, auth.Hash(token), met, rating); err != nil {
		return err
	}
	return a.relearn(ctx)
}

// notAhead tells a member, quietly, that an introduction they said yes to
// (or had still to answer) did not go ahead: never who declined or why. It
// is a notice of kind introduction, which members may turn off.
func (a *App) notAhead(ctx context.Context, to, otherBusiness string) {
	a.sendNotice(ctx, to, "introduction", "not_ahead", "About your introduction to "+otherBusiness,
		"The introduction to "+otherBusiness+" did not go ahead", a.baseURL+"/app/introductions",
		map[string]any{"Business": otherBusiness})
}

// suggestionOf returns the suggestion an introduction was made from: the
// host's note and the reasons each side was given.
func (a *App) suggestionOf(ctx context.Context, in domain.Introduction) (domain.Suggestion, error) {
	found, err := a.Store.SuggestionsByID(ctx, []int64{in.SuggestionID})
	if err != nil {
		return domain.Suggestion{}, err
	}
	sg, ok := found[in.SuggestionID]
	if !ok {
		return sg, match.Errorf(match.ENOTFOUND, "the introduction's suggestion is gone")
	}
	return sg, nil
}
