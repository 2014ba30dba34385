package domain

import "time"

// Member is a person who proved they own an email address.
type Member struct {
	ID        int64
	Email     string
	CreatedAt time.Time
}
