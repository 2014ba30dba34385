package thread

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// Fuzz targets for the two ways text reaches the reader. `go test` runs
// their seeds (f.Add and testdata/fuzz); `go test -fuzz FuzzRead -fuzztime
// 30s ./intake/thread` explores further. Each asserts properties that hold
// for any paste, not just the absence of panics.

// checkDraft checks what holds for every draft, however it was read.
func checkDraft(t *testing.T, d Draft, validInput bool) {
	t.Helper()
	if d.Problems == nil || d.Origins == nil {
		t.Fatalf("draft %+v: Problems or Origins is nil, want them empty (shown as [] and {} in JSON)", d)
	}
	if d.Email != strings.ToLower(d.Email) {
		t.Fatalf("draft email %q: want it in lower case", d.Email)
	}
	if !usableAddress.MatchString(d.Email) && !slices.ContainsFunc(d.Problems, func(p string) bool { return strings.Contains(p, "email") }) {
		t.Fatalf("draft without a usable email address (%q) does not say so: %+v", d.Email, d)
	}
	if d.Seek == "" && !slices.ContainsFunc(d.Problems, func(p string) bool { return strings.Contains(p, "looking for") }) {
		t.Fatalf("draft without a seek does not say so: %+v", d)
	}
	if !slices.Contains([]string{LaneStrategic, LaneReferral, LaneEither}, d.Lane) {
		t.Fatalf("draft lane %q is none of strategic, referral, either", d.Lane)
	}
	for field, o := range d.Origins {
		if o.From == "" {
			t.Fatalf("field %s has an origin with no source: %+v", field, d)
		}
	}
	if d.Website != "" && !strings.HasPrefix(d.Website, "https://") && !strings.HasPrefix(d.Website, "http://") {
		t.Fatalf("website %q does not start with http(s)://", d.Website)
	}
	if validInput {
		for _, s := range []string{d.Name, d.Business, d.Email, d.Website, d.Offer, d.Seek, d.Customers, d.Area, d.Source} {
			if !utf8.ValidString(s) {
				t.Fatalf("draft field %q is not valid UTF-8 although the input was: %+v", s, d)
			}
		}
	}
	// Checking a draft again changes nothing.
	if again := Check(d); !reflect.DeepEqual(again.Problems, d.Problems) {
		t.Fatalf("Check changed a fresh draft's problems: got %q, want %q", again.Problems, d.Problems)
	}
}

// usableAddress is what a usable address in a draft looks like.
var usableAddress = regexp.MustCompile(`^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$`)

func FuzzRead(f *testing.F) {
	f.Add("Jane Doe\nFounder at Bright Ledger\nLooking for a bookkeeper. jane@x.example\n\nJohn Roe\n")
	f.Add("no name line at all, looking for partners — www.example.com, hi@example.com")
	f.Add("Ana Li · 1st\nOwner | \n\nLike · Reply\n\n\n")
	f.Add("Élodie Ünal\nCEO @ Café Ünal\nWe roast coffee — seeking wholesale buyers. Also cater events!\r\n")
	f.Add("A B\n\x00\xff\xfe looking for \xc3\x28 mail@\xff.example")
	f.Add("Name,Email,What do you do?,Who would you like to meet?\nJane,JANE@X.EXAMPLE,Books for shops,Shopify developers\n,\n")
	f.Add("[12/03/2026, 09:14:22] Ana: We bake wedding cakes, looking for florists\n")
	f.Add(`{"messages":[{"author":{"name":"x"},"content":"We fix roofs; looking for inspectors"}]}`)
	f.Fuzz(func(t *testing.T, text string) {
		res := Read(text, Options{})
		if res.Drafts == nil || res.Skipped == nil {
			t.Fatalf("nil lists in %+v", res)
		}
		if res.Format == "" {
			t.Fatalf("no format")
		}
		nonBlank := 0
		for line := range strings.SplitSeq(text, "\n") {
			if strings.TrimSpace(line) != "" {
				nonBlank++
			}
		}
		if len(res.Drafts) > nonBlank {
			t.Fatalf("%d drafts from %d non-blank lines", len(res.Drafts), nonBlank)
		}
		for _, d := range res.Drafts {
			checkDraft(t, d, utf8.ValidString(text))
			if d.Email != "" && !strings.Contains(strings.ToLower(text), d.Email) {
				t.Fatalf("email %q is not in the paste", d.Email)
			}
		}
		for _, s := range res.Skipped {
			if s.Into < -1 || s.Into >= len(res.Drafts) {
				t.Fatalf("skipped item points at draft %d of %d", s.Into, len(res.Drafts))
			}
		}
		// Windows and old Mac line ends read the same.
		if !strings.Contains(text, "\r") {
			if crlf := Read(strings.ReplaceAll(text, "\n", "\r\n"), Options{}); !reflect.DeepEqual(crlf, res) {
				t.Fatalf("with \\r\\n line ends: got %+v, want %+v", crlf, res)
			}
		}
	})
}

func FuzzDraftOf(f *testing.F) {
	f.Add("Jane Doe", "We build Shopify stores — looking for a bookkeeper who gets ecommerce. jane@brightledger.example")
	f.Add("", "Looking for: www.example.org/a.b; and more.")
	f.Add("Sam", "seeking")
	f.Add("X", "... — and")
	f.Fuzz(func(t *testing.T, name, text string) {
		d := DraftOf(name, text)
		checkDraft(t, d, utf8.ValidString(name) && utf8.ValidString(text))
		if d.Email != "" && !strings.Contains(strings.ToLower(text), d.Email) {
			t.Fatalf("email %q is not in the comment %q", d.Email, text)
		}
		if d.Email != "" && strings.Contains(strings.ToLower(d.Offer+" "+d.Seek), d.Email) {
			t.Fatalf("email %q left in offer %q or seek %q", d.Email, d.Offer, d.Seek)
		}
	})
}
