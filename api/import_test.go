package api

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/matchmaker/matchmaker/app"
)

// importFile posts body to the import endpoint as the host.
func (ts *testServer) importFile(tb testing.TB, query, contentType, body string) response {
	tb.Helper()
	header := map[string]string{}
	if contentType != "" {
		header["Content-Type"] = contentType
	}
	r := ts.request(tb, http.MethodPost, "/api/v1/import"+query, host, strings.NewReader(body), header)
	checkCommon(tb, r)
	return r
}

func (ts *testServer) mustImport(tb testing.TB, query, contentType, body string) app.ImportReport {
	tb.Helper()
	r := ts.importFile(tb, query, contentType, body)
	wantStatus(tb, r, http.StatusOK)
	return decode[app.ImportReport](tb, r)
}

// lineErrors sums up a report's errors as "line: field,field" strings.
func lineErrors(r app.ImportReport) []string {
	var out []string
	for _, e := range r.Errors {
		if e.Message == "" {
			out = append(out, fmt.Sprintf("%d: NO MESSAGE", e.Line))
		}
		out = append(out, fmt.Sprintf("%d: %s", e.Line, strings.Join(fieldKeys(e.Fields), ",")))
	}
	return out
}

type counts struct{ lines, created, updated, unchanged, rejected int }

func reportCounts(r app.ImportReport) counts {
	return counts{r.Lines, r.Created, r.Updated, r.Unchanged, r.Rejected}
}

// byExternalID returns every post as the host sees it, by external ID.
func (ts *testServer) byExternalID(tb testing.TB) map[string]postView {
	tb.Helper()
	out := map[string]postView{}
	for _, p := range ts.listAll(tb, host, nil, 100) {
		out[p.ExternalID] = p
	}
	return out
}

