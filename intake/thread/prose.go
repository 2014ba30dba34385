package thread

import (
	"regexp"
	"strings"
)

// Reading prose: a host's notes, or replies pasted one block after
// another. Each block of lines is an item; who it is about comes from how
// it starts ("Priya from Saltwater Studio…", "Tom Li — …", "Ana (Brightpath
// Plumbing): …").

const (
	// leadIn is how a host's notes come to a person: "Sat next to", "Then",
	// "Also met".
	leadIn     = `(?:(?i:sat next to|then|next(?: up)?(?: was| came)?|also met|met|spoke (?:to|with)|talked (?:to|with)|chatted with|caught up with|last(?: but not least)?|last one|first(?: up| one)?|lastly|finally|and finally|after that|later)[,:]?\s+)?`
	personRe   = `\p{Lu}[\p{L}'’.-]*(?:\s+and\s+\p{Lu}[\p{L}'’-]*)?(?:\s+(?:\p{Lu}[\p{L}'’.-]*|de|van|von|da|del|la|le|di|du|bin|al)){0,3}`
	businessRe = `[\p{Lu}0-9][\p{L}0-9&'’.+-]*(?:\s+(?:&|and|of|the|for|on|to|by|in|a|de|del|della|des|du|da|do|dos|das|di|la|le|les|los|las|el|van|von|der|den|y|e|und|et|\p{Lu}[\p{L}0-9&'’.+-]*|[0-9][\p{L}0-9]*)){0,6}`
)

var (
	// "Priya from Saltwater Studio", "Priya Shah of Saltwater Studio",
	// "Priya Shah (Saltwater Studio)", "Priya Shah, Saltwater Studio:",
	// "Priya Shah at Saltwater Studio".
	introWithBusiness = regexp.MustCompile(`^(?:[-*•]\s*)?` + leadIn + `(` + personRe + `)\s*(?:\s(?:from|of|at|with|@|runs|owns|co-owns|founded|started|heads)\s+|\(|,\s*(?:who (?:runs|owns|founded|started|heads)\s+|owner of\s+|founder of\s+|of\s+)?)(?:the\s+)?(` + businessRe + `)\)?\s*(?:[:—–(-]|\s(?:is|does|runs|runs a|owns|has|said|says|makes|offers|helps|wants|needs|builds|sells|teaches|provides|was|were|came|spoke|told|talked|joined|started|'s|’s|and)\b|,|\.)`)
	// "Saltwater Studio (Priya Shah):".
	businessThenPerson = regexp.MustCompile(`^(?:[-*•]\s*)?(` + businessRe + `)\s*\((` + personRe + `)\)\s*[:—–-]`)
	// "Ximena Castro does art consulting…".
	introVerb = regexp.MustCompile(`^(?:[-*•]\s*)?` + leadIn + `(` + personRe + `)\s+(?:wrote|writes|added|adds|asked|mentioned|sent|replied|does|is|runs|owns|has|makes|offers|sells|teaches|helps|builds|designs|creates|provides|works|specialises|specializes|handles|plans|photographs|coaches|cleans|manages|fixes|installs|consults|writes|organizes|organises|caters|bakes|brews|grows|trains|walks|grooms|wants|needs|said|says)\b`)
	// A byline above a reply: a name, perhaps a role in brackets, then a
	// date and perhaps a time, behind any quoting marks.
	byline = regexp.MustCompile(`^(?:[>#*=|~_-]+\s*)?(?:(?i:reply|comment|message|post|answer|response)\s+(?i:from|by)\s+)?(` + personRe + `)\s*(?:\(([^)]{1,30})\))?\s*(?:[,—–-]|\s(?i:on|at|wrote))\s*` +
		`(?:(?i:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+\p{L}{3,9}\.?(?:,?\s+\d{4})?|\p{L}{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?|\d{4}-\d{2}-\d{2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|(?i:today|yesterday))` +
		`(?:[,\s]+(?:(?i:at)\s+)?\d{1,2}[:.]\d{2}\s*(?:(?i:[ap]\.?m\.?))?)?\s*(?:(?i:wrote|said))?\s*:?\s*(?:[<=#*~_-]+)?$`)
	// hostBadge is a role that makes the writer the host.
	hostBadge = regexp.MustCompile(`(?i)^(?:owner|host|admin|organi[sz]er|moderator|mod|founder of the group|community manager)$`)
	// "Priya Shah — …", "Priya Shah: …".
	introName = regexp.MustCompile(`^(?:[-*•]\s*)?` + leadIn + `(` + personRe + `)\s*(?::|\s[—–-]\s|\s\((?:no |just |solo|freelance|independent))`)
)

// roleOf opens a phrase with the writer's role: "Co-owner of".
var roleOf = regexp.MustCompile(`^(?i:(?:co-?)?(?:owner|founder|director|manager|head|ceo|partner)\s+(?:of|at)\s+)`)

// weAre opens a phrase that names a business: "We're", "This is".
var weAre = regexp.MustCompile(`^(?i:we'?re|we are|i'?m|i am|this is|it'?s|meet|welcome to|here at|we at)\s+`)

// markdownEmphasis is **bold** or __bold__ as newsletters and notes
// write names.
var markdownEmphasis = regexp.MustCompile(`\*\*([^*\n]+)\*\*|__([^_\n]+)__`)

