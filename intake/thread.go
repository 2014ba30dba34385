package intake

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/matchmaker/matchmaker/match"
)

// Draft is a post read from a comment thread or a spreadsheet, for the host
// to review, correct and publish. Problems say what needs a look.
type Draft struct {
	Name     string   `json:"name"` // the person who commented
	Business string   `json:"business"`
	Email    string   `json:"email"`
	Website  string   `json:"website"`
	Offer    string   `json:"offer"`
	Seek     string   `json:"seek"`
	Source   string   `json:"source"` // the comment as pasted
	Problems []string `json:"problems"`
}

var (
	emailPattern   = regexp.MustCompile(`(?i)[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}`)
	websitePattern = regexp.MustCompile(`(?i)\b(?:https?://[^\s,;)]+|www\.[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s,;)]*)`)
	// What people write before saying whom they look for.
	seekCue = regexp.MustCompile(`(?i)\b(?:(?:we(?:'re| are)|i(?:'m| am)|currently|always|also)\s+)?(?:looking (?:for|to (?:meet|connect with|partner with|find))|seeking|searching for|in search of|hoping to (?:find|meet|connect with)|would love to (?:meet|connect with|partner with)|want(?:ing)? to (?:meet|connect with|partner with)|keen to (?:meet|connect with))\b`)
	// Interface words that copying a thread brings along, one per part of
	// a line like "Like · Reply · 2d".
	noiseWord = regexp.MustCompile(`(?i)^(?:like|reply|love|celebrate|support|insightful|funny|curious|report|edited|author|follow|connect|message|see translation|see more|load more comments|view \d+ (?:more )?repl(?:y|ies)|\d+ (?:likes?|reactions?|repl(?:y|ies)|comments?)|\d+\s?(?:s|m|h|d|w|mo|y|yr|yrs|min|mins|hr|hrs|hours?|days?|weeks?|months?|years?)(?: ago)?|1st|2nd|3rd|3rd\+)$`)
	// A connection degree after a name: "Tomás Ruiz · 2nd".
	degree      = regexp.MustCompile(`\s*[·•]\s*(?:1st|2nd|3rd\+?)\s*$`)
	headlineCue = regexp.MustCompile(`(?i)\s(?:at|@|\|)\s|^(?:founder|co-?founder|owner|ceo|director|partner|principal|managing director|head of)\b`)
)

// DraftFromComment reads one comment (from a spreadsheet row, say) as
// ParseThread reads each comment of a thread.
func DraftFromComment(name, business, comment string) Draft {
	return finish(Draft{Name: name, Business: business, Source: strings.TrimSpace(comment)})
}

// ParseThread splits the text of a comment thread, as copied from a social
// network (a name, perhaps a headline, then the comment), into drafts. It
// finds the email address and website in each comment, and splits what
// they do from whom they look for at phrases like "looking for".
func ParseThread(text string) []Draft {
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var (
		drafts  []Draft
		current *Draft
		body    []string
		blank   = true // a name starts a comment only after a break
	)
	flush := func() {
		if current != nil {
			current.Source = strings.TrimSpace(strings.Join(body, "\n"))
			if current.Source != "" {
				drafts = append(drafts, finish(*current))
			}
		}
		current, body = nil, nil
	}
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		switch {
		case line == "":
			blank = true
			continue
		case isNoise(line):
			blank = true
			continue
		}
		if blank && looksLikeName(line) {
			flush()
			current = &Draft{Name: strings.TrimSpace(degree.ReplaceAllString(line, ""))}
			// A headline right under the name: "Founder at Bright Ledger".
			if i+1 < len(lines) {
				if next := strings.TrimSpace(lines[i+1]); next != "" && len(next) < 100 && headlineCue.MatchString(next) && !strings.ContainsAny(next, ".!?") {
					current.Business = businessFromHeadline(next)
					i++
				}
			}
			blank = false
			continue
		}
		blank = false
		if current == nil {
			current = &Draft{} // text before any name: keep it, unnamed
		}
		body = append(body, line)
	}
	flush()
	return drafts
}

// isNoise reports whether every part of a line is interface text.
func isNoise(line string) bool {
	for _, part := range strings.FieldsFunc(line, func(r rune) bool { return r == '·' || r == '•' || r == '|' }) {
		if part = strings.TrimSpace(part); part != "" && !noiseWord.MatchString(part) {
			return false
		}
	}
	return true
}

