package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// The strategic lane: each quarter's shared goals, deliverables,
// expectations and reviews.

type goalView struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Metric    string    `json:"metric"`
	Target    float64   `json:"target"`
	Unit      string    `json:"unit"`
	Direction string    `json:"direction"`
	Owner     string    `json:"owner"`
	Actual    *float64  `json:"actual"`
	Met       bool      `json:"met"`
	UpdatedAt time.Time `json:"updated_at"`
}

func viewGoal(g partner.Goal) goalView {
	return goalView{ID: g.ID, Title: g.Title, Metric: g.Metric, Target: g.Target, Unit: g.Unit, Direction: string(g.Direction),
		Owner: string(g.Owner), Actual: g.Actual, Met: g.Met(), UpdatedAt: g.UpdatedAt}
}

type deliverableView struct {
	ID     int64  `json:"id"`
	What   string `json:"what"`
	Owner  string `json:"owner"`
	DueOn  string `json:"due_on"`
	Done   bool   `json:"done"`
	DoneOn string `json:"done_on,omitempty"`
}

func viewDeliverable(d partner.Deliverable) deliverableView {
	return deliverableView{ID: d.ID, What: d.What, Owner: string(d.Owner), DueOn: d.DueOn, Done: d.DoneOn != "", DoneOn: d.DoneOn}
}

type expectationView struct {
	ID       int64      `json:"id"`
	Side     string     `json:"side"`
	Text     string     `json:"text"`
	Signed   bool       `json:"signed"`
	SignedAt *time.Time `json:"signed_at,omitempty"`
}

func viewExpectation(e partner.Expectation) expectationView {
	v := expectationView{ID: e.ID, Side: string(e.Side), Text: e.Text, Signed: !e.SignedAt.IsZero()}
	if v.Signed {
		v.SignedAt = &e.SignedAt
	}
	return v
}

type reviewView struct {
	Side        string    `json:"side"`
	Rating      int       `json:"rating"`
	Delivered   string    `json:"delivered"`
	Notes       string    `json:"notes"`
	SubmittedAt time.Time `json:"submitted_at"`
}

func viewReview(r partner.Review) reviewView {
	return reviewView{Side: string(r.Side), Rating: r.Rating, Delivered: r.Delivered, Notes: r.Notes, SubmittedAt: r.SubmittedAt}
}

// planEditView is one step of the plan's history.
type planEditView struct {
	ID      int64            `json:"id"`
	Item    string           `json:"item"`
	ItemID  int64            `json:"item_id"`
	Title   string           `json:"title"`
	Action  string           `json:"action"`
	Changes []partner.Change `json:"changes"`
	Actor   string           `json:"actor"`
	At      time.Time        `json:"at"`
}

func viewPlanEdit(e partner.PlanEdit) planEditView {
	changes := e.Changes
	if changes == nil {
		changes = []partner.Change{}
	}
	return planEditView{ID: e.ID, Item: string(e.Item), ItemID: e.ItemID, Title: e.Title, Action: string(e.Action), Changes: changes, Actor: string(e.Actor), At: e.At}
}

type quarterView struct {
	Quarter      match.Quarter     `json:"quarter"`
	Goals        []goalView        `json:"goals"`
	Deliverables []deliverableView `json:"deliverables"`
	Expectations []expectationView `json:"expectations"`
	Reviews      []reviewView      `json:"reviews"`
	Returns      partner.Returns   `json:"returns"`
	// History is every change to the quarter's goals and deliverables,
	// oldest first, for both sides to read.
	History []planEditView `json:"history"`
}

func viewQuarter(q app.QuarterView) quarterView {
	v := quarterView{Quarter: q.Quarter, Goals: []goalView{}, Deliverables: []deliverableView{}, Expectations: []expectationView{}, Reviews: []reviewView{},
		Returns: q.Returns, History: []planEditView{}}
	for _, e := range q.History {
		v.History = append(v.History, viewPlanEdit(e))
	}
	for _, g := range q.Goals {
		v.Goals = append(v.Goals, viewGoal(g))
	}
	for _, d := range q.Deliverables {
		v.Deliverables = append(v.Deliverables, viewDeliverable(d))
	}
	for _, e := range q.Expectations {
		v.Expectations = append(v.Expectations, viewExpectation(e))
	}
	for _, r := range q.Reviews {
		v.Reviews = append(v.Reviews, viewReview(r))
	}
	return v
}

