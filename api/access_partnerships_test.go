package api

import "testing"

// accessPartnershipRows are the access table's rows for partnerships.
func accessPartnershipRows() []accessRow {
	return nil
}

// setUpPartnerships adds the partnership fixtures to an access world.
func (w *accessWorld) setUpPartnerships(t *testing.T, needs accessNeeds) {
	t.Helper()
}
