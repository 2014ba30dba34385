package domain

import (
	"time"

	"github.com/matchmaker/matchmaker/match"
)

// Digest is a quarter's digest: the host's note and where its recipients
// stand.
type Digest struct {
	Quarter    match.Quarter
	Note       string
	StartedAt  *time.Time     // the last run
	FinishedAt *time.Time     // nil while a run goes on, or after one was cut short
	Counts     map[string]int // recipients by status
	Skipped    map[string]int // skipped recipients by reason
	// Problems are the failed and unknown recipients, the host's to look
	// at (up to maxDigestProblems).
	Problems []DigestRecipient
}

// DigestRecipient is one address's digest for a quarter.
type DigestRecipient struct {
	Quarter   match.Quarter
	Email     string
	Status    string
	Reason    string // why skipped, or the last error
	Matches   []DigestMatch
	Attempts  int
	UpdatedAt time.Time
	SentAt    *time.Time
}

// DigestMatch is one partner in a digest: the member's post it was found
// for, and the partner's post.
type DigestMatch struct {
	Post    int64 `json:"post"`
	Partner int64 `json:"partner"`
}