// looksLikeName reports whether a line reads like a person's name: two to
// four capitalised words, no sentence punctuation, no digits.
func looksLikeName(line string) bool {
	line = strings.TrimSpace(degree.ReplaceAllString(line, ""))
	words := strings.Fields(line)
	if len(words) < 2 || len(words) > 4 || utf8.RuneCountInString(line) > 40 || strings.ContainsAny(line, ".,!?:;@/0123456789") {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}

func businessFromHeadline(h string) string {
	for _, sep := range []string{" at ", " @ ", " | "} {
		if _, after, ok := strings.Cut(h, sep); ok {
			return strings.TrimSpace(after)
		}
	}
	return ""
}

// finish extracts the fields of a draft from its comment and lists what
// the host should check.
func finish(d Draft) Draft {
	text := d.Source
	d.Email = strings.ToLower(emailPattern.FindString(text))
	if w := websitePattern.FindString(text); w != "" {
		if !strings.HasPrefix(strings.ToLower(w), "http") {
			w = "https://" + w
		}
		d.Website = strings.TrimRight(w, ".")
	}
	// Contact details are not part of what they do or seek.
	clean := emailPattern.ReplaceAllString(text, "")
	clean = websitePattern.ReplaceAllString(clean, "")
	clean = strings.Join(strings.Fields(clean), " ")
	d.Offer, d.Seek = splitOfferSeek(clean)
	if d.Business == "" && d.Name != "" {
		d.Business = d.Name
		d.Problems = append(d.Problems, "business name not found: the commenter's name is used")
	}
	return review(d)
}

// Review lists what a draft still needs before it can be published (it
// keeps a note about a guessed business name).
func Review(d Draft) Draft {
	var kept []string
	for _, p := range d.Problems {
		if strings.HasPrefix(p, "business name not found") && d.Business == d.Name && d.Business != "" {
			kept = append(kept, p)
		}
	}
	d.Problems = kept
	return review(d)
}

func review(d Draft) Draft {
	if d.Business == "" {
		d.Problems = append(d.Problems, "no business name")
	}
	switch {
	case d.Email == "":
		d.Problems = append(d.Problems, "no email address: add one before publishing")
	case !match.ValidEmail(d.Email):
		// A spreadsheet's email column is taken as it is; publishing
		// validates the post, so review applies the same rule.
		d.Problems = append(d.Problems, "the email address does not look right: check it before publishing")
	}
	if d.Seek == "" {
		d.Problems = append(d.Problems, "could not tell whom they are looking for")
	}
	if utf8.RuneCountInString(d.Offer) < 10 {
		d.Problems = append(d.Problems, "could not tell what they do")
	}
	if d.Problems == nil {
		d.Problems = []string{}
	}
	return d
}

// splitOfferSeek cuts a comment at its "looking for"-like phrase: what
// comes before is the offer, what follows the seek. A comment that starts
// with the phrase is split by sentences instead.
func splitOfferSeek(text string) (offer, seek string) {
	loc := seekCue.FindStringIndex(text)
	if loc == nil {
		return tidy(text), ""
	}
	before, after := text[:loc[0]], text[loc[1]:]
	if utf8.RuneCountInString(tidy(before)) >= 10 {
		// The seek runs to the end of its sentence; later sentences about
		// what they do go back to the offer.
		seek, rest := sentence(after)
		return tidy(before + " " + rest), tidy(seek)
	}
	seek, rest := sentence(after)
	return tidy(rest), tidy(seek)
}

// sentence splits s after its first sentence.
func sentence(s string) (first, rest string) {
	if i := strings.IndexAny(s, ".!?"); i >= 0 {
		return s[:i], s[i+1:]
	}
	return s, ""
}

// tidy trims the joints a cut leaves: dashes, commas, "and", "so".
func tidy(s string) string {
	s = strings.TrimSpace(s)
	for {
		t := strings.TrimSpace(strings.TrimRight(strings.TrimLeft(s, "—–-,;:. "), "—–-,;: "))
		lower := strings.ToLower(t)
		for _, w := range []string{"and", "so", "but", "also"} {
			if strings.HasSuffix(lower, " "+w) {
				t = strings.TrimSpace(t[:len(t)-len(w)])
			}
		}
		if t == s {
			break
		}
		s = t
	}
	if s != "" && !strings.ContainsAny(s[len(s)-1:], ".!?") && strings.Count(s, ".") > 0 {
		s += "."
	}
	return s
}
