package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/match"
)

// digestRoutes are the routes of the quarterly digests.
func (s *Server) digestRoutes() []route {
	return []route{
		{http.MethodGet, "/api/v1/digests/:quarter", hostOnly, s.getDigest, unlimited},
		{http.MethodPut, "/api/v1/digests/:quarter/note", hostOnly, s.setDigestNote, unlimited},
		{http.MethodGet, "/api/v1/digests/:quarter/preview", hostOnly, s.previewDigest, unlimited},
		{http.MethodPost, "/api/v1/digests/:quarter/send", hostOnly, s.sendDigests, unlimited},
		{http.MethodPost, "/api/v1/posts/:id/matches/:other/interest", signedIn, s.recordInterest, unlimited},
		// Pages the digest's links open. The online copy and the pages only
		// show; a button posts. The unsubscribe POST is RFC 8058's one-click
		// target: mail providers post to it from a few addresses, so it has
		// a limit of its own, far above a person's (a bad signature costs
		// one HMAC).
		{http.MethodGet, "/digest", anyone, s.digestOnline, unlimited},
		{http.MethodGet, "/digest/request", anyone, s.digestRequestPage, unlimited},
		{http.MethodPost, "/digest/request", anyone, s.digestRequest, publicWrite},
		{http.MethodGet, "/unsubscribe", anyone, s.unsubscribePage, unlimited},
		{http.MethodPost, "/unsubscribe", anyone, s.unsubscribe, oneClick},
	}
}

type digestView struct {
	Quarter    match.Quarter  `json:"quarter"`
	Note       string         `json:"note"`
	Running    bool           `json:"running"`
	StartedAt  *time.Time     `json:"started_at"`
	FinishedAt *time.Time     `json:"finished_at"`
	Recipients int            `json:"recipients"`
	Counts     map[string]int `json:"counts"`  // recipients by status
	Skipped    map[string]int `json:"skipped"` // skipped recipients by reason
	// Problems are the failed and unknown recipients (up to 200).
	Problems []digestProblem `json:"problems"`
}

type digestProblem struct {
	Email     string    `json:"email"`
	Status    string    `json:"status"`
	Error     string    `json:"error"`
	Attempts  int       `json:"attempts"`
	UpdatedAt time.Time `json:"updated_at"`
}

func viewDigest(d domain.Digest, running bool) digestView {
	v := digestView{Quarter: d.Quarter, Note: d.Note, Running: running, StartedAt: d.StartedAt, FinishedAt: d.FinishedAt,
		Counts: d.Counts, Skipped: d.Skipped, Problems: make([]digestProblem, len(d.Problems))}
	for _, n := range d.Counts {
		v.Recipients += n
	}
	for i, p := range d.Problems {
		v.Problems[i] = digestProblem{Email: p.Email, Status: p.Status, Error: p.Reason, Attempts: p.Attempts, UpdatedAt: p.UpdatedAt}
	}
	return v
}

