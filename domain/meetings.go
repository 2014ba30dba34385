package domain

import (
	"context"
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// Meeting is the one meeting two members plan after an accepted
// introduction: one side offers a few times, the other picks one, and both
// get the same calendar event (one UID). Moving it (new times, or a new
// pick) updates that event with a higher Sequence; cancelling ends it.
type Meeting struct {
	IntroductionID int64
	UID            string // the calendar event's, stable while the event lives
	Status         string // proposed, scheduled or cancelled
	ProposedBy     string // the side ("a" or "b") that offered Slots
	TimeZone       string // the proposer's IANA zone when they offered them
	Slots          []Slot
	// Event is the time calendars hold, since the first pick: it stays
	// while new times are offered, until one of them is picked.
	Event *Slot
	// Sequence is the event's SEQUENCE (RFC 5545): 0 for the first
	// invitation, one more for each change sent after it.
	Sequence int
	// Revision counts every change: a write names the revision it read,
	// so that two changes made at once cannot both pass.
	Revision  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Slot is one time offered: a start and a length.
type Slot struct {
	ID      string // random, per offer: a pick names it
	Start   time.Time
	Minutes int
}

// End is when the slot ends.
func (s Slot) End() time.Time { return s.Start.Add(time.Duration(s.Minutes) * time.Minute) }

// Meeting statuses; MeetingNone is an introduction with no meeting yet.
const (
	MeetingNone      = "none"
	MeetingProposed  = "proposed"
	MeetingScheduled = "scheduled"
	MeetingCancelled = "cancelled"
)

// Limits on the times one may offer.
const (
	MaxSlots       = 5
	MinSlotMinutes = 15
	MaxSlotMinutes = 8 * 60
	MaxSlotAhead   = 366 * 24 * time.Hour
)

// Offer returns the meeting after side offered slots in zone. Offering
// while a meeting is planned is moving it: the event (if a time was
// picked) stands until the other side picks a new one. After a
// cancellation, or the first time, the times start a new event, uid.
func (m Meeting) Offer(side, zone string, slots []Slot, uid string) Meeting {
	if m.Status == "" || m.Status == MeetingNone || m.Status == MeetingCancelled {
		m.UID, m.Sequence, m.Event = uid, 0, nil
	}
	m.Status, m.ProposedBy, m.TimeZone, m.Slots = MeetingProposed, side, zone, slots
	return m
}

// Pick returns the meeting after side picked the slot: scheduled, the
// event moved there (one more Sequence when an invitation went out
// before). It returns ECONFLICT when side offered the times itself or
// nothing is on offer, EINVALID for a slot not offered.
func (m Meeting) Pick(side, slotID string) (Meeting, error) {
	switch {
	case m.Status != MeetingProposed && m.Status != MeetingScheduled:
		return m, match.Errorf(match.ECONFLICT, "no times are on offer: offer some first")
	case side == m.ProposedBy:
		return m, match.Errorf(match.ECONFLICT, "you offered these times: the other side picks one")
	}
	for _, s := range m.Slots {
		if s.ID != slotID {
			continue
		}
		if m.Event != nil && m.Event.ID == s.ID && m.Status == MeetingScheduled {
			return m, match.Errorf(match.ECONFLICT, "the meeting is at that time already")
		}
		if m.Event != nil {
			m.Sequence++
		}
		m.Status, m.Event = MeetingScheduled, &s
		return m, nil
	}
	return m, match.Invalid("some fields are not valid", map[string]string{"slot": "is not one of the times on offer"})
}

// Cancel returns the meeting cancelled: the offered times are withdrawn
// and the event, if any, is cancelled (one more Sequence). It returns
// ECONFLICT when there is nothing to cancel.
func (m Meeting) Cancel() (Meeting, error) {
	if m.Status != MeetingProposed && m.Status != MeetingScheduled {
		return m, match.Errorf(match.ECONFLICT, "there is no meeting to cancel")
	}
	if m.Event != nil {
		m.Sequence++
	}
	m.Status = MeetingCancelled
	return m, nil
}

// MeetingStore keeps meetings and the members' time zones (part of Store).
type MeetingStore interface {
	// Meeting returns an introduction's meeting, or ENOTFOUND when none
	// was planned.
	Meeting(ctx context.Context, introductionID int64) (Meeting, error)
	// SaveMeeting stores m (its slots too) if its stored revision is still
	// m.Revision (0: there is none yet), as revision m.Revision+1, and
	// returns it. It returns ECONFLICT when the meeting changed meanwhile,
	// or the introduction is not accepted.
	SaveMeeting(ctx context.Context, m Meeting) (Meeting, error)
	// TimeZone returns the IANA zone an address chose, "" if none.
	TimeZone(ctx context.Context, email string) (string, error)
	// SetTimeZone records the zone of a member's address. It returns
	// ENOTFOUND for an address that is no member's.
	SetTimeZone(ctx context.Context, email, zone string) error
}
