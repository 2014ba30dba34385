package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A member downloads everything held about them, then erases their
// account: their post, sign-in and mail go; the partnership stays for the
// other side with a placeholder address; the address appears nowhere in
// the database file, its write-ahead log or the search index afterwards,
// not even where the host pasted it in a thread.
func TestMemberExportsAndErases(t *testing.T) {
	dir := t.TempDir()
	ts := newTestServerOn(t, dir, Config{})
	w := newPartnershipWorldOn(t, ts)
	pid := w.hostPartnership(t, "referral")
	const email = "ana@alpha.example"
	// The host pasted a thread where Ana wrote her address in capitals.
	wantStatus(t, ts.request(t, http.MethodPost, "/api/v1/drafts", host, strings.NewReader(
		"Ana Alvarez\nWe do bookkeeping for dental practices. Write to ANA@ALPHA.EXAMPLE\n\nBo\nFollowing"),
		map[string]string{"Content-Type": "text/plain"}), http.StatusCreated)

	// The export: a file with every table that concerns her, no secrets.
	r := w.a.api(t, http.MethodGet, "/api/v1/me/export", "")
	wantStatus(t, r, http.StatusOK)
	if cd := r.Header.Get("Content-Disposition"); !strings.Contains(cd, `attachment; filename="matchmaker-data-`) {
		t.Errorf("the export is not a file to save: %q", cd)
	}
	var ex struct {
		Email  string                      `json:"email"`
		Tables map[string][]map[string]any `json:"tables"`
	}
	if err := json.Unmarshal(r.Body, &ex); err != nil {
		t.Fatal(err)
	}
	if ex.Email != email || len(ex.Tables["posts"]) != 1 || len(ex.Tables["partnerships"]) != 1 || len(ex.Tables["members"]) != 1 ||
		len(ex.Tables["sessions"]) == 0 || len(ex.Tables["outbox"]) == 0 {
		t.Errorf("the export holds %d posts, %d partnerships, %d members, %d sessions, %d emails; want 1, 1, 1, some, some",
			len(ex.Tables["posts"]), len(ex.Tables["partnerships"]), len(ex.Tables["members"]), len(ex.Tables["sessions"]), len(ex.Tables["outbox"]))
	}
	if bytes.Contains(r.Body, []byte("token_hash")) || bytes.Contains(r.Body, []byte(`"message"`)) || bytes.Contains(r.Body, []byte("bo@bravo.example")) || bytes.Contains(r.Body, []byte("cy@charlie.example")) || bytes.Contains(r.Body, []byte("external_id")) {
		t.Error("the export holds a secret's hash, an email's text or another member's data")
	}
	// Only she, or the host, may have it.
	wantStatus(t, w.b.api(t, http.MethodGet, "/api/v1/members/export?email="+email, ""), http.StatusUnauthorized)
	hostCopy := ts.do(t, http.MethodGet, "/api/v1/members/export?email="+email, host, "")
	wantStatus(t, hostCopy, http.StatusOK)

	// Erasing asks for the address again; without it nothing changes.
	wantStatus(t, w.a.api(t, http.MethodPost, "/api/v1/me/erase", `{"confirm_email":"someone@else.example"}`), http.StatusBadRequest)
	wantStatus(t, w.a.api(t, http.MethodGet, "/api/v1/me/export", ""), http.StatusOK)
	r = w.a.api(t, http.MethodPost, "/api/v1/me/erase", `{"confirm_email":"Ana@Alpha.example"}`)
	wantStatus(t, r, http.StatusOK)
	var erased struct {
		Posts         int  `json:"posts"`
		Member        int  `json:"member"`
		Partnerships  int  `json:"partnerships"`
		TextsScrubbed int  `json:"texts_scrubbed"`
		LogEmptied    bool `json:"log_emptied"`
	}
	json.Unmarshal(r.Body, &erased)
	if erased.Posts != 1 || erased.Member != 1 || erased.Partnerships != 1 || erased.TextsScrubbed == 0 {
		t.Errorf("erased %s", r)
	}
	if !strings.Contains(r.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("the session cookie is not cleared: %q", r.Header.Get("Set-Cookie"))
	}

	// Nowhere in the files: the database, its log, the index.
	noAddress := func(when string) {
		t.Helper()
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if bytes.Contains(bytes.ToLower(data), []byte(email)) {
				t.Errorf("%s: %s still holds the address", when, path)
			}
			return nil
		})
	}
	if !erased.LogEmptied {
		t.Error("the erasure left the write-ahead log as it was")
	}
	noAddress("right after erasing")

	// She is signed out, for good; her post is gone from the directory.
	wantStatus(t, w.a.api(t, http.MethodGet, "/api/v1/me/export", ""), http.StatusUnauthorized)
	wantStatus(t, ts.getPost(t, w.postA, host), http.StatusNotFound)
	if ids := ts.searchIDs(t, host, "q", "alpha"); len(ids) != 0 {
		t.Errorf("search still finds %v", ids)
	}
	// The partnership stays for Charlie, the other side shown as a former member.
	r = w.c.api(t, http.MethodGet, fmt.Sprintf("/api/v1/partnerships/%d", pid), "")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(string(r.Body), "@erased.invalid") || strings.Contains(string(r.Body), email) {
		t.Errorf("the partnership Charlie keeps: %s", r)
	}
	// The host asking again: nothing is held any more.
	wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/members/erase", host, fmt.Sprintf(`{"email":%q,"confirm_email":%q}`, email, email)), http.StatusNotFound)

	ts.stop(t)
	noAddress("once the service stopped")
}