func (s *Server) digestStatus(c echo.Context, q match.Quarter, status int) error {
	d, running, err := s.app.DigestStatus(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(status, viewDigest(d, running))
}

func (s *Server) getDigest(c echo.Context) error {
	q, err := pathQuarter(c)
	if err != nil {
		return err
	}
	return s.digestStatus(c, q, http.StatusOK)
}

type digestNoteRequest struct {
	Note *string `json:"note"`
}

func (s *Server) setDigestNote(c echo.Context) error {
	q, err := pathQuarter(c)
	if err != nil {
		return err
	}
	var req digestNoteRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	if req.Note == nil {
		return match.Invalid("some fields are not valid", map[string]string{"note": "is required (\"\" for none)"})
	}
	if err := s.app.SetDigestNote(c.Request().Context(), q, *req.Note); err != nil {
		return err
	}
	return s.digestStatus(c, q, http.StatusOK)
}

func (s *Server) previewDigest(c echo.Context) error {
	q, err := pathQuarter(c)
	if err != nil {
		return err
	}
	params := newQueryParams(c.QueryParams(), "email", "format", "per_member")
	email := c.QueryParam("email")
	if email == "" {
		params.bad["email"] = "is required: the member's address"
	}
	format := c.QueryParam("format")
	if format != "" && format != "html" && format != "text" {
		params.bad["format"] = "must be html or text"
	}
	perMember := 0
	if v := c.QueryParam("per_member"); v != "" {
		if perMember, err = strconv.Atoi(v); err != nil || perMember < 1 || perMember > app.MaxDigestMatches {
			params.bad["per_member"] = fmt.Sprintf("must be a whole number from 1 to %d", app.MaxDigestMatches)
		}
	}
	if err := params.err(); err != nil {
		return err
	}
	body, err := s.app.PreviewDigest(c.Request().Context(), q, email, perMember, format == "text")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if format == "text" {
		return c.Blob(http.StatusOK, echo.MIMETextPlainCharsetUTF8, []byte(body))
	}
	return emailPage(c, body)
}

// emailPage serves an email's HTML as a page. Emails style with inline
// style attributes, which the default policy blocks; they have no script.
func emailPage(c echo.Context, body string) error {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Robots-Tag", "noindex")
	return c.HTMLBlob(http.StatusOK, []byte(body))
}

type sendDigestsRequest struct {
	// Note, when set, becomes the quarter's note before sending.
	Note          *string `json:"note"`
	PerMember     *int    `json:"per_member"`
	Limit         *int    `json:"limit"`
	DryRun        bool    `json:"dry_run"`
	ResendUnknown bool    `json:"resend_unknown"`
}

// sendDigests starts sending a quarter's digests in the background (202,
// progress in GET /api/v1/digests/{quarter}), or with dry_run reports
// what a run would do (200).
func (s *Server) sendDigests(c echo.Context) error {
	q, err := pathQuarter(c)
	if err != nil {
		return err
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	var req sendDigestsRequest
	if len(bytes.TrimSpace(body)) > 0 { // the body is optional
		if err := intake.DecodeJSON(body, &req); err != nil {
			return err
		}
	}
	opt := app.DigestOptions{DryRun: req.DryRun, ResendUnknown: req.ResendUnknown}
	fields := map[string]string{}
	if req.PerMember != nil {
		if opt.PerMember = *req.PerMember; opt.PerMember < 1 || opt.PerMember > app.MaxDigestMatches {
			fields["per_member"] = fmt.Sprintf("must be from 1 to %d", app.MaxDigestMatches)
		}
	}
	if req.Limit != nil {
		if opt.Limit = *req.Limit; opt.Limit < 1 {
			fields["limit"] = "must be a positive whole number"
		}
	}
	if len(fields) > 0 {
		return match.Invalid("some fields are not valid", fields)
	}
	ctx := c.Request().Context()
	if req.Note != nil && !req.DryRun {
		if err := s.app.SetDigestNote(ctx, q, *req.Note); err != nil {
			return err
		}
	}
	if req.DryRun {
		rep, err := s.app.SendDigests(ctx, q, opt)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, rep)
	}
	if err := s.app.StartDigests(q, opt); err != nil {
		return err
	}
	return s.digestStatus(c, q, http.StatusAccepted)
}

type interestRequest struct {
	Interest string `json:"interest"`
	Note     string `json:"note"`
}

type interestView struct {
	PostID    int64     `json:"post_id"`
	PartnerID int64     `json:"partner_id"`
	Interest  string    `json:"interest"`
	Note      string    `json:"note"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func viewInterest(in domain.Interest) interestView {
	return interestView{PostID: in.PostID, PartnerID: in.PartnerID, Interest: in.Interest, Note: in.Note,
		CreatedAt: in.CreatedAt, UpdatedAt: in.UpdatedAt}
}

// recordInterest records what a post's owner (or the host) thinks of a
// partner. The answer is the same whatever the partner said, so that a
// member never learns of a no.
func (s *Server) recordInterest(c echo.Context) error {
	post, err := s.postToChange(c)
	if err != nil {
		return err
	}
	other, err := positiveParam(c, "other", "partner's post id")
	if err != nil {
		return err
	}
	var req interestRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	in, err := s.app.RecordInterest(c.Request().Context(), post, other, req.Interest, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewInterest(in))
}

func (s *Server) digestOnline(c echo.Context) error {
	body, err := s.app.DigestOnline(c.Request().Context(), c.QueryParam("token"))
	if err != nil {
		return linkError(c, err)
	}
	return emailPage(c, body)
}

func (s *Server) digestRequestPage(c echo.Context) error {
	token := c.QueryParam("token")
	_, partner, err := s.app.DigestRequestForLink(c.Request().Context(), token)
	if err != nil {
		return linkError(c, err)
	}
	return renderPage(c, http.StatusOK, page{Title: "An introduction to " + partner.Business + "?",
		Message: "Ask the host, and they can introduce you both by email. Your contact details are shared only if you both say yes.",
		Details: []string{"What they do: " + partner.Offer, "Who they are looking for: " + partner.Seek},
		Action:  "/digest/request", Token: token,
		Buttons: []pageButton{{Name: "answer", Value: "yes", Label: "Yes, ask the host to introduce us"},
			{Name: "answer", Value: "no", Label: "Not interested"},
			{Name: "answer", Value: "competitor", Label: "Not a fit: they are a competitor"},
			{Name: "answer", Value: "not_relevant", Label: "Not a fit: not relevant to us"}}})
}

func (s *Server) digestRequest(c echo.Context) error {
	answer := c.FormValue("answer")
	if answer == "competitor" || answer == "not_relevant" {
		if _, err := s.app.FeedbackByLink(c.Request().Context(), c.FormValue("token"), match.Reason(answer)); err != nil {
			return linkError(c, err)
		}
		msg := "Thanks for letting us know: we will not suggest them to you again, and the matcher learns from it."
		if answer == "competitor" {
			msg = "Thanks for letting us know: neither of you will be suggested the other again, and businesses like them will rank lower for you."
		}
		return renderPage(c, http.StatusOK, page{Title: "Thank you", Message: msg, Next: "/", NextLabel: "Go to Matchmaker"})
	}
	if answer != "yes" && answer != "no" {
		return match.Invalid("some fields are not valid", map[string]string{"answer": "must be yes, no, competitor or not_relevant"})
	}
	_, err := s.app.RequestByLink(c.Request().Context(), c.FormValue("token"), answer == "yes")
	if match.ErrorCode(err) == match.ECONFLICT {
		return renderPage(c, http.StatusConflict, page{Title: "You were introduced already", Message: match.ErrorMessage(err), Next: "/", NextLabel: "Go to Matchmaker"})
	}
	if err != nil {
		return linkError(c, err)
	}
	msg := "Thank you: the host will see your request. If they introduce you, you will both get an email to say yes or no."
	if answer == "no" {
		msg = "Thanks for letting us know: we will not suggest them to you again."
	}
	return renderPage(c, http.StatusOK, page{Title: "Thank you", Message: msg, Next: "/", NextLabel: "Go to Matchmaker"})
}

func (s *Server) unsubscribePage(c echo.Context) error {
	token := c.QueryParam("token")
	what, err := s.app.CheckUnsubscribeLink(token)
	if err != nil {
		return linkError(c, err)
	}
	return renderPage(c, http.StatusOK, page{Title: "Unsubscribe?",
		Message: "You will get no more " + what + ". Your posts, introductions and partnerships stay as they are.",
		Action:  "/unsubscribe", Token: token, Buttons: []pageButton{{Label: "Unsubscribe"}}})
}

// unsubscribe takes the token from the query (the List-Unsubscribe URL,
// posted with List-Unsubscribe=One-Click) or from the page's form.
func (s *Server) unsubscribe(c echo.Context) error {
	token := c.FormValue("token")
	again := c.FormValue("action") == "resubscribe"
	what, err := s.app.UnsubscribeByLink(c.Request().Context(), token, again)
	if err != nil {
		return linkError(c, err)
	}
	if again {
		return renderPage(c, http.StatusOK, page{Title: "You are subscribed again",
			Message: "You will get " + what + " again.", Next: "/", NextLabel: "Go to Matchmaker"})
	}
	return renderPage(c, http.StatusOK, page{Title: "You are unsubscribed",
		Message: "You will get no more " + what + ". Clicked by mistake?",
		Action:  "/unsubscribe", Token: token, Buttons: []pageButton{{Name: "action", Value: "resubscribe", Label: "Subscribe me again"}},
		Next: "/", NextLabel: "Go to Matchmaker"})
}
