package api

import (
	"net/http"

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
	post, err := s.postToChange(c)
	if err != nil {
		return err
	}
	id := post.ID
	q := newQueryParams(c.QueryParams(), "limit", "lane", "quarter")
	opt := match.MatchOptions{Limit: q.limit(10, maxMatches), Lane: q.lane(), Quarter: q.quarter()}
	if err := q.err(); err != nil {
		return err
	}
	ms, err := s.app.Matches(c.Request().Context(), id, opt)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, matchesPage{PostID: id, Matches: ms})
}
