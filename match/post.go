package match

import (
	"slices"
	"time"
)

// Lane is the kind of partnership a post asks for. The two lanes are kept
// apart everywhere: a referral partnership (money for introductions) is not
// a strategic one (shared goals and work). Either means the business is open
// to both.
type Lane string

const (
	LaneStrategic Lane = "strategic"
	LaneReferral  Lane = "referral"
	LaneEither    Lane = "either"
)

// Valid reports whether l is one of the known lanes.
func (l Lane) Valid() bool {
	return l == LaneStrategic || l == LaneReferral || l == LaneEither
}

// Accepts reports whether a post in lane l can be considered for lane want:
// either accepts both lanes, and each lane accepts itself.
func (l Lane) Accepts(want Lane) bool {
	return l == want || l == LaneEither || want == LaneEither
}

// Status is where a post stands. Only active posts are searched by members
// and matched.
type Status string

const (
	StatusPending Status = "pending" // submitted, waiting for email confirmation
	StatusActive  Status = "active"
	StatusPaused  Status = "paused" // the owner stepped back for now
	StatusHidden  Status = "hidden" // the host took it out of view
)

// Statuses lists every status a post can have.
var Statuses = []Status{StatusPending, StatusActive, StatusPaused, StatusHidden}

// Valid reports whether s is one of the known statuses.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Post is one business's collaboration request: what they do (Offer), who
// they are looking for (Seek) and who their customers are.
//
// Email is private: only the host, and later the owner, may see it.
type Post struct {
	ID         int64
	Business   string
	Email      string
	Website    string
	Offer      string
	Seek       string
	Customers  string
	Industry   string
	Region     string
	Tags       []string
	Lane       Lane
	Quarter    Quarter
	ExternalID string
	Status     Status
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// PostChange records that a post was written or deleted, in commit order.
// The search index replays changes to stay in line with the database.
type PostChange struct {
	Seq    int64
	PostID int64
	Post   *Post // the post as it is now; nil when it was deleted
}
