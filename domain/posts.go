package domain

import "github.com/matchmaker/matchmaker/match"

// PostFilter selects posts for ListPosts. Zero fields do not filter.
type PostFilter struct {
	Statuses []match.Status
	// Lane keeps posts that accept the lane: "strategic" keeps strategic and
	// either posts; "either" keeps only posts open to both.
	Lane     match.Lane
	Quarter  match.Quarter
	Industry string // exact match, ignoring case (Unicode)
	Region   string // exact match, ignoring case (Unicode)
	BeforeID int64  // keyset paging: only posts with a smaller ID
	Limit    int
}

// ImportCounts says what an import did.
type ImportCounts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}
