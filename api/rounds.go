package api

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

type roundView struct {
	Quarter   match.Quarter  `json:"quarter"`
	PerPost   int            `json:"per_post"`
	Counts    map[string]int `json:"counts"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
}

func viewRound(r store.Round) roundView {
	return roundView{Quarter: r.Quarter, PerPost: r.PerPost, Counts: r.Counts, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// suggestionSide is one post of a suggestion, as the host sees it.
type suggestionSide struct {
	Post    postView `json:"post"`
	Reasons []string `json:"reasons"` // written to this post's owner
}

type suggestionView struct {
	ID        int64          `json:"id"`
	Quarter   match.Quarter  `json:"quarter"`
	Score     float64        `json:"score"`
	Scores    match.Scores   `json:"scores"` // seen from a
	A         suggestionSide `json:"a"`
	B         suggestionSide `json:"b"`
	Status    string         `json:"status"`
	Source    string         `json:"source"`
	Note      string         `json:"note"`
	CreatedAt time.Time      `json:"created_at"`
	UpdatedAt time.Time      `json:"updated_at"`
}

// viewSuggestions joins suggestions with their posts.
func (s *Server) viewSuggestions(ctx context.Context, who caller, list []store.Suggestion) ([]suggestionView, error) {
	var ids []int64
	for _, sg := range list {
		ids = append(ids, sg.PostA, sg.PostB)
	}
	posts, err := s.app.Store.PostsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]suggestionView, len(list))
	for i, sg := range list {
		out[i] = suggestionView{ID: sg.ID, Quarter: sg.Quarter, Score: app.RoundScore(sg.Score), Scores: sg.Scores,
			A:      suggestionSide{Post: viewPost(posts[sg.PostA], who), Reasons: sg.ReasonsA},
			B:      suggestionSide{Post: viewPost(posts[sg.PostB], who), Reasons: sg.ReasonsB},
			Status: sg.Status, Source: sg.Source, Note: sg.Note, CreatedAt: sg.CreatedAt, UpdatedAt: sg.UpdatedAt}
	}
	return out, nil
}

type runRoundRequest struct {
	Quarter match.Quarter `json:"quarter"`
	PerPost *int          `json:"per_post"`
}

// defaultPerPost is how many suggestions a post gets in a round by default.
const defaultPerPost = 3

func (s *Server) runRound(c echo.Context) error {
	var req runRoundRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	perPost := defaultPerPost
	if req.PerPost != nil {
		perPost = *req.PerPost
	}
	r, err := s.app.RunRound(c.Request().Context(), req.Quarter, perPost)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewRound(r))
}

func (s *Server) listRounds(c echo.Context) error {
	rounds, err := s.app.Store.Rounds(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]roundView, len(rounds))
	for i, r := range rounds {
		out[i] = viewRound(r)
	}
	return c.JSON(http.StatusOK, map[string][]roundView{"rounds": out})
}

func pathQuarter(c echo.Context) (match.Quarter, error) {
	q, err := match.ParseQuarter(c.Param("quarter"))
	if err != nil {
		return "", match.Invalid("the quarter in the path is not valid", map[string]string{"quarter": "must be a quarter like 2026-Q3"})
	}
	return q, nil
}

func (s *Server) getRound(c echo.Context) error {
	q, err := pathQuarter(c)
	if err != nil {
		return err
	}
	r, err := s.app.Store.Round(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewRound(r))
}

var suggestionStatuses = []string{store.SuggestionProposed, store.SuggestionApproved, store.SuggestionRejected, store.SuggestionIntroduced}

func (s *Server) listSuggestions(c echo.Context) error {
	q, err := pathQuarter(c)
	if err != nil {
		return err
	}
	params := newQueryParams(c.QueryParams(), "status")
	status := c.QueryParam("status")
	if status != "" && !slices.Contains(suggestionStatuses, status) {
		params.bad["status"] = "must be one of: proposed, approved, rejected, introduced"
	}
	if err := params.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.app.Store.Round(ctx, q); err != nil {
		return err
	}
	list, err := s.app.Store.Suggestions(ctx, q, status)
	if err != nil {
		return err
	}
	out, err := s.viewSuggestions(ctx, callerOf(c), list)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string][]suggestionView{"suggestions": out})
}

type updateSuggestionRequest struct {
	Status *string `json:"status"`
	Note   *string `json:"note"`
}

// suggestionPath reads the round's quarter and the suggestion's ID from
// the path.
func suggestionPath(c echo.Context) (match.Quarter, int64, error) {
	q, err := pathQuarter(c)
	if err != nil {
		return "", 0, err
	}
	id, err := positiveParam(c, "id", "suggestion id")
	return q, id, err
}

// maxNote bounds the host's personal note on a suggestion.
const maxNote = 2000

func checkNote(note *string, fields map[string]string) {
	if note != nil && (len([]rune(*note)) > maxNote || !match.IsCleanText(*note)) {
		fields["note"] = "must be plain text of at most 2000 characters"
	}
}

func (s *Server) updateSuggestion(c echo.Context) error {
	q, id, err := suggestionPath(c)
	if err != nil {
		return err
	}
	var req updateSuggestionRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	fields := map[string]string{}
	// The host curates: approve or reject, or take a decision back. An
	// introduction is a step of its own, not a status to set.
	if req.Status != nil && !slices.Contains([]string{store.SuggestionProposed, store.SuggestionApproved, store.SuggestionRejected}, *req.Status) {
		fields["status"] = "must be one of: proposed, approved, rejected"
	}
	checkNote(req.Note, fields)
	if len(fields) > 0 {
		return match.Invalid("some fields are not valid", fields)
	}
	ctx := c.Request().Context()
	sg, err := s.app.Store.UpdateSuggestion(ctx, q, id, req.Status, req.Note)
	if err != nil {
		return err
	}
	out, err := s.viewSuggestions(ctx, callerOf(c), []store.Suggestion{sg})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out[0])
}

type addSuggestionRequest struct {
	PostA int64   `json:"post_a"`
	PostB int64   `json:"post_b"`
	Note  *string `json:"note"`
}

type swapRequest struct {
	Keep    int64   `json:"keep"`    // the post of the suggestion that stays
	Partner int64   `json:"partner"` // its new partner
	Note    *string `json:"note"`
}

func (s *Server) addSuggestion(c echo.Context) error {
	q, err := pathQuarter(c)
	if err != nil {
		return err
	}
	var req addSuggestionRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	return s.pair(c, q, req.PostA, req.PostB, req.Note, 0)
}

// swapSuggestion replaces one side of a suggestion: the old pair is
// rejected and the new one added, approved, in one transaction.
func (s *Server) swapSuggestion(c echo.Context) error {
	q, id, err := suggestionPath(c)
	if err != nil {
		return err
	}
	var req swapRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	old, err := s.app.Store.Suggestion(c.Request().Context(), q, id)
	if err != nil {
		return err
	}
	if req.Keep != old.PostA && req.Keep != old.PostB {
		return match.Invalid("keep must be one of the suggestion's posts", map[string]string{"keep": "is not in this suggestion"})
	}
	return s.pair(c, q, req.Keep, req.Partner, req.Note, id)
}

func (s *Server) pair(c echo.Context, q match.Quarter, a, b int64, note *string, replace int64) error {
	fields := map[string]string{}
	if a <= 0 {
		fields["post_a"] = "must be a post id"
	}
	if b <= 0 {
		fields["post_b"] = "must be a post id"
	}
	checkNote(note, fields)
	if len(fields) > 0 {
		return match.Invalid("some fields are not valid", fields)
	}
	text := ""
	if note != nil {
		text = *note
	}
	ctx := c.Request().Context()
	sg, err := s.app.AddSuggestion(ctx, q, a, b, text, replace)
	if err != nil {
		return err
	}
	out, err := s.viewSuggestions(ctx, callerOf(c), []store.Suggestion{sg})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out[0])
}
