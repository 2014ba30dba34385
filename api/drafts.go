package api

import (
	"bytes"
	"mime"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

type draftView struct {
	ID        int64     `json:"id"`
	Status    string    `json:"status"`
	Name      string    `json:"name"`
	Business  string    `json:"business"`
	Email     string    `json:"email"`
	Website   string    `json:"website"`
	Offer     string    `json:"offer"`
	Seek      string    `json:"seek"`
	Customers string    `json:"customers"`
	Source    string    `json:"source"`
	Problems  []string  `json:"problems"`
	PostID    int64     `json:"post_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func viewDraft(d store.Draft) draftView {
	if d.Problems == nil {
		d.Problems = []string{}
	}
	return draftView{ID: d.ID, Status: d.Status, Name: d.Name, Business: d.Business, Email: d.Email, Website: d.Website,
		Offer: d.Offer, Seek: d.Seek, Customers: d.Customers, Source: d.Source, Problems: d.Problems, PostID: d.PostID,
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

func viewDrafts(ds []store.Draft) map[string][]draftView {
	out := make([]draftView, len(ds))
	for i, d := range ds {
		out[i] = viewDraft(d)
	}
	return map[string][]draftView{"drafts": out}
}

// createDrafts reads a pasted comment thread (text/plain) or a spreadsheet
// of replies (text/csv) into drafts.
func (s *Server) createDrafts(c echo.Context) error {
	body, err := readBody(c, s.cfg.BodyLimit)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var drafts []store.Draft
	switch mediaType, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType)); mediaType {
	case "text/csv":
		drafts, err = s.app.IntakeCSV(ctx, bytes.NewReader(body))
	case "text/plain", "":
		drafts, err = s.app.IntakeThread(ctx, string(body))
	default:
		return match.Invalid("send the thread as text/plain or a spreadsheet as text/csv", nil)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewDrafts(drafts))
}

func (s *Server) listDrafts(c echo.Context) error {
	q := newQueryParams(c.QueryParams(), "status")
	status := c.QueryParam("status")
	if status != "" && !slices.Contains([]string{store.DraftOpen, store.DraftPublished, store.DraftDiscarded}, status) {
		q.bad["status"] = "must be one of: draft, published, discarded"
	}
	if err := q.err(); err != nil {
		return err
	}
	ds, err := s.app.Store.Drafts(c.Request().Context(), status)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewDrafts(ds))
}

func draftID(c echo.Context) (int64, error) { return positiveParam(c, "id", "draft id") }

func (s *Server) updateDraft(c echo.Context) error {
	id, err := draftID(c)
	if err != nil {
		return err
	}
	var patch app.DraftPatch
	if err := s.decodeBody(c, &patch); err != nil {
		return err
	}
	d, err := s.app.UpdateDraft(c.Request().Context(), id, patch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewDraft(d))
}

func (s *Server) publishDraft(c echo.Context) error {
	id, err := draftID(c)
	if err != nil {
		return err
	}
	p, d, err := s.app.PublishDraft(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"draft": viewDraft(d), "post": viewPost(p, callerOf(c))})
}

func (s *Server) discardDraft(c echo.Context) error {
	id, err := draftID(c)
	if err != nil {
		return err
	}
	if _, err := s.app.DiscardDraft(c.Request().Context(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
