package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
)

// meetingRoutes are the meeting two members plan after an accepted
// introduction (see app/meetings.go): its members and the host read it,
// only the members change it, anyone else gets 404.
func (s *Server) meetingRoutes() []route {
	return []route{
		{http.MethodGet, "/api/v1/introductions/:id/meeting", signedIn, s.getMeeting, unlimited},
		{http.MethodGet, "/api/v1/introductions/:id/meeting.ics", signedIn, s.meetingCalendar, unlimited},
		{http.MethodPost, "/api/v1/introductions/:id/meeting/times", signedIn, s.offerMeetingTimes, unlimited},
		{http.MethodPost, "/api/v1/introductions/:id/meeting/pick", signedIn, s.pickMeetingTime, unlimited},
		{http.MethodPost, "/api/v1/introductions/:id/meeting/cancel", signedIn, s.cancelMeeting, unlimited},
		{http.MethodPut, "/api/v1/me/time-zone", memberOnly, s.setMyTimeZone, unlimited},
	}
}

type slotView struct {
	ID      string    `json:"id"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Minutes int       `json:"minutes"`
	// Local says when, in the reader's time zone: "Thu 10 Dec 2026,
	// 14:00–14:30 (Europe/Lisbon)".
	Local string `json:"local"`
}

type meetingView struct {
	IntroductionID int64  `json:"introduction_id"`
	Status         string `json:"status"` // none, proposed, scheduled or cancelled
	UID            string `json:"uid"`    // the calendar event's; "" before any plan
	// You is the caller's side ("a" or "b"; "" for the host); ProposedBy
	// the side that offered the times; CanPick whether the caller may
	// pick one.
	You        string `json:"you"`
	ProposedBy string `json:"proposed_by"`
	CanPick    bool   `json:"can_pick"`
	// TimeZone is the reader's, in which every Local is written;
	// ProposerTimeZone the zone the times were offered in.
	TimeZone         string     `json:"time_zone"`
	ProposerTimeZone string     `json:"proposer_time_zone"`
	Slots            []slotView `json:"slots"`
	// Event is the time calendars hold (null before the first pick); it
	// stays while new times are on offer.
	Event     *slotView  `json:"event"`
	Sequence  int        `json:"sequence"`
	UpdatedAt *time.Time `json:"updated_at"`
}

func viewMeeting(m app.MeetingView) meetingView {
	slot := func(s domain.Slot) slotView {
		return slotView{ID: s.ID, Start: s.Start, End: s.End(), Minutes: s.Minutes, Local: app.SlotLabel(s, m.Zone)}
	}
	v := meetingView{IntroductionID: m.IntroductionID, Status: m.Status, UID: m.UID, You: m.You, ProposedBy: m.ProposedBy,
		TimeZone: m.Zone.String(), ProposerTimeZone: m.TimeZone, Slots: []slotView{}, Sequence: m.Sequence}
	open := m.Status == domain.MeetingProposed || m.Status == domain.MeetingScheduled
	v.CanPick = open && m.You != "" && m.You != m.ProposedBy
	for _, s := range m.Slots {
		v.Slots = append(v.Slots, slot(s))
	}
	if m.Event != nil {
		e := slot(*m.Event)
		v.Event = &e
	}
	if !m.UpdatedAt.IsZero() {
		v.UpdatedAt = &m.UpdatedAt
	}
	return v
}

// meetingDone answers a meeting call with the meeting, or its error.
func meetingDone(c echo.Context, m app.MeetingView, err error) error {
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewMeeting(m))
}

func (s *Server) getMeeting(c echo.Context) error {
	id, err := introductionID(c)
	if err != nil {
		return err
	}
	m, err := s.app.Meeting(c.Request().Context(), callerOf(c).app(), id)
	return meetingDone(c, m, err)
}

type offerTimesRequest struct {
	// TimeZone is the IANA zone of wall-clock starts; the member's own
	// when left out, else UTC.
	TimeZone string `json:"time_zone"`
	Slots    []struct {
		Start   string `json:"start"`
		Minutes int    `json:"minutes"`
	} `json:"slots"`
}

func (s *Server) offerMeetingTimes(c echo.Context) error {
	id, err := introductionID(c)
	if err != nil {
		return err
	}
	var req offerTimesRequest
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	slots := make([]app.SlotInput, len(req.Slots))
	for i, sl := range req.Slots {
		slots[i] = app.SlotInput{Start: sl.Start, Minutes: sl.Minutes}
	}
	m, err := s.app.OfferMeetingTimes(c.Request().Context(), callerOf(c).app(), id, req.TimeZone, slots)
	return meetingDone(c, m, err)
}

func (s *Server) pickMeetingTime(c echo.Context) error {
	id, err := introductionID(c)
	if err != nil {
		return err
	}
	var req struct {
		Slot string `json:"slot"`
	}
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	m, err := s.app.PickMeetingTime(c.Request().Context(), callerOf(c).app(), id, req.Slot)
	return meetingDone(c, m, err)
}

func (s *Server) cancelMeeting(c echo.Context) error {
	id, err := introductionID(c)
	if err != nil {
		return err
	}
	m, err := s.app.CancelMeeting(c.Request().Context(), callerOf(c).app(), id)
	return meetingDone(c, m, err)
}

// meetingCalendar serves the event as an .ics file to save in a calendar.
func (s *Server) meetingCalendar(c echo.Context) error {
	id, err := introductionID(c)
	if err != nil {
		return err
	}
	ics, err := s.app.MeetingCalendar(c.Request().Context(), callerOf(c).app(), id)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="meeting.ics"`)
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", ics)
}

// setMyTimeZone records the member's IANA time zone: {"time_zone":
// "Europe/Lisbon"}.
func (s *Server) setMyTimeZone(c echo.Context) error {
	var req struct {
		TimeZone string `json:"time_zone"`
	}
	if err := s.decodeBody(c, &req); err != nil {
		return err
	}
	if err := s.app.SetTimeZone(c.Request().Context(), callerOf(c).member.Email, req.TimeZone); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"time_zone": req.TimeZone})
}
