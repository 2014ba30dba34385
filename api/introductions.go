package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

type introductionSide struct {
	Post   postView `json:"post"`
	Answer string   `json:"answer"` // "", accepted or declined
	// Reasons are why the pair was suggested, as written to this side's
	// owner; a member sees their own side's.
	Reasons []string `json:"reasons"`
}

type introductionView struct {
	ID        int64            `json:"id"`
	Status    string           `json:"status"`
	A         introductionSide `json:"a"`
	B         introductionSide `json:"b"`
	Note      string           `json:"note"` // the host's note, as in the email
	CreatedAt time.Time        `json:"created_at"`
	ExpiresAt time.Time        `json:"expires_at"`
	UpdatedAt time.Time        `json:"updated_at"`
}

// viewIntroductions shows introductions to who. The host sees everything.
// A member sees their own side's answer and reasons, the other side's
// email only once both accepted, and never the other side's answer before
// then: a decline stays quiet.
func (s *Server) viewIntroductions(ctx context.Context, who caller, list []domain.Introduction) ([]introductionView, error) {
	var ids, suggestionIDs []int64
	for _, in := range list {
		ids = append(ids, in.PostA, in.PostB)
		suggestionIDs = append(suggestionIDs, in.SuggestionID)
	}
	posts, err := s.app.PostsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	suggestions, err := s.app.SuggestionsByID(ctx, suggestionIDs)
	if err != nil {
		return nil, err
	}
	out := make([]introductionView, len(list))
	for i, in := range list {
		sg := suggestions[in.SuggestionID]
		side := func(id int64, answer string, reasons []string) introductionSide {
			p := posts[id]
			v := viewPost(p, who)
			if in.Status == domain.IntroAccepted {
				v.Email = p.Email // both said yes: contact details are shared
			}
			mine := who.host || who.app().Owns(p)
			if !mine && in.Status != domain.IntroAccepted {
				answer = ""
			}
			if !mine || reasons == nil {
				reasons = []string{}
			}
			return introductionSide{Post: v, Answer: answer, Reasons: reasons}
		}
		out[i] = introductionView{ID: in.ID, Status: in.Status, A: side(in.PostA, in.AnswerA, sg.ReasonsA), B: side(in.PostB, in.AnswerB, sg.ReasonsB),
			Note: sg.Note, CreatedAt: in.CreatedAt, ExpiresAt: in.ExpiresAt, UpdatedAt: in.UpdatedAt}
	}
	return out, nil
}

func (s *Server) introduce(c echo.Context) error {
	q, id, err := suggestionPath(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	in, err := s.app.Introduce(ctx, q, id)
	if err != nil {
		return err
	}
	out, err := s.viewIntroductions(ctx, callerOf(c), []domain.Introduction{in})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out[0])
}

func (s *Server) listIntroductions(c echo.Context) error {
	who := callerOf(c)
	ctx := c.Request().Context()
	list, err := s.app.IntroductionsFor(ctx, who.app())
	if err != nil {
		return err
	}
	out, err := s.viewIntroductions(ctx, who, list)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string][]introductionView{"introductions": out})
}

type answerRequest struct {
	Answer string `json:"answer"`
}

func parseAnswer(a string) (bool, error) {
	switch a {
	case "accept":
		return true, nil
	case "decline":
		return false, nil
	}
	return false, match.Invalid("some fields are not valid", map[string]string{"answer": "must be accept or decline"})
}

func (s *Server) answerIntroduction(c echo.Context) error {
	id, err := introductionID(c)
	if err != nil {
		return err
	}
	var req answerRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	accept, err := parseAnswer(req.Answer)
	if err != nil {
		return err
	}
	who := callerOf(c)
	ctx := c.Request().Context()
	in, err := s.app.AnswerAsOwner(ctx, *who.member, id, accept)
	if err != nil {
		return err
	}
	out, err := s.viewIntroductions(ctx, who, []domain.Introduction{in})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out[0])
}

func introductionID(c echo.Context) (int64, error) { return positiveParam(c, "id", "introduction id") }

func (s *Server) introductionPage(c echo.Context) error {
	token := c.QueryParam("token")
	li, err := s.app.IntroductionForLink(c.Request().Context(), token)
	if err != nil {
		return linkError(c, err)
	}
	if li.Answer != "" {
		return answeredPage(c, http.StatusOK, li)
	}
	// What the email said: their post, why the two of them, the host's word.
	details := []string{"What they do: " + li.Other.Offer, "Who they are looking for: " + li.Other.Seek}
	for _, r := range li.Reasons {
		details = append(details, "Why you two: "+r)
	}
	if li.Note != "" {
		details = append(details, "A note from the host: "+li.Note)
	}
	return renderPage(c, http.StatusOK, page{Title: "An introduction to " + li.Other.Business,
		Message: "Your contact details are shared only if you both say yes.",
		Details: details,
		Action:  "/introduction", Token: token,
		Buttons: []pageButton{{Name: "answer", Value: "accept", Label: "Yes, introduce us"}, {Name: "answer", Value: "decline", Label: "No, thank you"}}})
}

