package store

import (
	"context"
	"database/sql"
	"errors"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

const meetingColumns = `introduction_id, uid, status, proposed_by, time_zone, COALESCE(event_slot, ''), COALESCE(event_start, ''),
	COALESCE(event_minutes, 0), sequence, revision, created_at, updated_at`

func scanMeeting(row rowScanner) (domain.Meeting, error) {
	var (
		m                             domain.Meeting
		slot, start, created, updated string
		minutes                       int
	)
	err := row.Scan(&m.IntroductionID, &m.UID, &m.Status, &m.ProposedBy, &m.TimeZone, &slot, &start, &minutes,
		&m.Sequence, &m.Revision, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return m, match.Errorf(match.ENOTFOUND, "no meeting is planned for this introduction")
	}
	if err != nil {
		return m, err
	}
	if start != "" {
		t, _ := parseTime(start)
		m.Event = &domain.Slot{ID: slot, Start: t, Minutes: minutes}
	}
	m.CreatedAt, _ = parseTime(created)
	m.UpdatedAt, _ = parseTime(updated)
	return m, nil
}

func scanSlot(row rowScanner) (domain.Slot, error) {
	var (
		s     domain.Slot
		start string
	)
	if err := row.Scan(&s.ID, &start, &s.Minutes); err != nil {
		return s, err
	}
	s.Start, _ = parseTime(start)
	return s, nil
}

// Meeting returns an introduction's meeting with its slots, or ENOTFOUND.
func (db *DB) Meeting(ctx context.Context, introductionID int64) (domain.Meeting, error) {
	return inSnapshot(ctx, db, func(tx *sql.Tx) (domain.Meeting, error) { return meetingIn(ctx, tx, introductionID) })
}

func meetingIn(ctx context.Context, q querier, introductionID int64) (domain.Meeting, error) {
	m, err := scanMeeting(q.QueryRowContext(ctx, "SELECT "+meetingColumns+" FROM meetings WHERE introduction_id = ?", introductionID))
	if err != nil {
		return m, err
	}
	m.Slots, err = queryAll(ctx, q, scanSlot, "SELECT id, starts_at, minutes FROM meeting_slots WHERE introduction_id = ? ORDER BY position", introductionID)
	return m, err
}

// SaveMeeting stores m, with its slots, when the stored revision is still
// m.Revision (0 for a first meeting), in one transaction with the mail
// ctx owes. It returns ECONFLICT when the meeting changed meanwhile or
// the introduction is not accepted (anymore).
func (db *DB) SaveMeeting(ctx context.Context, m domain.Meeting) (domain.Meeting, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.Meeting, error) {
		var status string
		err := tx.QueryRowContext(ctx, "SELECT status FROM introductions WHERE id = ?", m.IntroductionID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return m, match.Errorf(match.ENOTFOUND, "introduction %d not found", m.IntroductionID)
		}
		if err != nil {
			return m, err
		}
		if status != domain.IntroAccepted {
			return m, match.Errorf(match.ECONFLICT, "a meeting is planned once both accepted the introduction; it is %s", status)
		}
		now := formatTime(db.Now())
		var slot, start, minutes any
		if m.Event != nil {
			slot, start, minutes = m.Event.ID, formatTime(m.Event.Start), m.Event.Minutes
		}
		var res sql.Result
		if m.Revision == 0 {
			res, err = tx.ExecContext(ctx, `INSERT INTO meetings (introduction_id, uid, status, proposed_by, time_zone, event_slot, event_start,
				event_minutes, sequence, revision, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING`,
				m.IntroductionID, m.UID, m.Status, m.ProposedBy, m.TimeZone, slot, start, minutes, m.Sequence, now, now)
		} else {
			res, err = tx.ExecContext(ctx, `UPDATE meetings SET uid = ?, status = ?, proposed_by = ?, time_zone = ?, event_slot = ?, event_start = ?,
				event_minutes = ?, sequence = ?, revision = revision + 1, updated_at = ? WHERE introduction_id = ? AND revision = ?`,
				m.UID, m.Status, m.ProposedBy, m.TimeZone, slot, start, minutes, m.Sequence, now, m.IntroductionID, m.Revision)
		}
		if err != nil {
			return m, err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return m, match.Errorf(match.ECONFLICT, "the meeting changed meanwhile: reload it and try again")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM meeting_slots WHERE introduction_id = ?", m.IntroductionID); err != nil {
			return m, err
		}
		for i, s := range m.Slots {
			if _, err := tx.ExecContext(ctx, "INSERT INTO meeting_slots (introduction_id, id, position, starts_at, minutes) VALUES (?, ?, ?, ?, ?)",
				m.IntroductionID, s.ID, i, formatTime(s.Start), s.Minutes); err != nil {
				return m, err
			}
		}
		return meetingIn(ctx, tx, m.IntroductionID)
	})
}

// TimeZone returns the IANA zone a member chose, "" when they chose none
// or the address is no member's.
func (db *DB) TimeZone(ctx context.Context, email string) (string, error) {
	var zone string
	err := db.read.QueryRowContext(ctx, "SELECT time_zone FROM members WHERE email = ?", email).Scan(&zone)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return zone, err
}

// SetTimeZone records a member's IANA zone. It returns ENOTFOUND for an
// address that is no member's.
func (db *DB) SetTimeZone(ctx context.Context, email, zone string) error {
	res, err := db.exec(ctx, "UPDATE members SET time_zone = ? WHERE email = ?", zone, email)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return match.Errorf(match.ENOTFOUND, "no member has this address")
	}
	return nil
}
