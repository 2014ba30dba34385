package domain

import "time"

// Introduction is a double opt-in between two posts' owners.
type Introduction struct {
	ID           int64
	SuggestionID int64
	PostA, PostB int64
	AnswerA      string // "", accepted or declined
	AnswerB      string
	Status       string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	UpdatedAt    time.Time
}

// RoundFigures are how a round's introductions went.
type RoundFigures struct {
	Introductions int `json:"introductions"`
	// Invitations counts the members asked (two per introduction) and
	// Accepted those who said yes; Mutual the introductions both accepted.
	Invitations int      `json:"invitations"`
	Accepted    int      `json:"accepted"`
	Declined    int      `json:"declined"`
	Mutual      int      `json:"mutual"`
	Expired     int      `json:"expired"`
	Feedback    int      `json:"feedback"` // follow-up answers
	Met         int      `json:"met"`
	RatingAvg   *float64 `json:"average_rating"` // over those who met and rated; null when none
}

// Introduction statuses and answers.
const (
	IntroPending  = "pending"
	IntroAccepted = "accepted"
	IntroDeclined = "declined"
	IntroExpired  = "expired"
)

// Side returns "a" or "b" for the post, "" if it is in neither side.
func (in Introduction) Side(postID int64) string {
	switch postID {
	case in.PostA:
		return "a"
	case in.PostB:
		return "b"
	}
	return ""
}
