package api

import "testing"

// accessDigestRows are the access table's rows for digests.
func accessDigestRows() []accessRow {
	return nil
}

// setUpDigests adds the digest fixtures to an access world.
func (w *accessWorld) setUpDigests(t *testing.T, needs accessNeeds) {
	t.Helper()
}
