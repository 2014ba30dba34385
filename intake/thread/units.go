package thread

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cutting a reply into its parts: numbered answers, labelled lines
// ("Looking for: …"), sentences.

var (
	numberMarker = regexp.MustCompile(`(?:^|\s|\n)(?:([1-9])\x{FE0F}?\x{20E3}|([1-9])[.)](?:\s|$)|\(([1-9])\)\s|#([1-9])[\s:.)]|[QqAa]([1-9])[:.)]\s?)|(?:^|\n)\s*([1-9])\s?[/–—-]\s|(?:^|\n)\s*[QqAa]([1-9])(?:\s*[-–—]\s*|\s+)`)
)

// labelled splits "Looking for: …" into the field its label names and
// the rest.
func labelled(u string) (field, rest string, ok bool) {
	u = strings.TrimSpace(strings.TrimLeft(u, "-•*✅👉→▪️· "))
	i := strings.IndexAny(u, ":—–")
	if i <= 0 {
		return "", "", false
	}
	label := strings.TrimSpace(strings.Trim(u[:i], "*_ "))
	label = strings.TrimFunc(label, func(r rune) bool { return isEmoji(r) || r == ' ' })
	if label == "" || words(label) > 7 || strings.ContainsAny(label, ".!,") {
		return "", "", false
	}
	rest = strings.TrimSpace(strings.TrimLeft(u[i:], ":—–- "))
	if f, known := labelField(label); known && rest != "" {
		return f, rest, true
	}
	return "", "", false
}

// labelField reads a short label ("What I do", "Looking for", "Ideal
// client", "Offer", "Seek", "Based in").
func labelField(label string) (string, bool) {
	l := strings.ToLower(label)
	switch l {
	case "offer", "offering", "we offer", "i offer", "what", "services", "about", "about us", "what we do", "what i do", "we do", "i do", "us", "me", "my business", "our business", "business":
		return FieldOffer, true
	case "seek", "seeking", "looking for", "want", "wanted", "need", "needs", "ask", "the ask", "my ask", "our ask", "who", "intros", "intro wishlist", "wishlist", "want to meet", "would love to meet", "partners", "ideal partner", "ideal partners", "dream partner", "dream partners", "looking to meet", "who i'm looking for", "who we're looking for":
		return FieldSeek, true
	case "customers", "clients", "ideal client", "ideal clients", "ideal customer", "ideal customers", "who we serve", "who i serve", "audience", "serving", "market", "target market":
		return FieldCustomers, true
	case "area", "areas", "based", "based in", "location", "where", "region", "serving area", "service area", "located":
		return FieldArea, true
	case "web", "website", "site", "url", "www", "link":
		return FieldWebsite, true
	case "email", "e-mail", "mail", "contact":
		return FieldEmail, true
	case "company", "business name", "brand", "name", "who i am", "who we are":
		return FieldBusiness, true
	case "terms", "partnership", "partnership type", "referral", "referrals", "commission", "lane":
		return FieldLane, true
	}
	// A question used as a label: "Who would you love to meet?".
	if f, ok := fieldOfQuestion(label); ok && f != "" && f != fieldNotes && f != fieldComment && (strings.HasSuffix(label, "?") || words(label) <= 3) {
		return f, true
	}
	return "", false
}

// numberedAnswers splits text at "1️⃣ … 2️⃣ …", "1. … 2. …", "1) … 2) …":
// the answers, in order, and the text before the first. Numbers must run
// from 1 upwards.
func numberedAnswers(text string) (answers []string, pre string) {
	locs := numberMarker.FindAllStringSubmatchIndex(text, -1)
	var starts, ends []int
	want := 1
	for _, m := range locs {
		n := 0
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] >= 0 {
				n = int(text[m[g]] - '0')
				break
			}
		}
		if n != want {
			continue
		}
		starts, ends = append(starts, m[0]), append(ends, m[1])
		want++
	}
	if len(starts) < 2 {
		return nil, text
	}
	for k := range starts {
		end := len(text)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		answers = append(answers, strings.TrimSpace(text[ends[k]:end]))
	}
	return answers, strings.TrimSpace(text[:starts[0]])
}

func hasNumberedAnswers(text string) bool {
	a, _ := numberedAnswers(text)
	return len(a) >= 2
}

// questionsOf reads the host's numbered questions into the fields their
// answers fill.
func questionsOf(post string) []string {
	qs, _ := numberedAnswers(post)
	var out []string
	for _, q := range qs {
		// The question is the first line or sentence of its part.
		line, _, _ := strings.Cut(q, "\n")
		f, ok := fieldOfQuestion(line)
		if !ok {
			if lf, known := labelField(strings.Trim(line, "?:. ")); known {
				f = lf
			}
		}
		if f == fieldNotes || f == fieldComment {
			f = ""
		}
		out = append(out, f)
	}
	return out
}

