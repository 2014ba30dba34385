package domain

import "time"

// Member is a person who proved they own an email address.
type Member struct {
	ID        int64
	Email     string
	CreatedAt time.Time
	TimeZone  string // the IANA zone they chose, "" if none
}

// APIToken is a member's personal API token, without its secret.
type APIToken struct {
	ID         int64
	Name       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// EmailLink is a one-time link sent to an address.
type EmailLink struct {
	Purpose LinkPurpose
	Email   string
	PostID  int64 // for LinkConfirmPost
}

// LinkPurpose says what a one-time email link does.
type LinkPurpose string

const (
	LinkConfirmPost LinkPurpose = "confirm_post"
	LinkSignIn      LinkPurpose = "sign_in"
)