func TestImportJSONL(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	line := func(ext, offer string) string {
		return jsonBody(post("external_id", ext, "offer", offer, "business", "Imported "+ext, "lane", nil, "quarter", nil))
	}
	file := strings.Join([]string{
		line("imp-1", "Chimney sweeping for listed buildings"),
		line("imp-2", "Stained glass restoration for chapels"),
		jsonBody(post("external_id", "imp-bad", "offer", nil)), // 3: no offer
		"",                     // 4: blank lines are skipped but counted as lines of the file
		`{"business": "Broken`, // 5: not JSON
		line("imp-3", "Thatching for cottages and barns"),
		line("imp-1", "A second line with the same external id"),    // 7
		jsonBody(post("external_id", "imp-extra", "colour", "red")), // 8: unknown field
	}, "\n") + "\n"

	rep := ts.mustImport(t, "", "application/x-ndjson", file)
	if got, want := reportCounts(rep), (counts{lines: 7, created: 3, rejected: 4}); got != want {
		t.Errorf("first import: got %+v, want %+v", got, want)
	}
	if got, want := lineErrors(rep), []string{"3: offer", "5: ", "7: external_id", "8: colour"}; !slices.Equal(got, want) {
		t.Errorf("line errors: got %q, want %q", got, want)
	}
	stored := ts.byExternalID(t)
	if got := slices.Sorted(func(yield func(string) bool) {
		for k := range stored {
			yield(k)
		}
	}); !slices.Equal(got, []string{"imp-1", "imp-2", "imp-3"}) {
		t.Fatalf("stored external ids: got %v, want imp-1, imp-2, imp-3", got)
	}
	if got := stored["imp-1"].Offer; got != "Chimney sweeping for listed buildings" {
		t.Errorf("imp-1 offer: got %q, want the first line's (the repeat is rejected)", got)
	}
	if got := ts.searchIDs(t, anonymous, "q", "thatching"); !slices.Equal(got, []int64{stored["imp-3"].ID}) {
		t.Errorf("search right after import: got %v, want [%d]", got, stored["imp-3"].ID)
	}

	t.Run("the same file again changes nothing", func(t *testing.T) {
		before := ts.snapshot(t)
		rep := ts.mustImport(t, "", "application/x-ndjson", file)
		if got, want := reportCounts(rep), (counts{lines: 7, unchanged: 3, rejected: 4}); got != want {
			t.Errorf("second import: got %+v, want %+v", got, want)
		}
		if after := ts.snapshot(t); after != before {
			t.Errorf("re-import changed posts:\nbefore %s\nafter  %s", before, after)
		}
	})

	t.Run("a changed line updates its post", func(t *testing.T) {
		// The host's moderation survives a re-import that does not set status.
		hidden := stored["imp-3"]
		wantStatus(t, ts.do(t, http.MethodPatch, fmt.Sprintf("/api/v1/posts/%d", hidden.ID), host, `{"status": "hidden"}`), http.StatusOK)

		changed := strings.Replace(file, "Stained glass restoration for chapels", "Stained glass and lead lighting for chapels", 1)
		rep := ts.mustImport(t, "?format=jsonl", "", changed)
		if got, want := reportCounts(rep), (counts{lines: 7, updated: 1, unchanged: 2, rejected: 4}); got != want {
			t.Errorf("import with one line changed: got %+v, want %+v", got, want)
		}
		now := ts.byExternalID(t)
		if len(now) != 3 {
			t.Errorf("posts after re-import: got %d, want 3 (no duplicates)", len(now))
		}
		was, is := stored["imp-2"], now["imp-2"]
		if is.ID != was.ID || is.Offer != "Stained glass and lead lighting for chapels" ||
			!is.CreatedAt.Equal(was.CreatedAt) || !is.UpdatedAt.After(was.UpdatedAt) {
			t.Errorf("imp-2 after update: got %+v, want same id and created_at, the new offer, a later updated_at (was %+v)", is, was)
		}
		if now["imp-3"].Status != "hidden" {
			t.Errorf("imp-3 status after re-import: got %q, want hidden kept", now["imp-3"].Status)
		}
		if got := ts.searchIDs(t, anonymous, "q", "lead lighting"); !slices.Equal(got, []int64{was.ID}) {
			t.Errorf("search for the updated offer: got %v, want [%d]", got, was.ID)
		}
	})

	t.Run("format by sniffing", func(t *testing.T) {
		rep := ts.mustImport(t, "", "", "\n"+line("sniffed-1", "Beekeeping supplies for schools")+"\n")
		if got, want := reportCounts(rep), (counts{lines: 1, created: 1}); got != want {
			t.Errorf("sniffed JSONL: got %+v, want %+v", got, want)
		}
	})

	t.Run("format parameter wins over Content-Type", func(t *testing.T) {
		rep := ts.mustImport(t, "?format=jsonl", "text/csv", line("param-1", "Kite making for festivals"))
		if got, want := reportCounts(rep), (counts{lines: 1, created: 1}); got != want {
			t.Errorf("?format=jsonl sent as text/csv: got %+v, want %+v", got, want)
		}
	})

	t.Run("an empty file", func(t *testing.T) {
		rep := ts.mustImport(t, "?format=jsonl", "", "")
		if got := reportCounts(rep); got != (counts{}) {
			t.Errorf("empty JSONL: got %+v, want all zero", got)
		}
	})
}

