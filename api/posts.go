package api

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/match"
)

// postView is a post as the API shows it. Private fields are empty, and so
// left out, unless the caller may see them.
type postView struct {
	ID         int64     `json:"id"`
	Business   string    `json:"business"`
	Email      string    `json:"email,omitempty"`
	Website    string    `json:"website"`
	Offer      string    `json:"offer"`
	Seek       string    `json:"seek"`
	Customers  string    `json:"customers"`
	Industry   string    `json:"industry"`
	Region     string    `json:"region"`
	Tags       []string  `json:"tags"`
	Lane       string    `json:"lane"`
	Quarter    string    `json:"quarter"`
	ExternalID string    `json:"external_id,omitempty"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

func viewPost(p match.Post, who caller) postView {
	v := postView{
		ID: p.ID, Business: p.Business, Website: p.Website, Offer: p.Offer, Seek: p.Seek,
		Customers: p.Customers, Industry: p.Industry, Region: p.Region, Tags: p.Tags,
		Lane: string(p.Lane), Quarter: string(p.Quarter), Status: string(p.Status),
		CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt,
	}
	if v.Tags == nil {
		v.Tags = []string{}
	}
	if who.host {
		v.Email, v.ExternalID = p.Email, p.ExternalID
	} else if who.app().Owns(p) {
		v.Email = p.Email
	}
	return v
}

// postToChange loads the post a write is about, for the host or its owner
// (see app.PostToChange).
func (s *Server) postToChange(c echo.Context) (match.Post, error) {
	id, err := pathID(c)
	if err != nil {
		return match.Post{}, err
	}
	return s.app.PostToChange(c.Request().Context(), callerOf(c).app(), id)
}

// decodeBody reads a JSON request body into v, strictly: see
// intake.DecodeJSON.
func (s *Server) decodeBody(c echo.Context, v any) error {
	body, err := readBody(c)
	if err != nil {
		return err
	}
	return intake.DecodeJSON(body, v)
}

// decodeOptionalBody is decodeBody for a body a caller may leave out: an
// answer's note, or nothing at all (v then stays as it is).
func (s *Server) decodeOptionalBody(c echo.Context, v any) error {
	if c.Request().ContentLength == 0 {
		return nil
	}
	return s.decodeBody(c, v)
}

// readBody reads the request body, which its route's limit caps (see
// limitBody: a larger one is a 413).
func readBody(c echo.Context) ([]byte, error) { return io.ReadAll(c.Request().Body) }

func pathID(c echo.Context) (int64, error) { return positiveParam(c, "id", "post id") }

// positiveParam reads a path parameter that must be a positive integer;
// what names it in the error.
func positiveParam(c echo.Context, name, what string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, match.Invalid("the "+what+" must be a positive whole number", map[string]string{name: "must be a positive whole number"})
	}
	return id, nil
}

func (s *Server) createPost(c echo.Context) error {
	var in match.PostInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	who := callerOf(c)
	p, live, err := s.app.PostFrom(c.Request().Context(), who.app(), in)
	if err != nil {
		return err
	}
	if live {
		c.Response().Header().Set(echo.HeaderLocation, fmt.Sprintf("/api/v1/posts/%d", p.ID))
		return c.JSON(http.StatusCreated, viewPost(p, who))
	}
	return c.JSON(http.StatusAccepted, submittedView{Post: viewPost(p, who),
		Message: "Check your email: your post goes live when you click the link we sent you."})
}

// checkPost validates a post as createPost does, storing nothing: the post
// form asks it when one of its own questions (the lane) is unanswered, so
// that a member sees every mistake in one pass.
func (s *Server) checkPost(c echo.Context) error {
	var in match.PostInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	if err := app.CheckPost(callerOf(c).app(), in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// submittedView answers a post that waits for its owner's confirmation.
type submittedView struct {
	Post    postView `json:"post"`
	Message string   `json:"message"`
}

func (s *Server) getPost(c echo.Context) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	who := callerOf(c)
	p, err := s.app.PostFor(c.Request().Context(), who.app(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewPost(p, who))
}

func (s *Server) updatePost(c echo.Context) error {
	post, err := s.postToChange(c)
	if err != nil {
		return err
	}
	var patch match.PostPatch
	if err := s.decodeBody(c, &patch); err != nil {
		return err
	}
	if !callerOf(c).host {
		if err := ownerMayPatch(post, patch); err != nil {
			return err
		}
	}
	p, err := s.app.UpdatePost(c.Request().Context(), callerOf(c).app(), post, patch)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewPost(p, callerOf(c)))
}

// ownerMayPatch returns an error for what an owner may not change: the
// address (it is what proves ownership), the import key, and the status
// beyond pausing and resuming their own live post.
func ownerMayPatch(p match.Post, patch match.PostPatch) error {
	fields := map[string]string{}
	if patch.Email != nil && *patch.Email != p.Email {
		fields["email"] = "cannot be changed: post again with the new address"
	}
	if patch.ExternalID != nil {
		fields["external_id"] = "is set by the host"
	}
	if patch.Status != nil && *patch.Status != p.Status {
		switch {
		case p.Status != match.StatusActive && p.Status != match.StatusPaused:
			fields["status"] = "can be changed once the post is confirmed and not hidden by the host"
		case *patch.Status != match.StatusActive && *patch.Status != match.StatusPaused:
			fields["status"] = "must be active or paused"
		}
	}
	if len(fields) > 0 {
		return match.Invalid("some fields cannot be changed", fields)
	}
	return nil
}

func (s *Server) deletePost(c echo.Context) error {
	post, err := s.postToChange(c)
	if err != nil {
		return err
	}
	if err := s.app.DeletePost(c.Request().Context(), callerOf(c).app(), post); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type postPage struct {
	Posts      []postView `json:"posts"`
	NextCursor string     `json:"next_cursor,omitempty"`
}

// Paging bounds for lists.
const (
	defaultLimit = 20
	maxLimit     = 100
)

func (s *Server) listPosts(c echo.Context) error {
	who := callerOf(c)
	p, err := parseSearch(c.QueryParams())
	if err != nil {
		return err
	}
	page, err := s.app.SearchPosts(c.Request().Context(), who.app(), p)
	if err != nil {
		return err
	}
	out := postPage{Posts: make([]postView, len(page.Posts)), NextCursor: page.NextCursor}
	for i, post := range page.Posts {
		out.Posts[i] = viewPost(post, who)
	}
	return c.JSON(http.StatusOK, out)
}

// parseSearch reads and checks the query parameters of a post search.
// Unknown parameters are refused so that a typo does not silently widen a
// search.
func parseSearch(values url.Values) (app.SearchParams, error) {
	q := newQueryParams(values, "q", "lane", "quarter", "industry", "region", "near", "within_km", "status", "limit", "cursor")
	p := app.SearchParams{
		Text: values.Get("q"), Lane: q.lane(), Quarter: q.quarter(), Industry: values.Get("industry"),
		Region: values.Get("region"), Near: values.Get("near"), Cursor: values.Get("cursor"), Limit: q.limit(defaultLimit, maxLimit),
	}
	if v := values.Get("within_km"); v != "" {
		km, err := strconv.ParseFloat(v, 64)
		if err != nil || km < 1 || km > 1000 || p.Near == "" {
			q.bad["within_km"] = "must be from 1 to 1000, with near"
		}
		p.WithinKm = km
	}
	if utf8.RuneCountInString(p.Text) > 500 {
		q.bad["q"] = "must be at most 500 characters"
	}
	for name, v := range map[string]string{"industry": p.Industry, "region": p.Region, "near": p.Near} {
		if utf8.RuneCountInString(v) > 120 {
			q.bad[name] = "must be at most 120 characters"
		}
	}
	if st := match.Status(values.Get("status")); st != "" {
		if !st.Valid() {
			q.bad["status"] = "must be one of: pending, active, paused, hidden"
		}
		p.Statuses = []match.Status{st}
	}
	return p, q.err()
}
