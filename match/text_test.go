package match

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestTextRules(t *testing.T) {
	// Each case: the text, and whether free text and a name may hold it.
	cases := []struct {
		name         string
		s            string
		text, nameOK bool
	}{
		{"plain", "Harbour & Co", true, true},
		{"accents and scripts", "Café Ünal · 東京デザイン · مكتب الرياض · Ολυμπία", true, true},
		{"emoji", "Design 🎨 studio", true, true},
		{"line breaks", "one\ntwo\r\nthree\tfour", true, false},
		{"zero-width joiner in an emoji sequence", "👩\u200d💻 studio", true, false},
		{"zero-width non-joiner in Persian", "می\u200cخواهیم", true, false},
		{"right-to-left override", "Acme\u202eknaB", false, false},
		{"left-to-right embedding", "a\u202ab", false, false},
		{"first strong isolate", "a\u2068b", false, false},
		{"right-to-left mark", "a\u200fb", false, false},
		{"Arabic letter mark", "a\u061cb", false, false},
		{"zero-width space", "Acme\u200bBank", false, false},
		{"word joiner", "Acme\u2060Bank", false, false},
		{"byte-order mark", "\ufeffAcme", false, false},
		{"soft hyphen", "Ac\u00adme", false, false},
		{"tag character", "Acme\U000e0041", false, false},
		{"Hangul filler", "Acme\u3164", false, false},
		{"Braille blank", "Acme\u2800", false, false},
		{"combining grapheme joiner", "a\u034fb", false, false},
		{"line separator", "a\u2028b", false, false},
		{"noncharacter", "a\ufffeb", false, false},
		{"bell", "a\u0007b", false, false},
		{"next line (C1)", "a\u0085b", false, false},
		{"escape", "a\u001b[31mb", false, false},
		{"private use", "Acme \uf8ff", true, false},
		{"invalid UTF-8", "Acme\xffBank", false, false},
	}
	for _, c := range cases {
		if got := IsCleanText(c.s); got != c.text {
			t.Errorf("IsCleanText(%s %+q) = %v, want %v", c.name, c.s, got, c.text)
		}
		if got := IsCleanName(c.s); got != c.nameOK {
			t.Errorf("IsCleanName(%s %+q) = %v, want %v", c.name, c.s, got, c.nameOK)
		}
	}
}

func TestValidateNamesFieldsWithHiddenCharacters(t *testing.T) {
	in := PostInput{Business: "Acme\u202eBank", Email: "a@b.example", Offer: "Bookkeeping for shops",
		Seek: "Shopify developers", Tags: []string{"ok", "pay\u200broll"}, Region: "Lis\u2066bon"}
	in.Normalize()
	err := Validate(&in)
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("Validate: %v, want an EINVALID error", err)
	}
	for _, field := range []string{"business", "tags[1]", "region"} {
		if e.Fields[field] != NameRule {
			t.Errorf("field %s: %q, want %q (all: %v)", field, e.Fields[field], NameRule, e.Fields)
		}
	}
	// Normalize must not turn controls into spaces before the check.
	in = PostInput{Business: "Acme\u0085Bank\vCo", Email: "a@b.example", Offer: "Bookkeeping for shops", Seek: "Shopify developers"}
	in.Normalize()
	if err := Validate(&in); err == nil || !strings.Contains(err.Error(), "business") {
		t.Errorf("controls that unicode.IsSpace counts as space: %v", err)
	}
}

func TestWebsitesWithHiddenCharactersAreRefused(t *testing.T) {
	for _, site := range []string{"https://evil\u202e.com", "https://a.example/\u200bx", "https://a.example/a b"} {
		if isWebURL(site) {
			t.Errorf("isWebURL(%+q) = true", site)
		}
	}
	for _, site := range []string{"https://пример.рф", "https://harbour.example/about?x=1"} {
		if !isWebURL(site) {
			t.Errorf("isWebURL(%+q) = false", site)
		}
	}
}

func TestCleanPasted(t *testing.T) {
	in := "\ufeffHi,\u200b I run Cafe\u0301 Noir\u2028we bake.\u00ad \u202eEvil\u202c 👩\u200d💻"
	want := "Hi, I run Caf\u00e9 Noir\nwe bake. Evil 👩\u200d💻"
	if got := CleanPasted(in); got != want {
		t.Errorf("CleanPasted = %+q, want %+q", got, want)
	}
	if got := CleanPasted("bell\u0007"); got != "bell\u0007" {
		t.Errorf("controls must stay for the caller's check to refuse: %+q", got)
	}
}

// FuzzTextRules checks the rules' promises on any text: a name is also
// clean free text; pasted text comes out clean, composed and the same when
// cleaned again.
func FuzzTextRules(f *testing.F) {
	for _, s := range []string{"Harbour & Co", "Acme\u202eknaB", "Cafe\u0301", "👩\u200d💻", "a\u2028b\u00ad", "\ufeff\u200b", "\xff", "می\u200cخواهیم", "a\u0085b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if IsCleanName(s) && !IsCleanText(s) {
			t.Errorf("%+q is a clean name but not clean text", s)
		}
		if !utf8.ValidString(s) {
			return
		}
		p := CleanPasted(s)
		if !norm.NFC.IsNormalString(p) {
			t.Errorf("CleanPasted(%+q) = %+q is not NFC", s, p)
		}
		if again := CleanPasted(p); again != p {
			t.Errorf("CleanPasted is not idempotent on %+q: %+q then %+q", s, p, again)
		}
		hasControl := strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r >= 0x7f && r < 0xa0 })
		if !hasControl && !IsCleanText(p) {
			t.Errorf("CleanPasted(%+q) = %+q is not clean text", s, p)
		}
		if IsCleanName(NFC(s)) != IsCleanName(s) && IsCleanName(s) {
			t.Errorf("composing %+q made it an unclean name", s)
		}
	})
}