// confirmDecline asks before a decline by an emailed link: it cannot be
// undone, and the page's two buttons sit side by side. Nothing is
// recorded until the member says yes again.
func (s *Server) confirmDecline(c echo.Context) error {
	token := c.FormValue("token")
	li, err := s.app.IntroductionForLink(c.Request().Context(), token)
	if err != nil {
		return linkError(c, err)
	}
	if li.Answer != "" {
		return answeredPage(c, http.StatusConflict, li)
	}
	return renderPage(c, http.StatusOK, page{Title: "Decline the introduction to " + li.Other.Business + "?",
		Message: "It cannot be undone: they are told only that it did not go ahead.",
		Action:  "/introduction", Token: token, Hidden: map[string]string{"answer": "decline"},
		Buttons: []pageButton{{Name: "confirm", Value: "yes", Label: "Yes, decline"}},
		Next:    "/introduction?token=" + url.QueryEscape(token), NextLabel: "No, go back"})
}

// answeredPage tells a member who opens (or posts) an answer link again
// what they answered, when, and where the introduction stands.
func answeredPage(c echo.Context, status int, li app.LinkIntroduction) error {
	said, title := "yes", "You already said yes"
	if li.Answer == domain.IntroDeclined {
		said, title = "no, thank you", "You already said no, thank you"
	}
	msg := fmt.Sprintf("You said %s to an introduction to %s on %s.", said, li.Other.Business, li.AnsweredAt.UTC().Format("2 January 2006"))
	var where string
	switch li.Status {
	case domain.IntroAccepted:
		where = "You both said yes: you have each other's contact details by email."
	case domain.IntroPending:
		where = "We will email you when they answer."
	default:
		where = "It did not go ahead."
	}
	p := page{Title: title, Message: msg, Details: []string{where}, Next: "/", NextLabel: "Go to Matchmaker"}
	if li.Status == domain.IntroAccepted {
		p.Next, p.NextLabel = "/app/introductions", "Plan a meeting"
	}
	return renderPage(c, status, p)
}

func (s *Server) answerByLink(c echo.Context) error {
	accept, err := parseAnswer(c.FormValue("answer"))
	if err != nil {
		return err
	}
	if !accept && c.FormValue("confirm") != "yes" {
		return s.confirmDecline(c)
	}
	in, err := s.app.AnswerByLink(c.Request().Context(), c.FormValue("token"), accept)
	if match.ErrorCode(err) == match.ENOTFOUND {
		// Answered already (Back, then the other button): say what.
		if li, lerr := s.app.IntroductionForLink(c.Request().Context(), c.FormValue("token")); lerr == nil && li.Answer != "" {
			return answeredPage(c, http.StatusConflict, li)
		}
	}
	if match.ErrorCode(err) == match.ECONFLICT {
		return renderPage(c, http.StatusConflict, page{Title: "Too late to answer", Message: match.ErrorMessage(err), Next: "/", NextLabel: "Go to Matchmaker"})
	}
	if err != nil {
		return linkError(c, err)
	}
	msg := "Thanks: we will email you their contact details if they say yes too."
	switch {
	case !accept:
		msg = "Thanks for letting us know. They are only told that it did not go ahead."
	case in.Status == domain.IntroAccepted:
		msg = "You both said yes: we just emailed you each other's contact details."
	}
	next, label := "/", "Go to Matchmaker"
	if in.Status == domain.IntroAccepted {
		next, label = "/app/introductions", "Plan a meeting"
	}
	return renderPage(c, http.StatusOK, page{Title: "Thank you", Message: msg, Next: next, NextLabel: label})
}

func (s *Server) feedbackPage(c echo.Context) error {
	buttons := []pageButton{}
	for r := 5; r >= 1; r-- {
		label := strconv.Itoa(r)
		switch r {
		case 5:
			label = "We met — 5, very useful"
		case 1:
			label = "We met — 1, not useful"
		}
		buttons = append(buttons, pageButton{Name: "answer", Value: strconv.Itoa(r), Label: label})
	}
	buttons = append(buttons, pageButton{Name: "answer", Value: "no", Label: "We did not meet"})
	return renderPage(c, http.StatusOK, page{Title: "Did you meet?",
		Message: "How useful was the introduction? One click tells the host.",
		Action:  "/feedback", Token: c.QueryParam("token"), Buttons: buttons})
}

func (s *Server) feedback(c echo.Context) error {
	met, rating := false, 0
	if answer := c.FormValue("answer"); answer != "no" {
		n, err := strconv.Atoi(answer)
		if err != nil {
			return match.Invalid("some fields are not valid", map[string]string{"answer": "must be 1 to 5, or no"})
		}
		met, rating = true, n
	}
	if err := s.app.Feedback(c.Request().Context(), c.FormValue("token"), met, rating); err != nil {
		return linkError(c, err)
	}
	return renderPage(c, http.StatusOK, page{Title: "Thank you", Message: "The host will see it in the round's figures.", Next: "/", NextLabel: "Go to Matchmaker"})
}

// figuresView adds the rates the host reads to a round's counts.
type figuresView struct {
	domain.RoundFigures
	AcceptRate       *float64 `json:"accept_rate"`        // members who said yes, of those asked
	MutualAcceptRate *float64 `json:"mutual_accept_rate"` // introductions both accepted
	MeetingRate      *float64 `json:"meeting_rate"`       // follow-up answers saying they met
}

func share(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	r := float64(n) / float64(of)
	return &r
}

func (s *Server) roundFigures(c echo.Context) error {
	q, err := pathQuarter(c)
	if err != nil {
		return err
	}
	f, err := s.app.Figures(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, figuresView{RoundFigures: f, AcceptRate: share(f.Accepted, f.Invitations),
		MutualAcceptRate: share(f.Mutual, f.Introductions), MeetingRate: share(f.Met, f.Feedback)})
}