// units splits text into sentences and list items.
func units(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		out = append(out, sentences(line)...)
	}
	return out
}

var abbreviations = map[string]bool{"e.g.": true, "i.e.": true, "etc.": true, "inc.": true, "ltd.": true, "co.": true,
	"dr.": true, "mr.": true, "mrs.": true, "ms.": true, "st.": true, "vs.": true, "approx.": true, "no.": true, "u.s.": true,
	"u.k.": true, "llc.": true, "corp.": true, "mt.": true, "ft.": true, "jr.": true, "sr.": true}

// sentences splits a line at sentence ends, at " — " joints, and at emoji
// that stand between sentences.
func sentences(line string) []string {
	var out []string
	start := 0
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		end := -1
		switch {
		case r == '.' || r == '!' || r == '?':
			j := i
			for j+1 < len(rs) && (rs[j+1] == '.' || rs[j+1] == '!' || rs[j+1] == '?' || rs[j+1] == ')' || rs[j+1] == '"' || rs[j+1] == '”') {
				j++
			}
			if j+1 < len(rs) && rs[j+1] != ' ' {
				i = j
				continue // "kessler.com", "3.5"
			}
			if r == '.' {
				w := lastWord(rs[start : i+1])
				if (abbreviations[strings.ToLower(w)] || utf8.RuneCountInString(w) == 2 && unicode.IsUpper([]rune(w)[0])) && !startsSentence(rs[j+1:]) {
					continue
				}
			}
			end = j + 1
			i = j
		case isEmoji(r) && i+2 < len(rs) && rs[i+1] == ' ' && unicode.IsUpper(rs[i+2]) && i > start+3:
			end = i + 1
		case (r == '—' || r == '–') && i > start && i+1 < len(rs) && rs[i-1] == ' ' && rs[i+1] == ' ':
			end = i
		}
		if end > 0 {
			if s := strings.TrimSpace(string(rs[start:end])); s != "" && s != "—" && s != "–" {
				out = append(out, strings.TrimRight(s, "—– "))
			}
			start = end
			if r == '—' || r == '–' {
				start = i + 1
			}
		}
	}
	if s := strings.TrimSpace(string(rs[start:])); s != "" {
		out = append(out, s)
	}
	return out
}

// startsSentence reports whether what follows an abbreviation's period
// starts a sentence: "Quinlan Learning Co. Want PTAs…".
func startsSentence(rs []rune) bool {
	next := strings.Fields(string(rs))
	if len(next) == 0 {
		return true
	}
	switch strings.ToLower(strings.Trim(next[0], ",:!")) {
	case "we", "i", "our", "my", "want", "wants", "looking", "need", "needs", "based", "would", "also", "ideal", "happy", "open",
		"seeking", "we're", "i'm", "we'd", "i'd", "hoping", "keen", "love", "serving", "dm", "email", "reach", "find":
		return true
	}
	return false
}

func lastWord(rs []rune) string {
	s := strings.TrimSpace(string(rs))
	if i := strings.LastIndexAny(s, " (\"“"); i >= 0 {
		return s[i+1:]
	}
	return s
}

func words(s string) int { return len(strings.Fields(s)) }

// tidy trims the joints a cut leaves ("and", "so", dashes, a colon) and
// starts the text with a capital.
func tidy(s string) string {
	s = strings.TrimSpace(s)
	for {
		t := strings.TrimSpace(strings.TrimRight(strings.TrimLeft(s, "—–-,;:.… "), "—–-,;:( "))
		lower := strings.ToLower(t)
		for _, w := range []string{"and", "so", "but", "also", "or", "who", "that", "to", "with", "for", "like"} {
			if strings.HasSuffix(lower, " "+w) {
				t = strings.TrimSpace(t[:len(t)-len(w)])
				lower = strings.ToLower(t)
			}
		}
		for _, w := range []string{"and ", "so ", "but ", "also ", "then "} {
			if strings.HasPrefix(lower, w) {
				t = strings.TrimSpace(t[len(w):])
				lower = strings.ToLower(t)
			}
		}
		if t == s {
			break
		}
		s = t
	}
	if r, n := utf8.DecodeRuneInString(s); n > 0 && unicode.IsLower(r) && !strings.HasPrefix(s, "e.g") {
		s = string(unicode.ToUpper(r)) + s[n:]
	}
	return s
}