func TestImportCSV(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t)
	const header = "external_id,business,email,offer,seek,tags,lane,quarter\n"
	file := header +
		`csv-1,Signs & Co,signs@co.example,Hand-painted signs for shop fronts,Shopfitters who serve independent shops,signage;paint,strategic,2026-Q4` + "\n" +
		`csv-2,"Quote, Unquote",q@u.example,"Copywriting for menus` + "\n" + `and wine lists",Restaurants that want better words,"[""copy"",""menus""]",,` + "\n" +
		`csv-3,Bad Lane,bad@lane.example,Carpentry for boutique hotels,Interior designers for hotels,,both,` + "\n" +
		`csv-4,Short,short@x.example,too short,Someone who reads long texts,,,2026-Q9` + "\n"

	rep := ts.mustImport(t, "", "text/csv; charset=utf-8", file)
	if got, want := reportCounts(rep), (counts{lines: 4, created: 2, rejected: 2}); got != want {
		t.Errorf("CSV import: got %+v, want %+v", got, want)
	}
	// Line numbers are the file's lines: csv-2 spans lines 3 and 4.
	if got, want := lineErrors(rep), []string{"5: lane", "6: offer,quarter"}; !slices.Equal(got, want) {
		t.Errorf("line errors: got %q, want %q", got, want)
	}
	stored := ts.byExternalID(t)
	if got := stored["csv-1"]; !slices.Equal(got.Tags, []string{"signage", "paint"}) || got.Lane != "strategic" || got.Quarter != "2026-Q4" {
		t.Errorf("csv-1: got tags %v lane %q quarter %q, want [signage paint] strategic 2026-Q4", got.Tags, got.Lane, got.Quarter)
	}
	if got := stored["csv-2"]; got.Business != "Quote, Unquote" || got.Offer != "Copywriting for menus\nand wine lists" ||
		!slices.Equal(got.Tags, []string{"copy", "menus"}) || got.Lane != "either" {
		t.Errorf("csv-2: got %+v, want the quoted cells, JSON tags and lane either", got)
	}

	t.Run("again, unchanged", func(t *testing.T) {
		rep := ts.mustImport(t, "?format=csv", "application/octet-stream", file)
		if got, want := reportCounts(rep), (counts{lines: 4, unchanged: 2, rejected: 2}); got != want {
			t.Errorf("CSV re-import: got %+v, want %+v", got, want)
		}
	})

	t.Run("format by sniffing", func(t *testing.T) {
		rep := ts.mustImport(t, "", "", "business,email,offer,seek\nSniffed,s@s.example,Lettering for wedding invitations,Wedding planners in the north\n")
		if got, want := reportCounts(rep), (counts{lines: 1, created: 1}); got != want {
			t.Errorf("sniffed CSV: got %+v, want %+v", got, want)
		}
	})

	for _, c := range []struct{ name, body string }{
		{"unknown column", "business,email,offer,seek,colour\nAcme,a@acme.example,Signage for shops,Printers who serve shops,red\n"},
		{"read-only column", "id,business,email,offer,seek\n1,Acme,a@acme.example,Signage for shops,Printers who serve shops\n"},
		{"missing required column", "business,email,offer\nAcme,a@acme.example,Signage for shops\n"},
		{"repeated column", "business,email,offer,seek,offer\nAcme,a@acme.example,Signage for shops,Printers,again\n"},
	} {
		t.Run("refused: "+c.name, func(t *testing.T) {
			before := ts.snapshot(t)
			r := ts.importFile(t, "", "text/csv", c.body)
			wantStatus(t, r, http.StatusBadRequest)
			if after := ts.snapshot(t); after != before {
				t.Errorf("a refused import changed posts")
			}
		})
	}
}

func TestImportLimit(t *testing.T) {
	t.Parallel()
	const limit = 4 << 10
	ts := newTestServerWith(t, Config{ImportLimit: limit})
	var b strings.Builder
	for i := 0; b.Len() <= 3*limit; i++ {
		b.WriteString(importLine(fmt.Sprintf("big-%d", i)))
	}
	var csv strings.Builder
	csv.WriteString("external_id,business,email,offer,seek\n")
	for i := 0; csv.Len() <= 3*limit; i++ {
		fmt.Fprintf(&csv, "big-csv-%d,Big %d,big@example.com,Scaffolding for film sets,Location scouts in the city\n", i, i)
	}
	for _, c := range []struct{ name, contentType, body string }{
		{"JSON Lines", "application/x-ndjson", b.String()},
		{"CSV", "text/csv", csv.String()},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := ts.importFile(t, "", c.contentType, c.body)
			wantStatus(t, r, http.StatusRequestEntityTooLarge)
			if n := ts.countPosts(t); n != 0 {
				t.Errorf("posts after a refused import: got %d, want 0", n)
			}
			if n, err := ts.App.Index.DocCount(); err != nil || n != 0 {
				t.Errorf("index after a refused import: got %d docs (err %v), want 0", n, err)
			}
		})
	}

	// A file under the limit goes through; so does a JSON body under the
	// 1 MiB default, which the import limit does not lower.
	rep := ts.mustImport(t, "", "application/x-ndjson", importLine("small-1"))
	if got, want := reportCounts(rep), (counts{lines: 1, created: 1}); got != want {
		t.Errorf("small import: got %+v, want %+v", got, want)
	}
	ts.createPost(t, post("offer", strings.Repeat("long offer ", 180)))
}
