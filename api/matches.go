package api

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
)

// maxMatches bounds how many matches one request may ask for.
const maxMatches = 50

type matchesPage struct {
	PostID  int64           `json:"post_id"`
	Matches []app.MatchView `json:"matches"`
}

func (s *Server) postMatches(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	opt := match.MatchOptions{Limit: 10}
	fields := map[string]string{}
	for name := range c.QueryParams() {
		if name != "limit" && name != "lane" && name != "quarter" {
			fields[name] = "is not a known parameter"
		}
	}
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > maxMatches {
			fields["limit"] = fmt.Sprintf("must be a whole number from 1 to %d", maxMatches)
		}
		opt.Limit = n
	}
	if l := match.Lane(c.QueryParam("lane")); l != "" {
		if !l.Valid() {
			fields["lane"] = "must be one of: strategic, referral, either"
		}
		opt.Lane = l
	}
	if q := match.Quarter(c.QueryParam("quarter")); q != "" {
		if !q.Valid() {
			fields["quarter"] = "must be a quarter like 2026-Q3"
		}
		opt.Quarter = q
	}
	if len(fields) > 0 {
		return match.Invalid("some query parameters are not valid", fields)
	}
	ms, err := s.app.Matches(c.Request().Context(), id, opt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, matchesPage{PostID: id, Matches: ms})
}
