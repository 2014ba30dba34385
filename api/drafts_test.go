package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestDraftsFromACommentThread(t *testing.T) {
	ts := newTestServer(t)
	thread := "Jane Doe\nFounder at Bright Ledger\nWe build Shopify stores for skincare brands — looking for a bookkeeper who gets ecommerce. jane@brightledger.example\nLike · Reply · 2d\n\n" +
		"Tomás Ruiz · 2nd\nOwner | Ruiz Plumbing\nLooking for a property manager who needs reliable plumbers. We fix leaks and install boilers across Leeds.\n"
	create := func(w who, ct, body string) response {
		return ts.request(t, http.MethodPost, "/api/v1/drafts", w, strings.NewReader(body), map[string]string{"Content-Type": ct})
	}
	wantStatus(t, create(anonymous, "text/plain", thread), http.StatusUnauthorized)
	wantStatus(t, create(host, "text/plain", "   "), http.StatusBadRequest)
	wantStatus(t, create(host, "application/pdf", thread), http.StatusBadRequest)
	r := create(host, "text/plain; charset=utf-8", thread)
	wantStatus(t, r, http.StatusCreated)
	drafts := decode[map[string][]draftView](t, r)["drafts"]
	if len(drafts) != 2 || drafts[0].Business != "Bright Ledger" || drafts[1].Email != "" {
		t.Fatalf("drafts: %+v", drafts)
	}
	if !strings.Contains(strings.Join(drafts[1].Problems, " "), "no email") {
		t.Errorf("the draft without an address is not marked: %v", drafts[1].Problems)
	}
	path := func(id int64) string { return fmt.Sprintf("/api/v1/drafts/%d", id) }

	// A draft without an address cannot be published until corrected.
	r = ts.do(t, http.MethodPost, path(drafts[1].ID)+"/publish", host, "")
	wantStatus(t, r, http.StatusBadRequest)
	if f := decode[errorEnvelope](t, r).Error.Fields; f["email"] == "" {
		t.Errorf("publishing without an email: fields %v", f)
	}
	r = ts.do(t, http.MethodPatch, path(drafts[1].ID), host, `{"email":"tomas@ruizplumbing.example"}`)
	wantStatus(t, r, http.StatusOK)
	if got := decode[draftView](t, r); len(got.Problems) != 0 {
		t.Errorf("after adding the address, problems %v", got.Problems)
	}
	r = ts.do(t, http.MethodPost, path(drafts[1].ID)+"/publish", host, "")
	wantStatus(t, r, http.StatusCreated)
	published := decode[struct {
		Draft draftView
		Post  postView
	}](t, r)
	if published.Post.Status != "active" || published.Draft.Status != "published" || published.Draft.PostID != published.Post.ID {
		t.Errorf("published: %+v", published)
	}
	wantStatus(t, ts.do(t, http.MethodPost, path(drafts[1].ID)+"/publish", host, ""), http.StatusConflict)
	if ids := ts.searchIDs(t, anonymous, "q", "plumbers"); len(ids) != 1 || ids[0] != published.Post.ID {
		t.Errorf("the published post is not searchable: %v", ids)
	}

	// Discarding, and listing by status.
	wantStatus(t, ts.do(t, http.MethodDelete, path(drafts[0].ID), host, ""), http.StatusNoContent)
	wantStatus(t, ts.do(t, http.MethodPatch, path(drafts[0].ID), host, `{"business":"x"}`), http.StatusConflict)
	open := decode[map[string][]draftView](t, ts.do(t, http.MethodGet, "/api/v1/drafts?status=draft", host, ""))["drafts"]
	if len(open) != 0 {
		t.Errorf("open drafts left: %+v", open)
	}
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/drafts?status=lost", host, ""), http.StatusBadRequest)

	// A spreadsheet of replies.
	csvBody := "name,email,comment\nAna Silva,ana@lisbonbooks.example,Bookkeeping for cafés in Lisbon - looking for a POS provider who serves cafés\n"
	r = create(host, "text/csv", csvBody)
	wantStatus(t, r, http.StatusCreated)
	rows := decode[map[string][]draftView](t, r)["drafts"]
	if len(rows) != 1 || rows[0].Email != "ana@lisbonbooks.example" || rows[0].Seek != "a POS provider who serves cafés" {
		t.Errorf("from CSV: %+v", rows)
	}
	wantStatus(t, create(host, "text/csv", "colour\nred\n"), http.StatusBadRequest)
}
