package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

type roundView struct {
	Quarter   match.Quarter  `json:"quarter"`
	PerPost   int            `json:"per_post"`
	Counts    map[string]int `json:"counts"`
	CreatedAt *time.Time     `json:"created_at"` // null until first computed
	UpdatedAt *time.Time     `json:"updated_at"`
	Job       *roundJobView  `json:"job"` // its latest computation; null for rounds from before jobs
}

// roundJobView is a round's latest computation as the host follows it.
type roundJobView struct {
	Status     string     `json:"status"` // running, done or failed
	Error      string     `json:"error,omitempty"`
	Phase      string     `json:"phase,omitempty"` // while running: matching, explaining, saving
	Done       int        `json:"done"`            // of total, in the phase
	Total      int        `json:"total"`           // posts while matching, suggestions after
	Posts      int        `json:"posts"`           // active posts in the round
	ETASeconds *int       `json:"eta_seconds"`     // the phase's time left, estimated; null when unknown
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

func viewRound(r domain.Round) roundView {
	return roundView{Quarter: r.Quarter, PerPost: r.PerPost, Counts: r.Counts, CreatedAt: &r.CreatedAt, UpdatedAt: &r.UpdatedAt}
}

func viewRoundJob(j app.RoundJob) *roundJobView {
	v := &roundJobView{Status: j.Status, Error: j.Error, Phase: j.Phase, Done: j.Done, Total: j.PhaseTotal, Posts: j.Total, StartedAt: j.StartedAt}
	if j.Status != domain.JobRunning {
		v.Done, v.Total = j.Total, j.Total
		v.FinishedAt = &j.FinishedAt
	}
	if j.Left > 0 {
		eta := int(j.Left.Seconds())
		v.ETASeconds = &eta
	}
	return v
}

// roundWithJob is a quarter's round as stored, with its latest job: a
// round whose first computation runs, or failed, has only its job.
func (s *Server) roundWithJob(ctx context.Context, q match.Quarter) (roundView, error) {
	job, err := s.app.RoundJob(ctx, q)
	hasJob := err == nil
	if err != nil && !errors.Is(err, match.ErrNotFound) {
		return roundView{}, err
	}
	r, err := s.app.Round(ctx, q)
	switch {
	case errors.Is(err, match.ErrNotFound) && hasJob:
		return jobOnlyView(job), nil
	case err != nil:
		return roundView{}, err
	}
	v := viewRound(r)
	if hasJob {
		v.Job = viewRoundJob(job)
	}
	return v, nil
}

// jobOnlyView is a round not stored yet: its first computation runs, or
// failed.
func jobOnlyView(job app.RoundJob) roundView {
	return roundView{Quarter: job.Quarter, PerPost: job.PerPost, Counts: map[string]int{}, Job: viewRoundJob(job)}
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
func (s *Server) viewSuggestions(ctx context.Context, who caller, list []domain.Suggestion) ([]suggestionView, error) {
	var ids []int64
	for _, sg := range list {
		ids = append(ids, sg.PostA, sg.PostB)
	}
	posts, err := s.app.PostsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	return viewSuggestionsWith(who, list, posts), nil
}

// viewSuggestionsWith joins suggestions with their posts, read already.
func viewSuggestionsWith(who caller, list []domain.Suggestion, posts map[int64]match.Post) []suggestionView {
	out := make([]suggestionView, len(list))
	for i, sg := range list {
		out[i] = suggestionView{ID: sg.ID, Quarter: sg.Quarter, Score: app.RoundScore(sg.Score), Scores: sg.Scores,
			A:      suggestionSide{Post: viewPost(posts[sg.PostA], who), Reasons: sg.ReasonsA},
			B:      suggestionSide{Post: viewPost(posts[sg.PostB], who), Reasons: sg.ReasonsB},
			Status: sg.Status, Source: sg.Source, Note: sg.Note, CreatedAt: sg.CreatedAt, UpdatedAt: sg.UpdatedAt}
	}
	return out
}

type runRoundRequest struct {
	Quarter match.Quarter `json:"quarter"`
	PerPost *int          `json:"per_post"`
}

// defaultPerPost is how many suggestions a post gets in a round by default.
const defaultPerPost = 3

// runRound starts computing a round and answers 202 with it: the
// computation takes minutes in a large community, and the host's page
// follows its progress with GET /api/v1/rounds/{quarter}.
func (s *Server) runRound(c echo.Context) error {
	var req runRoundRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	perPost := defaultPerPost
	if req.PerPost != nil {
		perPost = *req.PerPost
	}
	ctx := c.Request().Context()
	if _, err := s.app.StartRound(ctx, req.Quarter, perPost); err != nil {
		return err
	}
	v, err := s.roundWithJob(ctx, req.Quarter)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/rounds/"+string(req.Quarter))
	return c.JSON(http.StatusAccepted, v)
}

// listRounds lists the stored rounds, each with its latest job, and the
// round being computed, if any (a quarter's first round is stored only
// once computed).
func (s *Server) listRounds(c echo.Context) error {
	ctx := c.Request().Context()
	rounds, err := s.app.Rounds(ctx)
	if err != nil {
		return err
	}
	jobs, err := s.app.RoundJobs(ctx)
	if err != nil {
		return err
	}
	out := struct {
		Rounds  []roundView `json:"rounds"`
		Running *roundView  `json:"running"`
	}{Rounds: make([]roundView, len(rounds))}
	for i, r := range rounds {
		out.Rounds[i] = viewRound(r)
		if job, ok := jobs[r.Quarter]; ok {
			out.Rounds[i].Job = viewRoundJob(job)
		}
	}
	for _, job := range jobs {
		if job.Status != domain.JobRunning {
			continue
		}
		running := jobOnlyView(job)
		if i := slices.IndexFunc(rounds, func(r domain.Round) bool { return r.Quarter == job.Quarter }); i >= 0 {
			running = out.Rounds[i]
		}
		out.Running = &running
	}
	return c.JSON(http.StatusOK, out)
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
	v, err := s.roundWithJob(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

var suggestionStatuses = []string{domain.SuggestionProposed, domain.SuggestionApproved, domain.SuggestionRejected, domain.SuggestionIntroduced}

func (s *Server) listSuggestions(c echo.Context) error {
	q, err := pathQuarter(c)
	if err != nil {
		return err
	}
	params := newQueryParams(c.QueryParams(), "status", "q", "lane", "region", "industry", "min_score", "rivals", "sort", "limit", "offset")
	f := app.SuggestionFilter{Status: c.QueryParam("status"), Text: c.QueryParam("q"), Lane: match.Lane(c.QueryParam("lane")),
		Region: c.QueryParam("region"), Industry: c.QueryParam("industry"), Rivals: c.QueryParam("rivals"), Sort: c.QueryParam("sort")}
	if f.Rivals != "" && f.Rivals != app.RivalsOnly && f.Rivals != app.RivalsHidden {
		params.bad["rivals"] = "must be one of: only, hide"
	}
	if f.Sort != "" && f.Sort != app.SortStrongest && f.Sort != app.SortWeakest && f.Sort != app.SortNewest {
		params.bad["sort"] = "must be one of: strongest, weakest, newest"
	}
	if f.Status != "" && !slices.Contains(suggestionStatuses, f.Status) {
		params.bad["status"] = "must be one of: proposed, approved, rejected, introduced"
	}
	if f.Lane != "" && f.Lane != match.LaneStrategic && f.Lane != match.LaneReferral {
		params.bad["lane"] = "must be one of: strategic, referral"
	}
	for name, v := range map[string]string{"q": f.Text, "region": f.Region, "industry": f.Industry} {
		if utf8.RuneCountInString(v) > 200 || !match.IsCleanText(v) {
			params.bad[name] = "must be plain text of at most 200 characters"
		}
	}
	if v := c.QueryParam("min_score"); v != "" {
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || n < 0 || n > 1 || math.IsNaN(n) {
			params.bad["min_score"] = "must be a number from 0 to 1"
		}
		f.MinScore = n
	}
	// A page of the pairs found, when asked for: limit and offset.
	limit, offset := params.limit(-1, maxSuggestionPage), params.offset()
	if err := params.err(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.app.Round(ctx, q); err != nil {
		return err
	}
	list, posts, err := s.app.FilterSuggestions(ctx, q, f)
	if err != nil {
		return err
	}
	total := len(list)
	list = list[min(offset, total):]
	if limit >= 0 {
		list = list[:min(limit, len(list))]
	}
	return c.JSON(http.StatusOK, suggestionPage{Suggestions: viewSuggestionsWith(callerOf(c), list, posts), Total: total})
}

// maxSuggestionPage is the largest page of a round's pairs asked for by
// limit; without it every pair found comes (the host's page holds a
// round's pairs to count and act on them all).
const maxSuggestionPage = 1000

type suggestionPage struct {
	Suggestions []suggestionView `json:"suggestions"`
	Total       int              `json:"total"` // pairs found, on every page
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
	if req.Status != nil && !slices.Contains([]string{domain.SuggestionProposed, domain.SuggestionApproved, domain.SuggestionRejected}, *req.Status) {
		fields["status"] = "must be one of: proposed, approved, rejected"
	}
	checkNote(req.Note, fields)
	if len(fields) > 0 {
		return match.Invalid("some fields are not valid", fields)
	}
	ctx := c.Request().Context()
	sg, err := s.app.UpdateSuggestion(ctx, q, id, req.Status, req.Note)
	if err != nil {
		return err
	}
	out, err := s.viewSuggestions(ctx, callerOf(c), []domain.Suggestion{sg})
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
	old, err := s.app.Suggestion(c.Request().Context(), q, id)
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
	out, err := s.viewSuggestions(ctx, callerOf(c), []domain.Suggestion{sg})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out[0])
}
