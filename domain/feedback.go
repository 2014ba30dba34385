package domain

import (
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// Feedback is an answer about a match, as stored (see migration 0010).
type Feedback struct {
	ID int64
	match.Feedback
	Source    string // where it was given: matches, round, digest or follow_up
	ByHost    bool   // the host answered for the post's owner
	Quarter   match.Quarter
	Note      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// The places an answer comes from.
const (
	FeedbackFromMatches  = "matches"
	FeedbackFromRound    = "round"
	FeedbackFromDigest   = "digest"
	FeedbackFromFollowUp = "follow_up"
)

// FeedbackPage is one page of answers, newest first.
type FeedbackPage struct {
	Items []Feedback
	Total int
}

// Learning is what the matcher learns from: every answer, and the learned
// relations the host told it to forget.
type Learning struct {
	Answers   []match.Feedback
	Forgotten map[match.LearnedKey]bool
}
