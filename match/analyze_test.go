package match

import (
	"strings"
	"testing"
)

func stemsOf(ws []word) string {
	var out []string
	for _, w := range ws {
		out = append(out, w.stem)
	}
	return strings.Join(out, " ")
}

func TestAnalyzeDropsFillerAndExpandsAbbreviations(t *testing.T) {
	v := DefaultVocabulary()
	if got := stemsOf(v.analyze("Looking for partners and clients: businesses we help")); got != "" {
		t.Errorf("generic filler left words %q", got)
	}
	text := "Seeking a CPA for our HVAC clients"
	ws := v.analyze(text)
	if got, want := stemsOf(ws), "certifi public account heat ventil air condit"; got != want {
		t.Errorf("analyze(%q) = %q, want %q", text, got, want)
	}
	// Every word of an expansion quotes the abbreviation as written.
	for _, w := range ws[:3] {
		if got := text[w.start:w.end]; got != "CPA" {
			t.Errorf("word %s quotes %q, want CPA", w.stem, got)
		}
	}
}

func TestAnalyzeKnowsMorphologyAndSenses(t *testing.T) {
	v := DefaultVocabulary()
	first := func(s string) word {
		ws := v.analyze(s)
		if len(ws) != 1 {
			t.Fatalf("analyze(%q) = %d words, want 1", s, len(ws))
		}
		return ws[0]
	}
	for _, tc := range []struct{ a, b, how string }{
		{"insurer", "insurance", "family"},
		{"photographer", "photography", "family"},
		{"licensed", "licensing", "stem"},
		{"undertaker", "mortician", "sense"},
		{"permit", "license", "sense"},
		{"lawyer", "attorney", "sense"},
		{"plumber", "plumbing", "family"},
		{"movers", "moving", "family"},
		{"planner", "planning", "family"},
	} {
		a, b := first(tc.a), first(tc.b)
		var ok bool
		switch tc.how {
		case "stem":
			ok = a.stem == b.stem
		case "family": // the same stem, or one family
			ok = a.stem == b.stem || a.family != "" && a.family == b.family || a.family == b.stem || b.family == a.stem
		case "sense":
			ok = a.sense >= 0 && a.sense == b.sense
		}
		if !ok {
			t.Errorf("%q %+v and %q %+v do not share a %s", tc.a, a, tc.b, b, tc.how)
		}
	}
}

func TestAnalyzeMarksAudienceClauses(t *testing.T) {
	v := DefaultVocabulary()
	text := "Bookkeeping for dairy farms; tractor repair. We work with orchards"
	var whom []string
	for _, w := range v.analyze(text) {
		if w.audience {
			whom = append(whom, text[w.start:w.end])
		}
	}
	if got, want := strings.Join(whom, " "), "dairy farms orchards"; got != want {
		t.Errorf("audience words = %q, want %q", got, want)
	}
}

func TestAnalyzeSpansQuoteTheText(t *testing.T) {
	v := DefaultVocabulary()
	text := "Bookkeeping for Shopify sellers, and the children’s dentist — e-commerce too"
	for _, w := range v.analyze(text) {
		span := text[w.start:w.end]
		if span == "" || strings.TrimSpace(span) != span || !strings.Contains(strings.ToLower(span), w.folded[:1]) {
			t.Errorf("word %s has a bad span %q", w.stem, span)
		}
	}
}

func TestVocabularyParseErrors(t *testing.T) {
	for _, bad := range []string{"a = b", "[colours]\nred", "[abbreviations]\ncpa", "[abbreviations]\n = accountant"} {
		if _, err := ParseVocabulary(bad); err == nil {
			t.Errorf("ParseVocabulary(%q) succeeded", bad)
		}
	}
}
