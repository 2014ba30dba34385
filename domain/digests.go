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

// DigestExclusions are what makes a partner not new to a member.
type DigestExclusions struct {
	// Pairs are never suggested again (ExcludedPairs): smaller ID first.
	Pairs map[[2]int64]bool
	// Answered are (post, partner) pairs the post's owner said yes or no
	// to already.
	Answered map[[2]int64]bool
	// Shown are, by address, the partners shown in the digests of other
	// quarters (including those whose sending ended unknown).
	Shown map[string]map[int64]bool
	// Unsubscribed addresses get no digest.
	Unsubscribed map[string]bool
}

// DigestMailKind is a digest's kind in the outbox.
const DigestMailKind = "digest"

// PlannedRecipient is one address in a run's plan: to send to (Skip "") or
// to skip, and why.
type PlannedRecipient struct {
	Email string
	Skip  string
}

// Where a recipient's digest stands. A recipient moves pending -> sending
// (its digest queued in the outbox, in the same transaction) -> sent, or
// failed when the outbox gives up on the email (or the host cancels it),
// following the email. Unknown is from before digests went through the
// outbox: sending found at the start of a run without an email in the
// outbox was left by a process that died mid-send; nobody knows whether
// it went out, so it is not sent again unless the host says so
// (StartDigestRun's resendUnknown).
const (
	DigestPending = "pending"
	DigestSending = "sending"
	DigestSent    = "sent"
	DigestFailed  = "failed"
	DigestUnknown = "unknown"
	DigestSkipped = "skipped"
)

// Why a recipient gets no digest.
const (
	SkipUnsubscribed = "unsubscribed"
	SkipNoNewMatches = "no_new_matches"
	// SkipNoActivePost: planned in an earlier run, but no longer has an
	// active post in the quarter.
	SkipNoActivePost = "no_active_post"
)
