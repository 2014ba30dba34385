package domain

import "github.com/matchmaker/matchmaker/partner"

// PartnershipFilter narrows a list of partnerships; zero values match all.
type PartnershipFilter struct {
	Email  string // one of the two sides
	Lane   partner.Lane
	Status partner.Status
}
