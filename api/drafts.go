package api

import (
	"mime"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/intake/thread"
	"github.com/matchmaker/matchmaker/match"
)

type draftView struct {
	ID        int64                    `json:"id"`
	IntakeID  int64                    `json:"intake_id,omitempty"`
	Status    string                   `json:"status"`
	Name      string                   `json:"name"`
	Business  string                   `json:"business"`
	Email     string                   `json:"email"`
	Website   string                   `json:"website"`
	Offer     string                   `json:"offer"`
	Seek      string                   `json:"seek"`
	Customers string                   `json:"customers"`
	Lane      string                   `json:"lane"`
	Area      string                   `json:"area"`
	Origins   map[string]thread.Origin `json:"origins"`
	// Uncertainty is how much the host should check: lists put the
	// highest first.
	Uncertainty int       `json:"uncertainty"`
	Source      string    `json:"source"`
	Problems    []string  `json:"problems"`
	PostID      int64     `json:"post_id,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func viewDraft(d domain.Draft) draftView {
	if d.Problems == nil {
		d.Problems = []string{}
	}
	if d.Origins == nil {
		d.Origins = map[string]thread.Origin{}
	}
	return draftView{ID: d.ID, IntakeID: d.IntakeID, Status: d.Status, Name: d.Name, Business: d.Business, Email: d.Email,
		Website: d.Website, Offer: d.Offer, Seek: d.Seek, Customers: d.Customers, Lane: d.Lane, Area: d.Area, Origins: d.Origins,
		Uncertainty: d.Uncertainty, Source: d.Source, Problems: d.Problems, PostID: d.PostID, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
}

// skippedView is an item of a paste that is not a draft of its own.
type skippedView struct {
	ID       int64  `json:"id"`
	IntakeID int64  `json:"intake_id"`
	Name     string `json:"name"`
	Reason   string `json:"reason"`
	Text     string `json:"text"`
	IntoID   int64  `json:"into_draft_id,omitempty"` // the draft a follow-up or duplicate went into
}

type intakeView struct {
	ID        int64           `json:"id"`
	Format    string          `json:"format"`
	Notice    string          `json:"notice,omitempty"`
	Host      string          `json:"host,omitempty"`
	Columns   []thread.Column `json:"columns"`
	Bytes     int             `json:"bytes"`
	CreatedAt time.Time       `json:"created_at"`
}

func viewIntake(in domain.Intake) intakeView {
	cols := in.Columns
	if cols == nil {
		cols = []thread.Column{}
	}
	return intakeView{ID: in.ID, Format: in.Format, Notice: in.Notice, Host: in.Host, Columns: cols, Bytes: len(in.Body), CreatedAt: in.CreatedAt}
}

// draftList is what the drafts endpoints answer: drafts and the items
// still skipped, with why.
type draftList struct {
	Intake  *intakeView   `json:"intake,omitempty"`
	Drafts  []draftView   `json:"drafts"`
	Skipped []skippedView `json:"skipped"`
}

func viewDraftList(in *domain.Intake, ds []domain.Draft, ss []domain.Skipped) draftList {
	out := draftList{Drafts: make([]draftView, len(ds)), Skipped: make([]skippedView, len(ss))}
	if in != nil {
		v := viewIntake(*in)
		out.Intake = &v
	}
	for i, d := range ds {
		out.Drafts[i] = viewDraft(d)
	}
	for i, s := range ss {
		out.Skipped[i] = skippedView{ID: s.ID, IntakeID: s.IntakeID, Name: s.Name, Reason: s.Reason, Text: s.Text, IntoID: s.IntoID}
	}
	return out
}

// answerIntake answers with a paste as read, or the error.
func answerIntake(c echo.Context, status int, r app.IntakeResult, err error) error {
	if err != nil {
		return err
	}
	return c.JSON(status, viewDraftList(&r.Intake, r.Drafts, r.Skipped))
}

// pasteFormats are the media types a paste may come as, and the format
// each one fixes ("" to detect it from the text).
var pasteFormats = map[string]thread.Format{
	"text/plain": "", "": "", "application/json": "",
	"text/csv": thread.CSV, "text/tab-separated-values": thread.TSV,
}

// createDrafts reads a paste (a comment thread, e-mail chain or chat as
// text/plain, a Slack or Discord export as application/json, a form's
// spreadsheet as text/csv or text/tab-separated-values) into drafts.
func (s *Server) createDrafts(c echo.Context) error {
	mediaType, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	format, ok := pasteFormats[mediaType]
	if !ok {
		return match.Invalid("send the paste as text/plain, a chat export as application/json, or a spreadsheet as text/csv or text/tab-separated-values", nil)
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	r, err := s.app.ReadPaste(c.Request().Context(), string(body), format)
	return answerIntake(c, http.StatusCreated, r, err)
}

// listDrafts lists drafts, open ones first and the most uncertain first
// (sort=oldest: in the order they were read), with the items still
// skipped.
func (s *Server) listDrafts(c echo.Context) error {
	q := newQueryParams(c.QueryParams(), "status", "intake", "sort")
	f := domain.DraftFilter{Status: c.QueryParam("status")}
	if f.Status != "" && !slices.Contains([]string{domain.DraftOpen, domain.DraftPublished, domain.DraftDiscarded}, f.Status) {
		q.bad["status"] = "must be one of: draft, published, discarded"
	}
	if v := c.QueryParam("intake"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			q.bad["intake"] = "must be a positive whole number"
		}
		f.IntakeID = id
	}
	switch c.QueryParam("sort") {
	case "", "uncertain":
	case "oldest":
		f.Oldest = true
	default:
		q.bad["sort"] = "must be one of: uncertain, oldest"
	}
	if err := q.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	ds, err := s.app.Drafts(ctx, f)
	if err != nil {
		return err
	}
	ss, err := s.app.SkippedItems(ctx, f.IntakeID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewDraftList(nil, ds, ss))
}

func draftID(c echo.Context) (int64, error) { return positiveParam(c, "id", "draft id") }

func intakeID(c echo.Context) (int64, error) { return positiveParam(c, "id", "intake id") }

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

func (s *Server) listIntakes(c echo.Context) error {
	ins, err := s.app.Intakes(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]intakeView, len(ins))
	for i, in := range ins {
		out[i] = viewIntake(in)
	}
	return c.JSON(http.StatusOK, map[string][]intakeView{"intakes": out})
}

func (s *Server) getIntake(c echo.Context) error {
	id, err := intakeID(c)
	if err != nil {
		return err
	}
	r, err := s.app.Intake(c.Request().Context(), id)
	return answerIntake(c, http.StatusOK, r, err)
}

// setColumns reads a spreadsheet again with the host's column mapping.
func (s *Server) setColumns(c echo.Context) error {
	id, err := intakeID(c)
	if err != nil {
		return err
	}
	var body struct {
		Columns map[string]string `json:"columns" validate:"required"`
	}
	if err := s.decodeBody(c, &body); err != nil {
		return err
	}
	if body.Columns == nil {
		return match.Invalid("name the columns to map", map[string]string{"columns": "is required"})
	}
	r, err := s.app.ReadColumnsAgain(c.Request().Context(), id, body.Columns)
	return answerIntake(c, http.StatusOK, r, err)
}

func (s *Server) dismissSkipped(c echo.Context) error {
	id, err := intakeID(c)
	if err != nil {
		return err
	}
	n, err := s.app.DismissSkipped(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int64{"dismissed": n})
}

// deleteIntake forgets a paste and what is left of it.
func (s *Server) deleteIntake(c echo.Context) error {
	id, err := intakeID(c)
	if err != nil {
		return err
	}
	if err := s.app.DeleteIntake(c.Request().Context(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// draftFromSkipped turns a skipped item into a draft.
func (s *Server) draftFromSkipped(c echo.Context) error {
	id, err := positiveParam(c, "id", "skipped item id")
	if err != nil {
		return err
	}
	d, err := s.app.DraftFromSkipped(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewDraft(d))
}

// commentFields is what a member's pasted comment fills in on the post
// form.
type commentFields struct {
	Business  string                   `json:"business"`
	Email     string                   `json:"email"`
	Website   string                   `json:"website"`
	Offer     string                   `json:"offer"`
	Seek      string                   `json:"seek"`
	Customers string                   `json:"customers"`
	Lane      string                   `json:"lane"`
	Region    string                   `json:"region"`
	Origins   map[string]thread.Origin `json:"origins"`
	Problems  []string                 `json:"problems"`
}

// readComment reads a member's own comment into post-form fields;
// nothing is stored.
func (s *Server) readComment(c echo.Context) error {
	var body struct {
		Text string `json:"text"`
	}
	if err := s.decodeBody(c, &body); err != nil {
		return err
	}
	d, err := app.ReadComment(body.Text)
	if err != nil {
		return err
	}
	origins := d.Origins
	if o, ok := origins[thread.FieldArea]; ok {
		origins[fieldRegion] = o
		delete(origins, thread.FieldArea)
	}
	return c.JSON(http.StatusOK, commentFields{Business: d.Business, Email: d.Email, Website: d.Website, Offer: d.Offer,
		Seek: d.Seek, Customers: d.Customers, Lane: d.Lane, Region: d.Area, Origins: origins, Problems: d.Problems})
}

// fieldRegion is the post form's name for a draft's area.
const fieldRegion = "region"
