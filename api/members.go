package api

import (
	"embed"
	"html/template"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
)

type signInRequest struct {
	Email string `json:"email"`
}

// requestSignIn mails a sign-in link. The answer is the same whether or not
// the address is known, so it cannot be used to find out who posted.
func (s *Server) requestSignIn(c echo.Context) error {
	var req signInRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	if err := s.app.RequestSignIn(c.Request().Context(), req.Email); err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, map[string]string{
		"message": "If this address has posts here, a sign-in link is on its way. It works once, for 15 minutes.",
	})
}

func (s *Server) signOut(c echo.Context) error {
	who := callerOf(c)
	if who.session != "" {
		if err := s.app.SignOut(c.Request().Context(), who.session); err != nil {
			return err
		}
	}
	c.SetCookie(s.cookie(c, "", -1))
	return c.NoContent(http.StatusNoContent)
}

// cookie returns the session cookie: HttpOnly (no script reads it),
// SameSite=Lax (no other site's form sends it) and Secure over TLS.
func (s *Server) cookie(c echo.Context, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies || c.IsTLS()}
}

type meView struct {
	Email       string    `json:"email"`
	MemberSince time.Time `json:"member_since"`
	// TimeZone is the IANA zone the member chose ("" for none): meeting
	// times are shown and emailed to them in it.
	TimeZone string `json:"time_zone"`
	// CSRFToken must be sent as X-CSRF-Token with a session's writes; it is
	// empty for callers with a personal token, who need none.
	CSRFToken string `json:"csrf_token,omitempty"`
}

func (s *Server) me(c echo.Context) error {
	return c.JSON(http.StatusOK, s.meOf(callerOf(c)))
}

// meOf is the signed-in member who, as GET /api/v1/me shows them.
func (s *Server) meOf(who caller) meView {
	v := meView{Email: who.member.Email, MemberSince: who.member.CreatedAt, TimeZone: who.member.TimeZone}
	if who.session != "" {
		v.CSRFToken = s.app.CSRFToken(who.session)
	}
	return v
}

// sessionView says whether the caller is a signed-in member, and who.
type sessionView struct {
	SignedIn bool    `json:"signed_in"`
	Member   *meView `json:"member,omitempty"`
}

// session answers the web UI's first question on every page, whether a
// member is signed in, without a 401 for a visitor or the host: a page
// load logs no failed request.
func (s *Server) session(c echo.Context) error {
	who := callerOf(c)
	if who.member == nil {
		return c.JSON(http.StatusOK, sessionView{})
	}
	v := s.meOf(who)
	return c.JSON(http.StatusOK, sessionView{SignedIn: true, Member: &v})
}

func (s *Server) myPosts(c echo.Context) error {
	who := callerOf(c)
	posts, err := s.app.PostsOf(c.Request().Context(), who.member.Email)
	if err != nil {
		return err
	}
	out := postPage{Posts: make([]postView, len(posts))}
	for i, p := range posts {
		out.Posts[i] = viewPost(p, who)
	}
	return c.JSON(http.StatusOK, out)
}

type tokenView struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	// Token is shown once, when the token is created.
	Token string `json:"token,omitempty"`
}

func (s *Server) myTokens(c echo.Context) error {
	tokens, err := s.app.APITokens(c.Request().Context(), callerOf(c).member.ID)
	if err != nil {
		return err
	}
	out := make([]tokenView, len(tokens))
	for i, t := range tokens {
		out[i] = tokenView{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt}
	}
	return c.JSON(http.StatusOK, map[string][]tokenView{"tokens": out})
}

type createTokenRequest struct {
	Name string `json:"name"`
}

func (s *Server) createToken(c echo.Context) error {
	var req createTokenRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	secret, t, err := s.app.CreateAPIToken(c.Request().Context(), *callerOf(c).member, req.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, tokenView{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, Token: secret})
}

