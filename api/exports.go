package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) exportRoutes() []route {
	return []route{
		{http.MethodGet, "/api/v1/exports/posts.csv", hostOnly, s.exportPosts, unlimited},
	}
}

// exportPosts streams every post as CSV (app.PostColumns) to the host.
// The answer starts before the last row is read: should reading fail
// midway, the transfer is cut, so that nobody mistakes a short file for
// the whole community.
func (s *Server) exportPosts(c echo.Context) error {
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="posts-%s.csv"`, s.app.Clock()().UTC().Format("2006-01-02")))
	err := s.app.ExportPosts(c.Request().Context(), callerOf(c).app(), res)
	switch {
	case err == nil:
		return nil
	case !res.Committed:
		res.Header().Del(echo.HeaderContentDisposition)
		return err
	}
	s.log.Error("export posts", "err", err)
	panic(http.ErrAbortHandler)
}
