package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// sessionCookie holds a member's session token.
const sessionCookie = "mm_session"

// csrfHeader carries the CSRF token of a cookie session's writes.
const csrfHeader = "X-CSRF-Token"

// caller is who is making a request.
type caller struct {
	host   bool
	member *domain.Member // a signed-in member, by session or personal token
	// session is the session token when the member came by cookie: their
	// writes must then carry the CSRF token.
	session string
	// csrfMissing marks a cookie session's write without its CSRF token:
	// the request does not count as the member's.
	csrfMissing bool
}

// app is the caller as the app knows it, which decides what they may see
// and do.
func (who caller) app() app.Who {
	if who.host {
		return app.Who{Host: true}
	}
	if who.member != nil {
		return app.Who{Email: who.member.Email}
	}
	return app.Who{}
}

const callerKey = "caller"

// identify works out the caller: the host's token, a member's personal
// token or session cookie, or nobody. A bearer token that is not valid is
// refused outright, so a mistyped token never silently downgrades to
// anonymous; a stale session cookie is just ignored.
func (s *Server) identify(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx := c.Request().Context()
		var who caller
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, token, ok := strings.Cut(h, " ")
			token = strings.TrimSpace(token)
			switch {
			case !ok || !strings.EqualFold(scheme, "Bearer"):
				return unauthorized(c, "send the token as 'Authorization: Bearer <token>'")
			case s.app.IsHost(token):
				who.host = true
			case app.IsAPIToken(token):
				m, err := s.app.MemberByAPIToken(ctx, token)
				if err != nil {
					return unauthorizedErr(c, err)
				}
				who.member = &m
			default:
				return unauthorized(c, "the bearer token is not valid")
			}
		} else if cookie, err := c.Cookie(sessionCookie); err == nil && cookie.Value != "" {
			if m, err := s.app.MemberBySession(ctx, cookie.Value); err == nil {
				who.member, who.session = &m, cookie.Value
			} else if !errors.Is(err, match.ErrUnauthorized) {
				return err
			}
		}
		// A cookie comes with every request to this site, wherever it was
		// started; only a write carrying the session's CSRF token is the
		// member's. Without it the request goes on as anonymous (say, a
		// signed-in member opening an emailed link's form).
		if who.session != "" && !safeMethod(c.Request().Method) && !s.app.CheckCSRF(who.session, c.Request().Header.Get(csrfHeader)) {
			who = caller{csrfMissing: true}
		}
		c.Set(callerKey, who)
		return next(c)
	}
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func unauthorized(c echo.Context, message string) error {
	return unauthorizedErr(c, match.Errorf(match.EUNAUTHORIZED, "%s", message))
}

func unauthorizedErr(c echo.Context, err error) error {
	c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="matchmaker"`)
	return err
}

func requireHost(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !callerOf(c).host {
			return unauthorized(c, "this needs the host's token (Authorization: Bearer …)")
		}
		return next(c)
	}
}

// requireSignedIn lets members and the host through; the handler decides
// what each may do (an owner acts on their own posts only).
func requireSignedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		who := callerOf(c)
		if who.member == nil && !who.host {
			return notSignedIn(c, who)
		}
		return next(c)
	}
}

// requireMember lets signed-in members through: routes about "me".
func requireMember(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if who := callerOf(c); who.member == nil {
			return notSignedIn(c, who)
		}
		return next(c)
	}
}

func notSignedIn(c echo.Context, who caller) error {
	if who.csrfMissing {
		return match.Errorf(match.EFORBIDDEN, "this request needs the %s header from GET /api/v1/me", csrfHeader)
	}
	return unauthorized(c, "sign in first (a session, or 'Authorization: Bearer <personal token>')")
}

func callerOf(c echo.Context) caller {
	who, _ := c.Get(callerKey).(caller)
	return who
}
