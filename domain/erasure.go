package domain

// Erasure is what erasing a member removed (GDPR Art. 17).
type Erasure struct {
	Posts         int64 `json:"posts"`          // deleted, with their matches and introductions
	Member        int64 `json:"member"`         // 1 when they had signed in, with sessions and tokens
	Emails        int64 `json:"emails"`         // emails to them, sent or owed, deleted
	Partnerships  int64 `json:"partnerships"`   // kept for the other side, the address replaced
	Offers        int64 `json:"offers"`         // the same for partnership offers
	TextsScrubbed int64 `json:"texts_scrubbed"` // other values that held the address, now "[erased]"
	LogEmptied    bool  `json:"log_emptied"`    // the database's write-ahead log truncated at once
}
