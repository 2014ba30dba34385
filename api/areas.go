package api

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
)

// areaRoutes are the routes of the host's areas ("Tri-County").
func (s *Server) areaRoutes() []route {
	return []route{
		{http.MethodGet, "/api/v1/areas", hostOnly, s.listAreas, unlimited},
		{http.MethodPut, "/api/v1/areas/:name", hostOnly, s.putArea, unlimited},
		{http.MethodDelete, "/api/v1/areas/:name", hostOnly, s.deleteArea, unlimited},
	}
}

func (s *Server) listAreas(c echo.Context) error {
	if err := newQueryParams(c.QueryParams()).err(); err != nil {
		return err
	}
	areas, err := s.app.Areas(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"areas": areas})
}

type areaRequest struct {
	Centre   string  `json:"centre"`
	RadiusKm float64 `json:"radius_km"`
}

// areaName is the path's name, unescaped ("Tri-County", "Greater%20Leeds")
// and composed (NFC), as names in bodies are.
func areaName(c echo.Context) string {
	name, err := url.PathUnescape(c.Param("name"))
	if err != nil {
		return c.Param("name")
	}
	return match.NFC(name)
}

func (s *Server) putArea(c echo.Context) error {
	var req areaRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	area, err := s.app.PutArea(c.Request().Context(), app.AreaInput{Name: areaName(c), Centre: req.Centre, RadiusKm: req.RadiusKm})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, area)
}

func (s *Server) deleteArea(c echo.Context) error {
	if err := s.app.DeleteArea(c.Request().Context(), areaName(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
