package domain

import "github.com/matchmaker/matchmaker/partner"

// PartnershipFilter narrows a list of partnerships; zero values match all.
type PartnershipFilter struct {
	Email  string // one of the two sides
	Lane   partner.Lane
	Status partner.Status
}

// OfferFilter picks partnership offers: an address's own, of one status.
type OfferFilter struct {
	Email  string // one of the two sides
	Status partner.ProposalStatus
}
