package partner

import (
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// Lane is the kind of a partnership. Unlike a post's lane there is no
// "either": a partnership is in exactly one lane at a time.
type Lane string

const (
	LaneStrategic Lane = "strategic"
	LaneReferral  Lane = "referral"
)

// Valid reports whether l is one of the two lanes.
func (l Lane) Valid() bool { return l == LaneStrategic || l == LaneReferral }

// Status is where a partnership stands.
type Status string

const (
	Active Status = "active"
	Paused Status = "paused"
	Ended  Status = "ended" // for good: a new partnership starts afresh
)

// CanBecome reports whether a partnership may move from s to to.
func (s Status) CanBecome(to Status) bool {
	switch s {
	case Active:
		return to == Paused || to == Ended
	case Paused:
		return to == Active || to == Ended
	}
	return false
}

// Side is one of the two businesses of a partnership.
type Side string

const (
	A Side = "a"
	B Side = "b"
)

// Other returns the other side.
func (s Side) Other() Side {
	if s == A {
		return B
	}
	return A
}

// Actor is who did something: a side, or the community host.
type Actor string

const Host Actor = "host"

// Owner is who owns a goal or deliverable: a side or both.
type Owner string

const Both Owner = "both"

// Party is one side's business, as it was when the partnership began.
type Party struct {
	PostID   int64 // 0 once the post is deleted
	Email    string
	Business string
}

// Partnership is two businesses working together in one lane.
type Partnership struct {
	ID             int64
	Lane           Lane
	Status         Status
	StartedOn      string // YYYY-MM-DD
	EndedOn        string // "" while not ended
	IntroductionID int64  // 0 when the host created it directly
	A, B           Party
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// SideOf returns the side whose address is email, or "" for neither.
func (p Partnership) SideOf(email string) Side {
	switch email {
	case p.A.Email:
		return A
	case p.B.Email:
		return B
	}
	return ""
}

// Party returns a side's business.
func (p Partnership) Party(s Side) Party {
	if s == B {
		return p.B
	}
	return p.A
}

// EventKind is what an event of a partnership's history records.
type EventKind string

const (
	EventCreated EventKind = "created"
	EventStatus  EventKind = "status"
	EventLane    EventKind = "lane"
	EventTerms   EventKind = "terms"
)

// Event is one step of a partnership's history; events are never edited.
type Event struct {
	ID     int64
	At     time.Time
	Actor  Actor
	Kind   EventKind
	From   string
	To     string
	Reason string
}

// HeldLane reports whether a partnership with this history has ever been
// in lane: its records in a lane it left stay readable.
func HeldLane(current Lane, history []Event, lane Lane) bool {
	if current == lane {
		return true
	}
	for _, e := range history {
		if (e.Kind == EventLane && (e.From == string(lane) || e.To == string(lane))) || (e.Kind == EventCreated && e.To == string(lane)) {
			return true
		}
	}
	return false
}

// RequireLane returns an ECONFLICT error naming the partnership's lane when
// it is not lane: goals, deliverables and reviews belong to strategic
// partnerships, terms, referrals and commissions to referral ones.
func (p Partnership) RequireLane(lane Lane) error {
	if p.Lane == lane {
		return nil
	}
	return match.Errorf(match.ECONFLICT, "%s belong to %s partnerships; this partnership is in the %s lane (change its lane first if that is what you both want)", recordsOf[lane], lane, p.Lane)
}

// recordsOf names each lane's records, for the error of a record in the
// wrong lane.
var recordsOf = map[Lane]string{
	LaneStrategic: "goals, deliverables, expectations and reviews",
	LaneReferral:  "terms, referrals and commissions",
}

// RequireOpen returns an ECONFLICT error when new work cannot start: an
// ended partnership takes no new goals, referrals or terms (it can still
// settle what it owes), a paused one takes none until it resumes.
func (p Partnership) RequireOpen() error {
	switch p.Status {
	case Ended:
		return match.Errorf(match.ECONFLICT, "this partnership ended on %s; start a new one to work together again", p.EndedOn)
	case Paused:
		return match.Errorf(match.ECONFLICT, "this partnership is paused; resume it first")
	}
	return nil
}

// LaneFor returns the lane a partnership between two posts starts in: the
// one lane both accept. When both posts accept either lane it starts as a
// referral partnership, the lighter commitment: moving to the strategic
// lane later is one recorded step, while starting strategic would commit
// both to quarterly plans neither asked for. It returns ECONFLICT when the
// posts share no lane.
func LaneFor(a, b match.Lane) (Lane, error) {
	want := LaneReferral
	if a == match.LaneStrategic || b == match.LaneStrategic {
		want = LaneStrategic
	}
	if !Accepts(a, want) || !Accepts(b, want) {
		return "", match.Errorf(match.ECONFLICT, "one side wants a %s partnership and the other a %s one", a, b)
	}
	return want, nil
}

// Accepts reports whether a post's lane admits a partnership in lane l.
func Accepts(post match.Lane, l Lane) bool { return post.Accepts(match.Lane(l)) }

// Today formats t as a date, the way partnerships keep dates.
func Today(t time.Time) string { return t.UTC().Format(DateLayout) }

// DateLayout is how dates (not instants) are written: 2026-11-24.
const DateLayout = "2006-01-02"

// QuarterOfDate returns the quarter of a YYYY-MM-DD date.
func QuarterOfDate(date string) match.Quarter {
	t, err := time.Parse(DateLayout, date)
	if err != nil {
		return ""
	}
	return match.QuarterOf(t)
}
