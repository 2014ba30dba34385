package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestDraftsFromACommentThread(t *testing.T) {
	ts := newTestServer(t)
	thread := "Jane Doe\nFounder at Bright Ledger\nWe build Shopify stores for skincare brands — looking for a bookkeeper who gets ecommerce. Happy to pay 10% on anything you send us. jane@brightledger.example\nLike · Reply · 2d\n\n" +
		"Ben Okafor\nFollowing\nLike · Reply · 2d\n\n" +
		"Tomás Ruiz · 2nd\nOwner | Ruiz Plumbing\nLooking for a property manager who needs reliable plumbers. We fix leaks and install boilers across Leeds.\n"
	create := func(w who, ct, body string) response {
		return ts.request(t, http.MethodPost, "/api/v1/drafts", w, strings.NewReader(body), map[string]string{"Content-Type": ct})
	}
	wantStatus(t, create(anonymous, "text/plain", thread), http.StatusUnauthorized)
	wantStatus(t, create(host, "text/plain", "   "), http.StatusBadRequest)
	wantStatus(t, create(host, "application/pdf", thread), http.StatusBadRequest)
	r := create(host, "text/plain; charset=utf-8", thread)
	wantStatus(t, r, http.StatusCreated)
	read := decode[draftList](t, r)
	drafts := read.Drafts
	if read.Intake == nil || read.Intake.Format != "linkedin" || len(drafts) != 2 || drafts[0].Business != "Bright Ledger" || drafts[1].Email != "" {
		t.Fatalf("read: %+v", read)
	}
	if drafts[0].Lane != "referral" || drafts[1].Lane != "either" || drafts[1].Area != "Leeds" {
		t.Errorf("lanes %q, %q and area %q: want referral, either and Leeds", drafts[0].Lane, drafts[1].Lane, drafts[1].Area)
	}
	if o := drafts[0].Origins["business"]; o.From != "headline" {
		t.Errorf("business origin %+v: want the headline", o)
	}
	if len(read.Skipped) != 1 || read.Skipped[0].Name != "Ben Okafor" || read.Skipped[0].Reason != "chatter" {
		t.Errorf("skipped: %+v", read.Skipped)
	}
	if !strings.Contains(strings.Join(drafts[1].Problems, " "), "no email") {
		t.Errorf("the draft without an address is not marked: %v", drafts[1].Problems)
	}
	path := func(id int64) string { return fmt.Sprintf("/api/v1/drafts/%d", id) }

	// The list puts the uncertain first and carries the skipped comments.
	list := decode[draftList](t, ts.do(t, http.MethodGet, "/api/v1/drafts", host, ""))
	if len(list.Drafts) != 2 || list.Drafts[0].ID != drafts[1].ID || list.Drafts[0].Uncertainty <= list.Drafts[1].Uncertainty {
		t.Errorf("list order: %+v, want the draft without an email first", list.Drafts)
	}
	if len(list.Skipped) != 1 || list.Skipped[0].Reason != "chatter" {
		t.Errorf("list skipped: %+v", list.Skipped)
	}
	if oldest := decode[draftList](t, ts.do(t, http.MethodGet, "/api/v1/drafts?sort=oldest", host, "")).Drafts; oldest[0].ID != drafts[0].ID {
		t.Errorf("sort=oldest: %+v", oldest)
	}
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/drafts?sort=best", host, ""), http.StatusBadRequest)

	// A draft without an address cannot be published until corrected.
	r = ts.do(t, http.MethodPost, path(drafts[1].ID)+"/publish", host, "")
	wantStatus(t, r, http.StatusBadRequest)
	if f := decode[errorEnvelope](t, r).Error.Fields; f["email"] == "" {
		t.Errorf("publishing without an email: fields %v", f)
	}
	wantStatus(t, ts.do(t, http.MethodPatch, path(drafts[1].ID), host, `{"lane":"sideways"}`), http.StatusBadRequest)
	r = ts.do(t, http.MethodPatch, path(drafts[1].ID), host, `{"email":"Tomas@RuizPlumbing.example","lane":"referral"}`)
	wantStatus(t, r, http.StatusOK)
	if got := decode[draftView](t, r); len(got.Problems) != 0 || got.Email != "tomas@ruizplumbing.example" || got.Origins["email"].From != "host" || got.Lane != "referral" {
		t.Errorf("after adding the address: %+v", got)
	}
	r = ts.do(t, http.MethodPost, path(drafts[1].ID)+"/publish", host, "")
	wantStatus(t, r, http.StatusCreated)
	published := decode[struct {
		Draft draftView
		Post  postView
	}](t, r)
	if published.Post.Status != "pending" || published.Draft.Status != "published" || published.Draft.PostID != published.Post.ID {
		t.Errorf("published: %+v", published)
	}
	if published.Post.Lane != "referral" || published.Post.Region != "Leeds" {
		t.Errorf("published lane %q region %q: want referral and Leeds", published.Post.Lane, published.Post.Region)
	}
	wantStatus(t, ts.do(t, http.MethodPost, path(drafts[1].ID)+"/publish", host, ""), http.StatusConflict)
	// The member says yes by email before the post is listed.
	if ids := ts.searchIDs(t, anonymous, "q", "plumbers"); len(ids) != 0 {
		t.Errorf("the post is listed before its member confirmed it: %v", ids)
	}
	mails := ts.outbox(t)
	if len(mails) != 1 || mails[0].To != "<tomas@ruizplumbing.example>" {
		t.Fatalf("mails after publishing: %+v", mails)
	}
	wantStatus(t, ts.request(t, http.MethodPost, "/confirm", anonymous, strings.NewReader("token="+url.QueryEscape(tokenIn(t, mails[0], "confirm"))),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"}), http.StatusOK)
	if ids := ts.searchIDs(t, anonymous, "q", "plumbers"); len(ids) != 1 || ids[0] != published.Post.ID {
		t.Errorf("the confirmed post is not searchable: %v", ids)
	}

	// A skipped comment made into a draft, once.
	sk := fmt.Sprintf("/api/v1/skipped/%d/draft", read.Skipped[0].ID)
	r = ts.do(t, http.MethodPost, sk, host, "")
	wantStatus(t, r, http.StatusCreated)
	if d := decode[draftView](t, r); d.Name != "Ben Okafor" || d.IntakeID != read.Intake.ID || d.Status != "draft" {
		t.Errorf("draft of a skipped comment: %+v", d)
	}
	wantStatus(t, ts.do(t, http.MethodPost, sk, host, ""), http.StatusConflict)
	wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/skipped/999999/draft", host, ""), http.StatusNotFound)
	if left := decode[draftList](t, ts.do(t, http.MethodGet, "/api/v1/drafts", host, "")).Skipped; len(left) != 0 {
		t.Errorf("skipped after drafting it: %+v", left)
	}

	// Discarding, and listing by status.
	wantStatus(t, ts.do(t, http.MethodDelete, path(drafts[0].ID), host, ""), http.StatusNoContent)
	wantStatus(t, ts.do(t, http.MethodPatch, path(drafts[0].ID), host, `{"business":"x"}`), http.StatusConflict)
	open := decode[draftList](t, ts.do(t, http.MethodGet, "/api/v1/drafts?status=draft", host, "")).Drafts
	if len(open) != 1 || open[0].Name != "Ben Okafor" {
		t.Errorf("open drafts left: %+v", open)
	}
	wantStatus(t, ts.do(t, http.MethodGet, "/api/v1/drafts?status=lost", host, ""), http.StatusBadRequest)
}

func TestDraftsFromASpreadsheetWithTheHostsColumns(t *testing.T) {
	ts := newTestServer(t)
	sheet := "Timestamp,Full name,Email,Company,Tell us about your business,Who do you want to meet?,Notes\n" +
		"2026-11-01 09:12:44,Ana Silva,ana@lisbonbooks.example,Lisbon Books,Bookkeeping for cafés in Lisbon,A POS provider who serves cafés,Prefers mornings\n" +
		"2026-11-01 10:02:01,Rui Costa,rui@costa-pos.example,Costa POS,Point of sale systems for small restaurants,Accountants who serve restaurants,\n"
	create := func(ct, body string) response {
		return ts.request(t, http.MethodPost, "/api/v1/drafts", host, strings.NewReader(body), map[string]string{"Content-Type": ct})
	}
	r := create("text/csv", sheet)
	wantStatus(t, r, http.StatusCreated)
	read := decode[draftList](t, r)
	if read.Intake.Format != "csv" || len(read.Drafts) != 2 || read.Drafts[0].Email != "ana@lisbonbooks.example" || read.Drafts[0].Business != "Lisbon Books" {
		t.Fatalf("from CSV: %+v", read)
	}
	columns := map[string]string{}
	for _, c := range read.Intake.Columns {
		columns[c.Header] = c.Field
	}
	if columns["Tell us about your business"] != "offer" || columns["Who do you want to meet?"] != "seek" || columns["Timestamp"] != "" {
		t.Errorf("columns as guessed: %v", columns)
	}
	if o := read.Drafts[0].Origins["offer"]; o.From != "column: Tell us about your business" {
		t.Errorf("offer origin %+v", o)
	}

	// The host says the notes are what the customers are.
	cols := fmt.Sprintf("/api/v1/intakes/%d/columns", read.Intake.ID)
	wantStatus(t, ts.do(t, http.MethodPut, cols, host, `{"columns":{"Notes":"colour"}}`), http.StatusBadRequest)
	wantStatus(t, ts.do(t, http.MethodPut, cols, host, `{"columns":{"Shoe size":"customers"}}`), http.StatusBadRequest)
	r = ts.do(t, http.MethodPut, cols, host, `{"columns":{"Notes":"customers"}}`)
	wantStatus(t, r, http.StatusOK)
	again := decode[draftList](t, r)
	if len(again.Drafts) != 2 || again.Drafts[0].Customers != "Prefers mornings." || again.Drafts[0].ID == read.Drafts[0].ID {
		t.Errorf("read again: %+v", again.Drafts)
	}
	for _, c := range again.Intake.Columns {
		if c.Header == "Notes" && (c.Field != "customers" || !c.Set) {
			t.Errorf("Notes column %+v: want customers, set by the host", c)
		}
	}
	if all := decode[draftList](t, ts.do(t, http.MethodGet, "/api/v1/drafts", host, "")).Drafts; len(all) != 2 {
		t.Errorf("reading again left %d drafts, want the 2 new ones", len(all))
	}
	got := decode[draftList](t, ts.do(t, http.MethodGet, fmt.Sprintf("/api/v1/intakes/%d", read.Intake.ID), host, ""))
	if got.Intake == nil || len(got.Drafts) != 2 {
		t.Errorf("the intake: %+v", got)
	}

	// Once a draft is published, reading again would make it twice.
	wantStatus(t, ts.do(t, http.MethodPost, fmt.Sprintf("/api/v1/drafts/%d/publish", again.Drafts[1].ID), host, ""), http.StatusCreated)
	wantStatus(t, ts.do(t, http.MethodPut, cols, host, `{"columns":{"Notes":""}}`), http.StatusConflict)

	// A thread has no columns; tab-separated values are a spreadsheet too.
	r = create("text/plain", "Jane Doe\nWe build Shopify stores — looking for a bookkeeper who gets ecommerce.\n")
	thread := decode[draftList](t, r).Intake.ID
	wantStatus(t, ts.do(t, http.MethodPut, fmt.Sprintf("/api/v1/intakes/%d/columns", thread), host, `{"columns":{}}`), http.StatusBadRequest)
	r = create("text/tab-separated-values", strings.ReplaceAll(sheet, ",", "\t"))
	wantStatus(t, r, http.StatusCreated)
	if tsv := decode[draftList](t, r); tsv.Intake.Format != "tsv" || len(tsv.Drafts) != 2 {
		t.Errorf("from TSV: %+v", tsv)
	}
	if ins := decode[map[string][]intakeView](t, ts.do(t, http.MethodGet, "/api/v1/intakes", host, ""))["intakes"]; len(ins) != 3 || ins[0].Format != "tsv" {
		t.Errorf("intakes, newest first: %+v", ins)
	}

	// Forgetting the first spreadsheet keeps its published draft, drops
	// the rest.
	wantStatus(t, ts.do(t, http.MethodDelete, fmt.Sprintf("/api/v1/intakes/%d", read.Intake.ID), host, ""), http.StatusNoContent)
	wantStatus(t, ts.do(t, http.MethodGet, fmt.Sprintf("/api/v1/intakes/%d", read.Intake.ID), host, ""), http.StatusNotFound)
	wantStatus(t, ts.do(t, http.MethodDelete, fmt.Sprintf("/api/v1/intakes/%d", read.Intake.ID), host, ""), http.StatusNotFound)
	left := decode[draftList](t, ts.do(t, http.MethodGet, "/api/v1/drafts?sort=oldest", host, "")).Drafts
	published := 0
	for _, d := range left {
		if d.ID == again.Drafts[0].ID {
			t.Errorf("an unpublished draft of the forgotten paste is left: %+v", d)
		}
		if d.Status == "published" {
			published++
		}
	}
	if published != 1 {
		t.Errorf("%d published drafts left, want the 1", published)
	}
}

// A paste over the limit is refused whole, with a message saying what to
// do, and leaves nothing behind.
func TestTooLargeAPasteIsRefusedAndNothingStored(t *testing.T) {
	ts := newTestServer(t)
	var big bytes.Buffer
	for big.Len() < 5<<20 {
		fmt.Fprintf(&big, "Person %d\nWe fix roofs in Leeds — looking for home inspectors. p%d@roofs.example\nLike · Reply · 2d\n\n", big.Len(), big.Len())
	}
	r := ts.request(t, http.MethodPost, "/api/v1/drafts", host, &big, map[string]string{"Content-Type": "text/plain"})
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	if e := decode[errorEnvelope](t, r).Error; e.Code != "too_large" || !strings.Contains(e.Message, "2 MiB") {
		t.Errorf("error %+v: want too_large saying the limit", e)
	}
	list := decode[draftList](t, ts.do(t, http.MethodGet, "/api/v1/drafts", host, ""))
	ins := decode[map[string][]intakeView](t, ts.do(t, http.MethodGet, "/api/v1/intakes", host, ""))["intakes"]
	if len(list.Drafts) != 0 || len(list.Skipped) != 0 || len(ins) != 0 {
		t.Errorf("a refused paste left %d drafts, %d skipped, %d intakes", len(list.Drafts), len(list.Skipped), len(ins))
	}
}

// A Slack export arrives as JSON.
func TestDraftsFromAChatExport(t *testing.T) {
	ts := newTestServer(t)
	export := `[{"type":"message","user":"U1","user_profile":{"real_name":"Nia Cole"},"text":"Welcome all! Tell us what you do and who you want to meet.","ts":"1700000000.000100"},
{"type":"message","user":"U2","user_profile":{"real_name":"Omar Haddad"},"text":"I run Haddad Freight, we move pallets across the Midlands. Looking for warehouses and packaging suppliers. omar@haddadfreight.example","ts":"1700000100.000200"}]`
	r := ts.request(t, http.MethodPost, "/api/v1/drafts", host, strings.NewReader(export), map[string]string{"Content-Type": "application/json"})
	wantStatus(t, r, http.StatusCreated)
	read := decode[draftList](t, r)
	if read.Intake.Format != "slack" || len(read.Drafts) != 1 || read.Drafts[0].Business != "Haddad Freight" || read.Drafts[0].Email != "omar@haddadfreight.example" {
		t.Errorf("from a Slack export: %+v", read)
	}
}

// A member pastes their own comment into the post form and gets the
// fields filled in; nothing is stored.
func TestAMembersCommentFillsThePostForm(t *testing.T) {
	ts := newTestServer(t)
	comment := `{"text":"Hi all! I'm Priya from Loom & Lantern Studio (loomlantern.co.uk) — we shoot brand photos for restaurants and cafés around Bristol. Looking for web designers and menu printers who serve the same crowd. Happy to pay a 10% referral fee."}`
	r := ts.do(t, http.MethodPost, "/api/v1/comments/read", anonymous, comment)
	wantStatus(t, r, http.StatusOK)
	f := decode[commentFields](t, r)
	if f.Business != "Loom & Lantern Studio" || f.Website != "https://loomlantern.co.uk" || f.Lane != "referral" || f.Region != "Bristol" ||
		!strings.Contains(f.Offer, "brand photos") || !strings.Contains(strings.ToLower(f.Seek), "web designers") {
		t.Errorf("fields: %+v", f)
	}
	if _, ok := f.Origins["region"]; !ok {
		t.Errorf("origins %v: want the region's", f.Origins)
	}
	wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/comments/read", anonymous, `{"text":"  "}`), http.StatusBadRequest)
	wantStatus(t, ts.do(t, http.MethodPost, "/api/v1/comments/read", anonymous, `{"text":"`+strings.Repeat("a", 20001)+`"}`), http.StatusBadRequest)
	if ins := decode[map[string][]intakeView](t, ts.do(t, http.MethodGet, "/api/v1/intakes", host, ""))["intakes"]; len(ins) != 0 {
		t.Errorf("reading a comment stored %d intakes", len(ins))
	}
}

// BenchmarkPaste500 times a 500-comment LinkedIn thread pasted over HTTP
// and stored: reading it, one transaction for its drafts and skipped
// replies, and the answer.
func BenchmarkPaste500(b *testing.B) {
	ts := newTestServer(b)
	var thread strings.Builder
	thread.WriteString("Dana Whitfield\n • You\nHost\n2d\nTell us what you do and who you'd love to meet 👇\nLike\n")
	trades := []string{"roofing", "plumbing", "bookkeeping", "catering", "photography", "landscaping", "payroll", "interior design"}
	first := []string{"Marta", "Tomas", "Priya", "Kenji", "Amara", "Lucia", "Owen", "Grace", "Rhys", "Noor", "Ines", "Dmitri", "Sofia", "Ravi", "Hana", "Gus", "Keiko", "Jonah", "Femi", "Anita"}
	last := []string{"Kessler", "Ortega", "Shah", "Mori", "Briggs", "Fernandez", "Paek", "Liu", "Pemberton", "Haddad", "Carvalho", "Volkov", "Ramirez", "Menon", "Yoshida", "Halloran", "Andersson", "Whitcombe", "Oladipo", "Raman", "Okafor", "Lindgren", "Castro", "Murphy", "Brooks"}
	for i := range 500 {
		trade := trades[i%len(trades)]
		fmt.Fprintf(&thread, "%s %s\n • 2nd\nOwner, %s Works %d | Helping people\n%dd\nWe do %s for homeowners and small firms across the metro. Looking for realtors and contractors to swap referrals with. works%d.com\nLike\nReply\n",
			first[i%len(first)], last[(i/len(first))%len(last)], strings.ToUpper(trade[:1])+trade[1:], i, 1+i%6, trade, i)
	}
	body := thread.String()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		r := ts.request(b, http.MethodPost, "/api/v1/drafts", host, strings.NewReader(body), map[string]string{"Content-Type": "text/plain"})
		if r.Status != http.StatusCreated {
			b.Fatalf("status %d: %s", r.Status, r.Body)
		}
	}
}
