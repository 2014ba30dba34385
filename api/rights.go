package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
)

// Members' data rights (GDPR Art. 15, 17 and 20): a member downloads
// everything held about them and erases their account; the host does
// both on a member's request.
func (s *Server) rightsRoutes() []route {
	return []route{
		{http.MethodGet, "/api/v1/me/export", memberOnly, s.exportMe, unlimited},
		{http.MethodPost, "/api/v1/me/erase", memberOnly, s.eraseMe, unlimited},
		{http.MethodGet, "/api/v1/members/export", hostOnly, s.exportMember, unlimited},
		{http.MethodPost, "/api/v1/members/erase", hostOnly, s.eraseMember, unlimited},
	}
}

type eraseRequest struct {
	Email        string `json:"email"`         // the host's request only: whom to erase
	ConfirmEmail string `json:"confirm_email"` // the same address again
}

func (s *Server) exportMe(c echo.Context) error {
	return s.sendExport(c, callerOf(c).member.Email)
}

func (s *Server) exportMember(c echo.Context) error {
	params := newQueryParams(c.QueryParams(), "email")
	if err := params.err(); err != nil {
		return err
	}
	return s.sendExport(c, c.QueryParam("email"))
}

// sendExport answers with the export as a JSON file to save.
func (s *Server) sendExport(c echo.Context, email string) error {
	ex, err := s.app.ExportMember(c.Request().Context(), callerOf(c).app(), email)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="matchmaker-data-%s.json"`, ex.ExportedAt.Format("2006-01-02")))
	return c.JSONPretty(http.StatusOK, ex, " ")
}

func (s *Server) eraseMe(c echo.Context) error {
	var req eraseRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	who := callerOf(c)
	e, err := s.app.EraseMember(c.Request().Context(), who.app(), who.member.Email, req.ConfirmEmail)
	if err != nil {
		return err
	}
	c.SetCookie(s.cookie(c, "", -1)) // the session went with the member
	return c.JSON(http.StatusOK, e)
}

func (s *Server) eraseMember(c echo.Context) error {
	var req eraseRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	e, err := s.app.EraseMember(c.Request().Context(), callerOf(c).app(), req.Email, req.ConfirmEmail)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, e)
}
