package api

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/match"
)

// caller is who is making a request.
type caller struct {
	host bool
}

const callerKey = "caller"

// identify works out the caller from the Authorization header. No header is
// an anonymous caller; a header with a token that is not valid is refused
// outright, so a mistyped token never silently downgrades to anonymous.
func (s *Server) identify(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var who caller
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, token, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || !s.app.IsHost(strings.TrimSpace(token)) {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="matchmaker"`)
				return match.Errorf(match.EUNAUTHORIZED, "the bearer token is not valid")
			}
			who.host = true
		}
		c.Set(callerKey, who)
		return next(c)
	}
}

func requireHost(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !callerOf(c).host {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="matchmaker"`)
			return match.Errorf(match.EUNAUTHORIZED, "this needs the host's token (Authorization: Bearer …)")
		}
		return next(c)
	}
}

func callerOf(c echo.Context) caller {
	who, _ := c.Get(callerKey).(caller)
	return who
}
