package domain

import "time"

// A KeyedWrite is a write sent with an Idempotency-Key: the same key from
// the same caller means the same write, sent again.
type KeyedWrite struct {
	Scope       string // the caller: "host" or "member:<email>"
	Key         string // the client's key
	Fingerprint string // the request (method, path, body), hashed
}

// StoredAnswer is the answer a keyed write got, given again to its repeats.
type StoredAnswer struct {
	Status      int
	ContentType string
	Body        []byte
}

// Claim is what became of a keyed write's claim: either the caller runs
// the write (Run) or a repeat gets Answer.
type Claim struct {
	Run    bool
	Answer StoredAnswer
}

// How long keys are kept, and how long a first request may run before a
// repeat takes its place (it died with the process).
const (
	IdempotencyKeptFor = 24 * time.Hour
	IdempotencyRunsFor = 5 * time.Minute
)
