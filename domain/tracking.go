package domain

import (
	"time"

	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/partner"
)

// A Link is a referring side's tracking link: /r/{Code} redirects to
// LandingURL with mm_ref={Code} (and mm_days, the attribution window the
// seller's page keeps it for).
type Link struct {
	ID              int64
	Code            string
	PartnershipID   int64
	Referrer        partner.Side
	LandingURL      string
	AttributionDays int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Conversion statuses: a sign-up, a sale, a sale refunded.
const (
	ConversionLead     = "lead"
	ConversionWon      = "won"
	ConversionRefunded = "refunded"
)

// A Conversion is a referral reported by the seller's systems.
type Conversion struct {
	ID            int64
	PartnershipID int64
	LinkID        int64 // 0 when reported by partnership, not by link
	ExternalID    string
	ReferralID    int64
	Status        string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// NewConversion is a conversion as reported: to record on a partnership,
// its referral's lead and, once won, its sale.
type NewConversion struct {
	PartnershipID int64
	LinkID        int64
	Referrer      partner.Side
	ExternalID    string
	Status        string
	LeadName      string
	Company       string
	Sale          *partner.Money
}

// ConversionResult is what recording a conversion did: the conversion and
// its referral as they are now, the ledger entries it added, and whether
// anything changed (a conversion sent again changes nothing).
type ConversionResult struct {
	Conversion Conversion
	Referral   partner.Referral
	Entries    []partner.Entry
	Changed    bool
	Created    bool // the conversion is new: this report recorded it
}

// LinkQuarter is a link's figures for one quarter: clicks (visitors a
// day), sign-ups, sales won, and the commission they earned, net of
// refunds, by currency.
type LinkQuarter struct {
	Quarter    match.Quarter
	Clicks     int
	Leads      int
	Won        int
	Commission map[string]int64
}