func (s *Server) listQuarters(c echo.Context) error {
	id, err := partnershipID(c)
	if err != nil {
		return err
	}
	list, err := s.app.Quarters(c.Request().Context(), callerOf(c).app(), id, "")
	if err != nil {
		return err
	}
	out := make([]quarterView, len(list))
	for i, q := range list {
		out[i] = viewQuarter(q)
	}
	return c.JSON(http.StatusOK, map[string][]quarterView{"quarters": out})
}

// quarterPath reads the partnership's ID and the quarter from the path.
func quarterPath(c echo.Context) (int64, match.Quarter, error) {
	id, err := partnershipID(c)
	if err != nil {
		return 0, "", err
	}
	q, err := pathQuarter(c)
	return id, q, err
}

// itemPath reads the partnership, the quarter and an item's ID.
func itemPath(c echo.Context, what string) (int64, match.Quarter, int64, error) {
	id, q, err := quarterPath(c)
	if err != nil {
		return 0, "", 0, err
	}
	item, err := positiveParam(c, "item", what+" id")
	return id, q, item, err
}

func (s *Server) getQuarter(c echo.Context) error {
	id, q, err := quarterPath(c)
	if err != nil {
		return err
	}
	list, err := s.app.Quarters(c.Request().Context(), callerOf(c).app(), id, q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewQuarter(list[0]))
}

func (s *Server) addGoal(c echo.Context) error {
	id, q, err := quarterPath(c)
	if err != nil {
		return err
	}
	var in partner.GoalInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	g, err := s.app.AddGoal(c.Request().Context(), callerOf(c).app(), id, q, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewGoal(g))
}

func (s *Server) updateGoal(c echo.Context) error {
	id, q, item, err := itemPath(c, "goal")
	if err != nil {
		return err
	}
	var in partner.GoalPatch
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	g, err := s.app.UpdateGoal(c.Request().Context(), callerOf(c).app(), id, q, item, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewGoal(g))
}

func (s *Server) deleteGoal(c echo.Context) error {
	id, q, item, err := itemPath(c, "goal")
	if err != nil {
		return err
	}
	if err := s.app.DeleteGoal(c.Request().Context(), callerOf(c).app(), id, q, item); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) addDeliverable(c echo.Context) error {
	id, q, err := quarterPath(c)
	if err != nil {
		return err
	}
	var in partner.DeliverableInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	d, err := s.app.AddDeliverable(c.Request().Context(), callerOf(c).app(), id, q, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewDeliverable(d))
}

func (s *Server) updateDeliverable(c echo.Context) error {
	id, q, item, err := itemPath(c, "deliverable")
	if err != nil {
		return err
	}
	var in partner.DeliverablePatch
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	d, err := s.app.UpdateDeliverable(c.Request().Context(), callerOf(c).app(), id, q, item, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewDeliverable(d))
}

func (s *Server) deleteDeliverable(c echo.Context) error {
	id, q, item, err := itemPath(c, "deliverable")
	if err != nil {
		return err
	}
	if err := s.app.DeleteDeliverable(c.Request().Context(), callerOf(c).app(), id, q, item); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) addExpectation(c echo.Context) error {
	id, q, err := quarterPath(c)
	if err != nil {
		return err
	}
	var in partner.ExpectationInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	e, err := s.app.AddExpectation(c.Request().Context(), callerOf(c).app(), id, q, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewExpectation(e))
}

func (s *Server) signExpectation(c echo.Context) error {
	id, q, item, err := itemPath(c, "expectation")
	if err != nil {
		return err
	}
	e, err := s.app.SignExpectation(c.Request().Context(), callerOf(c).app(), id, q, item)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewExpectation(e))
}

func (s *Server) saveReview(c echo.Context) error {
	id, q, err := quarterPath(c)
	if err != nil {
		return err
	}
	var in partner.ReviewInput
	if err := s.decodeBody(c, &in); err != nil {
		return err
	}
	r, err := s.app.SaveReview(c.Request().Context(), callerOf(c).app(), id, q, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewReview(r))
}

// The referral lane.
