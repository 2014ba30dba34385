package match

import (
	"strings"
	"testing"
)

func keys(terms []term) string {
	var out []string
	for _, t := range terms {
		out = append(out, t.key)
	}
	return strings.Join(out, " ")
}

func TestAnalyzeFoldsSynonymsAndDropsFiller(t *testing.T) {
	v := DefaultVocabulary()
	for _, tc := range []struct{ a, b string }{
		{"We are looking for an accountant", "Seeking a CPA"},
		{"e-commerce brands", "Shopify stores"},
		{"online store owners", "ecommerce businesses"},
		{"a realtor", "real estate agents"},
		{"dental practices", "dentists"},
	} {
		ka, kb := keys(v.analyze(tc.a)), keys(v.analyze(tc.b))
		if ka != kb {
			t.Errorf("%q -> %q but %q -> %q; want the same terms", tc.a, ka, tc.b, kb)
		}
	}
	if got := keys(v.analyze("Looking for partners and clients: businesses we help")); got != "" {
		t.Errorf("generic filler left terms %q", got)
	}
}

func TestAnalyzeSpansQuoteTheText(t *testing.T) {
	v := DefaultVocabulary()
	text := "Bookkeeping for Shopify sellers, and the children’s dentist"
	for _, tm := range v.analyze(text) {
		span := text[tm.start:tm.end]
		if span == "" || strings.TrimSpace(span) != span {
			t.Errorf("term %s has a bad span %q", tm.key, span)
		}
	}
	terms := v.analyze(text)
	if len(terms) != 3 || text[terms[1].start:terms[1].end] != "Shopify sellers" {
		t.Errorf("terms = %+v, want 3 with 'Shopify sellers' second", terms)
	}
}

func TestVocabularyParseErrors(t *testing.T) {
	for _, bad := range []string{"a | b", "[colours]\nred | rot"} {
		if _, err := ParseVocabulary(bad); err == nil {
			t.Errorf("ParseVocabulary(%q) succeeded", bad)
		}
	}
}
