package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
)

func (s *Server) exportRoutes() []route {
	return []route{
		{http.MethodGet, "/api/v1/exports/:file", hostOnly, s.export, unlimited},
	}
}

// export streams one of the host's exports as CSV: /api/v1/exports/posts.csv
// and the like (store.ExportKinds). The answer starts before the last row
// is read: should reading fail midway, the transfer is cut, so that nobody
// mistakes a short file for the whole.
func (s *Server) export(c echo.Context) error {
	file := c.Param("file")
	kind, ok := strings.CutSuffix(file, ".csv")
	if !ok || !slices.Contains(app.ExportKinds, kind) {
		return match.Errorf(match.ENOTFOUND, "no export %q; there are %s.csv", file, strings.Join(app.ExportKinds, ".csv, "))
	}
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-%s.csv"`, kind, s.app.Clock()().UTC().Format("2006-01-02")))
	err := s.app.Export(c.Request().Context(), callerOf(c).app(), kind, res)
	switch {
	case err == nil:
		return nil
	case !res.Committed:
		res.Header().Del(echo.HeaderContentDisposition)
		res.Header().Del(echo.HeaderContentType)
		return err
	}
	s.log.Error("export", "kind", kind, "err", err)
	panic(http.ErrAbortHandler)
}