func (s *Server) deleteToken(c echo.Context) error {
	id, err := positiveParam(c, "id", "token id")
	if err != nil {
		return err
	}
	if err := s.app.DeleteAPIToken(c.Request().Context(), callerOf(c).member.ID, id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

//go:embed pages/*.html
var pageFiles embed.FS

var pages = template.Must(template.ParseFS(pageFiles, "pages/*.html"))

// page is what a server-rendered page shows.
type page struct {
	Title, Message  string
	Details         []string
	Action, Token   string            // a form posting the token, if Action is set
	Hidden          map[string]string // more fields the form posts
	Buttons         []pageButton      // the form's buttons
	Next, NextLabel string            // a link onwards
}

// pageButton submits the form, with name=value when Name is set.
type pageButton struct{ Name, Value, Label string }

func renderPage(c echo.Context, status int, p page) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().WriteHeader(status)
	return pages.ExecuteTemplate(c.Response(), "page", p)
}

// linkError shows why an emailed link did not work, as a page.
func linkError(c echo.Context, err error) error {
	if match.ErrorCode(err) != match.ENOTFOUND {
		return err
	}
	return deadLink(c, "It may have expired or been used already. Ask for a new one from the sign-in page.")
}

// deadLink is the page of a link that leads nowhere, saying why.
func deadLink(c echo.Context, why string) error {
	return renderPage(c, http.StatusNotFound, page{Title: "This link does not work", Message: why, Next: "/", NextLabel: "Go to Matchmaker"})
}

func (s *Server) confirmPage(c echo.Context) error {
	return renderPage(c, http.StatusOK, page{Title: "Publish your post",
		Message: "One click and your post goes live; then we can suggest partners for you.",
		Action:  "/confirm", Token: c.QueryParam("token"), Buttons: []pageButton{{Label: "Publish my post"}}})
}

func (s *Server) confirm(c echo.Context) error {
	p, err := s.app.ConfirmPost(c.Request().Context(), c.FormValue("token"))
	if err != nil {
		return linkError(c, err)
	}
	return renderPage(c, http.StatusOK, page{Title: "Your post is live",
		Message: p.Business + " is now in the directory. Sign in with " + p.Email + " to see the partners we suggest.",
		Next:    "/", NextLabel: "Go to Matchmaker"})
}

func (s *Server) signInPage(c echo.Context) error {
	return renderPage(c, http.StatusOK, page{Title: "Sign in to Matchmaker",
		Action: "/signin", Token: c.QueryParam("token"), Buttons: []pageButton{{Label: "Sign in"}}})
}

func (s *Server) signIn(c echo.Context) error {
	session, _, err := s.app.SignIn(c.Request().Context(), c.FormValue("token"))
	if err != nil {
		return linkError(c, err)
	}
	c.SetCookie(s.cookie(c, session, int(s.app.SessionTTL().Seconds())))
	return c.Redirect(http.StatusSeeOther, "/")
}

type noticePrefsView struct {
	Kinds []app.NoticeKind  `json:"kinds"`
	Modes map[string]string `json:"modes"` // kind → now, weekly or off
}

func (s *Server) noticePrefsView(c echo.Context, modes map[string]string) error {
	return c.JSON(http.StatusOK, noticePrefsView{Kinds: app.NoticeKinds, Modes: modes})
}

// myNotices says which notices the member gets: every kind, at once, in
// a weekly summary, or off.
func (s *Server) myNotices(c echo.Context) error {
	modes, err := s.app.NoticePrefs(c.Request().Context(), callerOf(c).member.Email)
	if err != nil {
		return err
	}
	return s.noticePrefsView(c, modes)
}

// setMyNotices changes some kinds: {"modes": {"plan": "off"}}.
func (s *Server) setMyNotices(c echo.Context) error {
	var req struct {
		Modes map[string]string `json:"modes"`
	}
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	modes, err := s.app.SetNoticePrefs(c.Request().Context(), callerOf(c).member.Email, req.Modes)
	if err != nil {
		return err
	}
	return s.noticePrefsView(c, modes)
}
