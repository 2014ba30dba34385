package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// feedbackRoutes are the routes of answers about matches and of what the
// matcher learned from them.
func (s *Server) feedbackRoutes() []route {
	return []route{
		{http.MethodPost, "/api/v1/posts/:id/matches/:other/feedback", signedIn, s.recordFeedback, unlimited},
		{http.MethodGet, "/api/v1/feedback", hostOnly, s.listFeedback, unlimited},
		{http.MethodDelete, "/api/v1/feedback/:id", hostOnly, s.undoFeedback, unlimited},
		{http.MethodGet, "/api/v1/learned", hostOnly, s.listLearned, unlimited},
		{http.MethodPut, "/api/v1/learned/forgotten", hostOnly, s.forgetLearned, unlimited},
	}
}

type feedbackRequest struct {
	Verdict match.Verdict `json:"verdict"`
	Reason  match.Reason  `json:"reason"`
	Note    string        `json:"note"`
	// Source says where the member answered: matches (the default),
	// round, digest or follow_up.
	Source string `json:"source"`
}

type feedbackView struct {
	ID        int64         `json:"id"`
	PostID    int64         `json:"post_id"`
	OtherID   int64         `json:"other_id"`
	Verdict   match.Verdict `json:"verdict"`
	Reason    match.Reason  `json:"reason"`
	Source    string        `json:"source"`
	ByHost    bool          `json:"by_host"`
	Quarter   match.Quarter `json:"quarter"`
	Note      string        `json:"note"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
	// The two businesses, in the host's list.
	Business      string `json:"business,omitempty"`
	OtherBusiness string `json:"other_business,omitempty"`
}

func viewFeedback(f domain.Feedback) feedbackView {
	return feedbackView{ID: f.ID, PostID: f.Post, OtherID: f.Other, Verdict: f.Verdict, Reason: f.Reason, Source: f.Source,
		ByHost: f.ByHost, Quarter: f.Quarter, Note: f.Note, CreatedAt: f.CreatedAt, UpdatedAt: f.UpdatedAt}
}

// recordFeedback records what a post's owner (or the host for them) says
// of a match: a good fit, or not a fit and why. The matcher learns from it
// at once.
func (s *Server) recordFeedback(c echo.Context) error {
	post, err := s.postToChange(c)
	if err != nil {
		return err
	}
	other, err := positiveParam(c, "other", "partner's post id")
	if err != nil {
		return err
	}
	var req feedbackRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	f, err := s.app.RecordFeedback(c.Request().Context(), post, other, app.FeedbackInput{
		Verdict: req.Verdict, Reason: req.Reason, Note: req.Note, Source: req.Source, ByHost: callerOf(c).host,
	})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewFeedback(f))
}

type feedbackList struct {
	Items []feedbackView `json:"items"`
	Total int            `json:"total"`
}

// listFeedback lists the answers, newest first: all, or about one post.
func (s *Server) listFeedback(c echo.Context) error {
	q := newQueryParams(c.QueryParams(), "post", "limit", "offset")
	limit := q.limit(50, 500)
	offset := q.offset()
	var post int64
	if v := c.QueryParam("post"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			q.bad["post"] = "must be a positive whole number"
		}
		post = n
	}
	if err := q.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	page, err := s.app.ListFeedback(ctx, post, limit, offset)
	if err != nil {
		return err
	}
	var ids []int64
	for _, f := range page.Items {
		ids = append(ids, f.Post, f.Other)
	}
	posts, err := s.app.PostsByID(ctx, ids)
	if err != nil {
		return err
	}
	out := feedbackList{Items: make([]feedbackView, len(page.Items)), Total: page.Total}
	for i, f := range page.Items {
		out.Items[i] = viewFeedback(f)
		out.Items[i].Business, out.Items[i].OtherBusiness = posts[f.Post].Business, posts[f.Other].Business
	}
	return c.JSON(http.StatusOK, out)
}

// undoFeedback takes an answer back: the pair may be suggested again, and
// the matcher unlearns what it taught.
func (s *Server) undoFeedback(c echo.Context) error {
	id, err := positiveParam(c, "id", "answer id")
	if err != nil {
		return err
	}
	f, err := s.app.UndoFeedback(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewFeedback(f))
}

type learnedList struct {
	Relations []match.Learned `json:"relations"`
}

// listLearned shows the host what the matcher learned from the answers.
func (s *Server) listLearned(c echo.Context) error {
	if err := newQueryParams(c.QueryParams()).err(); err != nil {
		return err
	}
	rs := s.app.Learned()
	if rs == nil {
		rs = []match.Learned{}
	}
	return c.JSON(http.StatusOK, learnedList{Relations: rs})
}

type forgetRequest struct {
	Kind      string `json:"kind"`
	A         string `json:"a"`
	B         string `json:"b"`
	Forgotten *bool  `json:"forgotten"`
}

// forgetLearned tells the matcher to forget a relation it learned, or to
// count it again.
func (s *Server) forgetLearned(c echo.Context) error {
	var req forgetRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	if req.Forgotten == nil {
		return match.Invalid("some fields are not valid", map[string]string{"forgotten": "is required: true to forget, false to count it again"})
	}
	if err := s.app.Forget(c.Request().Context(), match.LearnedKey{Kind: req.Kind, A: req.A, B: req.B}, *req.Forgotten); err != nil {
		return err
	}
	return s.listLearned(c)
}