// readProse reads blocks of prose. notes is set, or found, when the paste
// is a host's notes (most blocks name someone): a block that names nobody is
// then the host's own words, and one that starts with the first name of
// someone named before is more about them ("Declan texted me: he also…").
func readProse(text string, notes bool) []item {
	blocks := paragraphs(markdownEmphasis.ReplaceAllStringFunc(text, func(m string) string { return strings.Trim(m, "*_") }))
	type intro struct{ name, business string }
	intros := make([]intro, len(blocks))
	named := 0
	for k, b := range blocks {
		intros[k].name, intros[k].business, _ = proseIntro(b)
		if intros[k].name != "" {
			named++
		}
	}
	// Blocks that mostly open with who they are about are a host's notes
	// or newsletter, whatever the format was taken to be.
	notes = notes || len(blocks) >= 4 && named*2 >= len(blocks)
	var items []item
	for k, b := range blocks {
		it := item{body: strings.Split(b, "\n")}
		name, business := intros[k].name, intros[k].business
		it.author = name
		if business != "" {
			it.fields = map[string]string{FieldBusiness: business}
			it.fieldSrc = map[string]string{FieldBusiness: "comment"}
		}
		// A name alone on the block's first line is a header; so is a
		// byline: ">> Celeste Vega (owner), 1 Apr 2026", "reply from Helga
		// Sørensen, 2 Apr 2026:".
		if first, rest, ok := strings.Cut(b, "\n"); ok {
			if m := byline.FindStringSubmatch(strings.TrimSpace(first)); m != nil {
				it = item{author: m[1], body: strings.Split(rest, "\n")}
				if hostBadge.MatchString(m[2]) {
					it.badge = "Author"
				}
			} else if looksLikeName(first, false) && name == "" {
				it.author, it.body = cleanName(first), strings.Split(rest, "\n")
			}
		}
		if notes && it.author == "" {
			if who := firstNamed(b, items); who != "" {
				it.author = who
			} else {
				it.badge = badgeNotes
			}
		}
		items = append(items, it)
	}
	return items
}

// badgeNotes marks a block of a host's notes that is their own words.
const badgeNotes = "host notes"

// firstNamed returns the full name of the one person named before whose
// first name starts the block, or "".
func firstNamed(block string, before []item) string {
	first := strings.Trim(strings.Fields(block)[0], ",.:;!?'’s")
	found := ""
	for _, it := range before {
		if f := strings.Fields(it.author); len(f) > 0 && f[0] == first {
			if found != "" && found != it.author {
				return "" // two people of that name: cannot tell
			}
			found = it.author
		}
	}
	return found
}

var blankLines = regexp.MustCompile(`\n\s*\n`)

// paragraphs splits text into blocks at blank lines; text without blank
// lines is split line by line.
func paragraphs(text string) []string {
	var blocks []string
	for _, b := range blankLines.Split(strings.TrimSpace(text), -1) {
		if b = strings.TrimSpace(b); b != "" {
			blocks = append(blocks, b)
		}
	}
	if len(blocks) == 1 && strings.Count(blocks[0], "\n") >= 2 {
		var lines []string
		for _, l := range strings.Split(blocks[0], "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		return lines
	}
	return blocks
}

// proseIntro reads who a block is by, or about, from how it starts.
func proseIntro(block string) (name, business, rest string) {
	if m := introWithBusiness.FindStringSubmatchIndex(block); m != nil {
		name, business := block[m[2]:m[3]], trimBusiness(strings.TrimSpace(block[m[4]:m[5]]))
		// "Saltwater Studio (Priya Shah):" reads the other way round.
		if businessNouns.MatchString(name) && !businessNouns.MatchString(business) && looksLikeName(business, false) {
			name, business = business, name
		}
		if !commonPhrase(name) && looksLikeName(name, true) && !notAPerson(name) {
			return name, business, block[m[1]:]
		}
	}
	if m := businessThenPerson.FindStringSubmatchIndex(block); m != nil && looksLikeName(block[m[4]:m[5]], false) {
		return block[m[4]:m[5]], block[m[2]:m[3]], block[m[1]:]
	}
	for _, re := range []*regexp.Regexp{introName, introVerb} {
		if m := re.FindStringSubmatchIndex(block); m != nil {
			name := block[m[2]:m[3]]
			if !commonPhrase(name) && looksLikeName(name, false) && !notAPerson(name) {
				return name, "", block[m[1]:]
			}
		}
	}
	return "", "", block
}

// notAPerson reports words that open notes rather than name someone:
// "Notes from the Borrel", "Summary of the round".
func notAPerson(name string) bool {
	switch strings.ToLower(strings.Fields(name)[0]) {
	case "notes", "note", "minutes", "summary", "recap", "meeting", "round", "update", "thread", "agenda", "list", "welcome",
		"hello", "thanks", "today", "tonight", "yesterday", "this", "these", "our", "my", "the", "some", "everyone", "all":
		return true
	}
	return false
}

// trimBusiness drops words a greedy match takes past a business name:
// "Saltwater Studio The" from "Saltwater Studio. The…".
func trimBusiness(b string) string {
	b = strings.TrimRight(strings.TrimSpace(b), ".,;:")
	b = weAre.ReplaceAllString(b, "")  // "We're Crumb & Kettle" -> Crumb & Kettle
	b = roleOf.ReplaceAllString(b, "") // "Co-owner of Ink Tide Studio" -> Ink Tide Studio
	for {
		words := strings.Fields(b)
		if len(words) <= 1 {
			return b
		}
		last := strings.ToLower(words[len(words)-1])
		if last == "and" || last == "the" || last == "of" || last == "for" || last == "on" || last == "&" || last == "i" || last == "we" ||
			last == "to" || last == "by" || last == "in" || last == "a" || last == "at" {
			b = strings.Join(words[:len(words)-1], " ")
			continue
		}
		return b
	}
}
