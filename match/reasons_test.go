package match_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	porterstemmer "github.com/blevesearch/go-porterstemmer"

	"github.com/matchmaker/matchmaker/match"
)

// The shapes a reason takes, each quote named by whose text it comes
// from: a (the post the reason is written to) or b (the partner).
var reasonShapes = []struct {
	re    *regexp.Regexp
	from  []string // per group: "a.seek", "b.offer", … the field it quotes
	close bool     // the last two groups are "'x' is close to the 'y'"
}{
	{regexp.MustCompile(`^you look for '(.+)'; they offer '(.+?)'(?:; '(.+)' is close to the '(.+)' you seek)?$`), []string{"a.seek", "b.offer", "b.offer", "a.seek"}, true},
	{regexp.MustCompile(`^they look for '(.+)'; you offer '(.+?)'(?:; '(.+)' is close to the '(.+)' they seek)?$`), []string{"b.seek", "a.offer", "a.offer", "b.seek"}, true},
	{regexp.MustCompile(`^you both serve '(.+)'$`), []string{"a.audience"}, false},
	{regexp.MustCompile(`^you serve '(.+)'; they serve '(.+)'$`), []string{"a.audience", "b.audience"}, false},
	{regexp.MustCompile(`^careful: you both offer '(.+)' / '(.+)' to similar customers; they may be a competitor$`), []string{"a.offer", "b.offer"}, false},
	{regexp.MustCompile(`^(you both work around [A-Z][^,]+|they work around [A-Z][^,]+, \d+ km from you|they work online, anywhere)$`), nil, false},
	{regexp.MustCompile(`^(you both want a (strategic|referral) partnership|they are open to a (strategic|referral) partnership, as you want|they want a (strategic|referral) partnership; you are open to either)$`), nil, false},
}

func fieldText(p match.Post, field string) []string {
	switch field {
	case "seek":
		return []string{p.Seek}
	case "offer":
		return []string{p.Offer}
	}
	return []string{p.Customers, p.Offer, p.Seek} // audience: the customers field or a clause of either text
}

// checkQuote reports what is wrong with a quote of one of texts: it must
// be verbatim (its pieces, when shortened with "…"), and start and end on
// word boundaries.
func checkQuote(q string, texts []string) error {
	for _, piece := range strings.Split(q, "…") {
		piece = strings.TrimSpace(piece)
		if piece == "" {
			continue
		}
		found := false
		for _, text := range texts {
			for at := 0; ; {
				i := strings.Index(text[at:], piece)
				if i < 0 {
					break
				}
				i += at
				before, _ := utf8.DecodeLastRuneInString(text[:i])
				after, _ := utf8.DecodeRuneInString(text[i+len(piece):])
				if !isWordChar(before) && !isWordChar(after) {
					found = true
					break
				}
				at = i + 1
			}
		}
		if !found {
			return fmt.Errorf("%q is not a whole phrase of %q", piece, texts)
		}
	}
	return nil
}

func isWordChar(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// TestReasonsAreTruthful checks every reason of every match in the
// labelled sets against the posts' texts: each quote is the member's own
// words, as written (casing too), a whole phrase, from the right post and
// field; "you both serve" only when both posts name those people.
func TestReasonsAreTruthful(t *testing.T) {
	checked := 0
	for _, path := range evalSets {
		set := loadSet(t, path)
		e := match.NewEngine(match.DefaultVocabulary(), match.DefaultWeights())
		e.Load(set.Posts)
		for _, a := range set.Posts {
			ms, err := e.Matches(a.ID, match.MatchOptions{Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				for _, r := range m.Reasons {
					if err := checkReason(r, a, m.Post, e); err != nil {
						t.Errorf("%s: %s to %s: %v", path, a.ExternalID, m.Post.ExternalID, err)
					}
					checked++
				}
			}
		}
	}
	if checked < 3000 {
		t.Fatalf("only %d reasons checked; the sets should give thousands", checked)
	}
	t.Logf("%d reasons checked", checked)
}

func checkReason(r string, a, b match.Post, e *match.Engine) error {
	for _, shape := range reasonShapes {
		g := shape.re.FindStringSubmatch(r)
		if g == nil {
			continue
		}
		if shape.from == nil {
			return nil
		}
		for i, from := range shape.from {
			q := g[i+1]
			if q == "" && shape.close && i >= 2 {
				continue // no "close to" part
			}
			side, field, _ := strings.Cut(from, ".")
			p := a
			if side == "b" {
				p = b
			}
			if err := checkQuote(q, fieldText(p, field)); err != nil {
				return fmt.Errorf("%q: %v", r, err)
			}
		}
		if strings.HasPrefix(r, "you both serve") && !shareAWord(g[1], b.Customers+" "+b.Offer+" "+b.Seek) {
			// Both posts must say it: the partner names the same people.
			return fmt.Errorf("%q: the partner's post names none of those words", r)
		}
		return nil
	}
	return fmt.Errorf("%q has no known shape", r)
}

// shareAWord reports whether a word of q (of four letters or more) is, by
// its stem, a word of text.
func shareAWord(q, text string) bool {
	words := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !isWordChar(r) })
	}
	theirs := map[string]bool{}
	for _, w := range words(text) {
		theirs[porterstemmer.StemString(w)] = true
	}
	for _, w := range words(q) {
		if len(w) >= 3 && theirs[porterstemmer.StemString(w)] {
			return true
		}
	}
	return false
}
