package domain

import (
	"time"

	"github.com/matchmaker/matchmaker/intake/thread"
)

// Draft is a post waiting for the host's review.
type Draft struct {
	ID        int64
	IntakeID  int64 // the paste it was read from; 0 for none
	Status    string
	Name      string
	Business  string
	Email     string
	Website   string
	Offer     string
	Seek      string
	Customers string
	Lane      string
	Area      string
	Source    string
	Problems  []string
	Origins   map[string]thread.Origin
	// Uncertainty orders the host's list: the most uncertain first.
	Uncertainty int
	PostID      int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// DraftFilter chooses the drafts a list shows.
type DraftFilter struct {
	Status   string // "" for every status
	IntakeID int64  // 0 for every paste
	// Oldest lists in the order they were read; otherwise open drafts
	// come first, the most uncertain first.
	Oldest bool
}

// Draft statuses.
const (
	DraftOpen      = "draft"
	DraftPublished = "published"
	DraftDiscarded = "discarded"
)

// Intake is one paste the host read into drafts.
type Intake struct {
	ID        int64
	Format    string
	Notice    string
	Host      string
	Columns   []thread.Column
	Body      string // the paste as sent
	CreatedAt time.Time
}

// Skipped is an item of a paste that is not a draft of its own.
type Skipped struct {
	ID       int64
	IntakeID int64
	Name     string
	Reason   string
	Text     string
	IntoID   int64 // the draft a follow-up or duplicate went into; 0 for none
	DraftID  int64 // the draft the host made of it; 0 while it stays skipped
}

// IntakeRead is what one reading of a paste produced, before it is stored.
type IntakeRead struct {
	Intake  Intake
	Drafts  []Draft
	Skipped []Skipped // IntoID indexes Drafts (from 0), -1 for none
}
