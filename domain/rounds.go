package domain

import (
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// Round is one quarter's matchmaking.
type Round struct {
	ID        int64
	Quarter   match.Quarter
	PerPost   int
	CreatedAt time.Time
	UpdatedAt time.Time
	Counts    map[string]int // suggestions by status
}

// Suggestion is a pair of posts put forward in a round.
type Suggestion struct {
	ID        int64
	Quarter   match.Quarter
	PostA     int64 // PostA < PostB
	PostB     int64
	Score     float64
	Scores    match.Scores // seen from PostA
	ReasonsA  []string     // written to PostA's owner
	ReasonsB  []string     // written to PostB's owner
	Status    string
	Source    string
	Note      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Suggestion statuses and sources.
const (
	SuggestionProposed   = "proposed"
	SuggestionApproved   = "approved"
	SuggestionRejected   = "rejected"
	SuggestionIntroduced = "introduced"
	SourceEngine         = "engine"
	SourceHost           = "host"
)

// RoundJob is the latest computation of a quarter's round.
type RoundJob struct {
	Quarter    match.Quarter
	PerPost    int
	Status     string
	Error      string // why it failed
	Total      int    // posts to match
	StartedAt  time.Time
	FinishedAt time.Time // zero while running
}

// Round job statuses.
const (
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)
