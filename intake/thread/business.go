package thread

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/matchmaker/matchmaker/match/geo"
	"github.com/matchmaker/matchmaker/match/lexicon"
)

// Who a reply is from: the business's name, website and e-mail address,
// read from what they wrote, their headline or signature, or their
// addresses.

// A business's name is told from the rest of a reply by where it stands
// and what it looks like: a capitalised phrase after "we're", "I run",
// "from"; in brackets; a sentence of its own; at the head of a headline
// part; ending in "Co", "Studio", "Photography"; spelled like their
// website. Each phrase gets points for each such sign, and loses them for
// being the person's name, a place or a well-known product.

// capPhrase is a run of capitalised words, with the small words names
// keep inside ("Kaye & Co Weddings", "Mise en Books", "Glow by Priyanka").
var capPhrase = regexp.MustCompile(`(?:\p{Lu}(?:[\p{L}0-9'’+-]*|\p{L}{0,2}\.)|[0-9]+[\p{L}][\p{L}0-9]*)(?:\s+(?:(?:&|and|of|the|by|for|with|en|de|la|le|du|des|del|n'|'n'|'n)\s+)?(?:\p{Lu}(?:[\p{L}0-9'’+-]*|\p{L}{0,2}\.)|[0-9]+[\p{L}0-9]*))*`)

// Phrases before a name that say it is one.
var (
	namingBefore = regexp.MustCompile(`(?i)(?:\b(?:name is|named|called|incorporated as|trading as|t/a|d/?b/?a|known as|we make|we built|we run|i run|we own|i own|i started|we started|i founded|we founded|co-?founded|founder of|owner of|owner at|ceo of|ceo at|director at|director of|founder at|head of|partner at|principal at|from|at|with|we'?re|we are|this is|i'?m with|here at|over at|my company|my business|my agency|my studio|my practice|my shop|my firm|our company|our business|our agency|our studio|our practice|our shop|our firm|practice|studio|agency|company|business|brand|shop|firm)[,:]?\s+(?:the\s+)?|[—–-]\s+|^\s*)$`)
	clauseAfter  = regexp.MustCompile(`^\s*[,.!;]`)
	answerLabel  = regexp.MustCompile(`^[A-Za-z]\d{1,2}$`)
	dashAfter    = regexp.MustCompile(`^\s*[—–:]|^\s+-\s`)
	// verbStart are words that open a clause, capitalised only because
	// the sentence starts there.
	verbStart = map[string]bool{"ship": true, "shipping": true, "serve": true, "serving": true, "deliver": true, "delivering": true,
		"cover": true, "covering": true, "based": true, "available": true, "open": true, "book": true, "call": true, "visit": true,
		"contact": true, "find": true, "follow": true, "join": true, "check": true, "message": true, "email": true, "text": true,
		"dm": true, "looking": true, "seeking": true, "offering": true, "helping": true, "working": true, "currently": true}
	namingAfter = regexp.MustCompile(`^\s*(?:here\b|[—–:]|-\s|\(|,\s*(?:a|an|the|we|our|based|est)\b|\s+(?:is|are)\s+(?:a|an|the|your)\b|\s+(?:helps|offers|provides|does|makes|specialises|specializes)\b)`)
	// Platforms, tools and marketplaces that replies name but that are
	// nobody's business here.
	wellKnown = map[string]bool{"hubspot": true, "salesforce": true, "shopify": true, "amazon": true, "etsy": true, "steam": true,
		"instagram": true, "insta": true, "linkedin": true, "facebook": true, "google": true, "xero": true, "quickbooks": true, "wordpress": true,
		"webflow": true, "figma": true, "canva": true, "notion": true, "slack": true, "discord": true, "zoom": true, "tiktok": true,
		"youtube": true, "yelp": true, "airbnb": true, "uber": true, "stripe": true, "square": true, "toast": true, "mailchimp": true,
		"klaviyo": true, "blender": true, "substance": true, "unity": true, "unreal": true, "godot": true, "yarn spinner": true,
		"excel": true, "microsoft": true, "apple": true, "ios": true, "android": true, "zapier": true, "asana": true, "trello": true,
		"brand registry": true, "steam deck": true, "steam deck verified": true, "x": true, "twitter": true, "threads": true,
		"gusto": true, "adp": true, "netsuite": true, "sage": true, "pos": true, "crm": true, "seo": true, "ppc": true, "saas": true,
		"vimeo": true, "loom": true, "calendly": true, "substack": true, "beehiiv": true, "patreon": true, "kickstarter": true, "github": true, "b2b": true, "b2c": true, "dtc": true, "d2c": true, "ai": true, "api": true, "faq": true, "diy": true, "ceo": true, "cfo": true}
)

type nameSource struct {
	text string
	from string // "comment", "headline", "signature"
}

// bestBusiness returns the phrase of the sources most likely to be the
// business's name, where it came from, and its points; "" when none
// scores enough. domains are the stems of their site and business e-mail
// ("kesslerroofing"). others are the names (normName) of everyone in the
// thread, whose names are no business's.
func bestBusiness(person string, others map[string]bool, sources []nameSource, domains []string) (string, string, float64) {
	type found struct {
		name, from string
		score      float64
		sources    map[int]bool
	}
	var all []*found
	byKey := map[string]*found{}
	consider := func(c, from string, score float64, src int) {
		if score <= 0 {
			return
		}
		k := normName(c)
		f := byKey[k]
		if f == nil {
			f = &found{name: c, from: from, sources: map[int]bool{}}
			byKey[k] = f
			all = append(all, f)
		}
		f.sources[src] = true
		if score > f.score {
			f.name, f.from, f.score = c, from, score
		}
	}
	for k, src := range sources {
		text := src.text
		if m := domainIntro.FindStringSubmatch(text); m != nil {
			if b := nameFromDomain(strings.ToLower(m[1]), text); b != "" {
				consider(b, src.from, 6, k)
			}
		}
		for _, loc := range capPhrase.FindAllStringIndex(text, -1) {
			c := text[loc[0]:loc[1]]
			if nl := strings.IndexByte(c, '\n'); nl > 0 {
				c = c[:nl] // a name does not run over a line's end
			}
			c = trimBusiness(c)
			if c == "" || others[normName(c)] || startsWithOther(c, others) {
				continue
			}
			end := loc[0] + len(c)
			consider(c, src.from, scoreName(c, text[:loc[0]], text[end:], person, src.from, domains), k)
			// A phrase that runs on past a name: "Kessler Roofing We fix"
			// gives "Kessler Roofing" a chance too.
			if cut := cutBusiness(c); cut != c && cut != "" {
				e := loc[0] + len(cut)
				consider(cut, src.from, scoreName(cut, text[:loc[0]], text[e:], person, src.from, domains), k)
			}
		}
	}
	var best *found
	for _, f := range all {
		// Said in the reply and in the headline or signature too.
		if len(f.sources) > 1 {
			f.score += 2
		}
		if best == nil || f.score > best.score {
			best = f
		}
	}
	if best == nil || best.score < 3 {
		return "", "", 0
	}
	return best.name, best.from, best.score
}

// scoreName gives a capitalised phrase points for looking like the
// business's name where it stands.
func scoreName(c, before, after, person, from string, domains []string) float64 {
	lower := strings.ToLower(c)
	ws := strings.Fields(c)
	if allWellKnown(lower) || sameName(c, person) || commonPhrase(strings.TrimPrefix(c, "The ")) || !plausibleBusiness(c, person) || onlyTitle(c) ||
		titleWords.MatchString(strings.ToLower(ws[0])) && len(ws) > 1 && strings.ContainsAny(strings.ToLower(c), "@") {
		return 0
	}
	score := 0.0
	noun := businessNouns.MatchString(strings.TrimRight(c, "."))
	rare := false
	for _, w := range ws {
		lw := strings.ToLower(strings.Trim(w, "'’."))
		if isCamel(w) || hasDigitLetter(w) {
			rare = true
		}
		if r, ok := lexicon.DefaultWords().Rank(lw); !ok || r > 25000 {
			if !nameParticles[lw] && !isFirstName(lw, person) {
				rare = true
			}
		}
	}
	if len(ws) == 1 && !rare && !noun {
		return 0 // "Positive", "Amazon": a common word at a sentence's start
	}
	if acronym.MatchString(c) && !businessNouns.MatchString(c) && !spellsAny(c, domains) {
		return 0 // "ANAC", "FGA", "WSET 3": a body or a certificate, not their business
	}
	if answerLabel.MatchString(c) || onlyLanguages(lower) {
		return 0 // "A2", "Q4": a numbered answer's label; "Amazigh and French"
	}
	if verbStart[strings.ToLower(ws[0])] {
		return 0 // "Ship UK-wide", "Serving Bristol": a clause, not a name
	}
	if len(ws) == 1 && unicode.IsDigit([]rune(c)[0]) && !noun {
		return 0 // "4mo", "24h"
	}
	cued := namingBefore.MatchString(before) && strings.TrimSpace(before) != "" || inBrackets(before, after) ||
		from == "comment" && sentenceStart(before) && sentenceEnd(after) && len(ws) >= 2 ||
		sentenceStart(before) && len(ws) >= 2 && namingAfter.MatchString(after) || // Desert Storm FC Academy here: a name then what it does
		sentenceStart(before) && noun && len(ws) >= 2 && clauseAfter.MatchString(after) // "Blue Lane Swim School, Tempe & Mesa"
	// Named after its owner: "Reyes Electric", "Party Magic by Jade".
	owners := false
	for _, w := range ws {
		if isFirstName(strings.ToLower(strings.Trim(w, "'’.,")), person) || strings.HasSuffix(strings.ToLower(w), "'s") && isFirstName(strings.ToLower(strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")), person) {
			owners = len(ws) >= 2
		}
	}
	if owners {
		rare = true
	}
	// A role is not a business: "POS & Online Ordering Consultant",
	// "Fractional CFO for SaaS".
	if !cued && (titleWords.MatchString(strings.ToLower(strings.Trim(ws[len(ws)-1], "."))) && !noun || onlyTitle(strings.SplitN(lower, " for ", 2)[0])) {
		return 0
	}
	if namingBefore.MatchString(before) && strings.TrimSpace(before) != "" {
		score += 3
	}
	if inBrackets(before, after) {
		score += 3
	}
	// ", Pipeline Forge." at a sentence's end: a name in apposition.
	if strings.HasSuffix(strings.TrimSpace(before), ",") && sentenceEnd(after) {
		score += 2
	}
	if namingAfter.MatchString(after) {
		score += 1.5
		// "PackRight Compostables — compostable cups…": a name opening
		// a sentence, then what it does.
		if sentenceStart(before) && dashAfter.MatchString(after) {
			score += 2
		}
	}
	// A sentence or line of its own: "Olu's Kitchen Events."
	if sentenceStart(before) && sentenceEnd(after) {
		score += 3
	}
	if noun {
		score += 2
	}
	if rare {
		score++
	}
	if owners {
		score += 1.5
	}
	if len(ws) >= 2 {
		score += 0.5
	}
	// Common words only, nothing around that says it is a name: a
	// description ("Restaurant Bookkeeping") more likely than a name; a
	// single word needs a cue.
	if !rare && !cued {
		score -= 2.5
	}
	spelled := false
	for _, d := range domains {
		if spells(c, d) {
			score += 4
			spelled = true
			break
		}
	}
	if len(ws) == 1 && !cued && !spelled {
		score -= 2
	}
	if from == "headline" || from == "signature" {
		score++
	}
	if _, ok := geo.Default().Lookup(c); ok && !noun || allPlaces(c) {
		score -= 5
	}
	if containsName(c, person) && !noun {
		score -= 3
	}
	return score
}

// allPlaces reports whether a phrase lists places only: "Mandurah &
// Rockingham", "London and New York".
func allPlaces(c string) bool {
	parts := placeList.Split(c, -1)
	if len(parts) < 2 && !compass.MatchString(c) && !placeSuffix.MatchString(c) {
		return false
	}
	known := 0
	isPlace := func(p string) bool {
		_, ok := geo.Default().Lookup(p)
		return ok || regionNames[strings.ToLower(p)]
	}
	for _, p := range parts {
		p = strings.TrimSpace(compass.ReplaceAllString(strings.TrimSpace(p), ""))
		switch {
		case isPlace(p) || isPlace(strings.TrimSpace(placeSuffix.ReplaceAllString(p, ""))):
			known++
		case businessNouns.MatchString(p) || len(strings.Fields(p)) > 2:
			return false // "Paris & Co", "Kessler Roofing & Gutters"
		}
	}
	// "Romandie and Basel": one place the gazetteer knows is enough.
	return known > 0
}

// placeSuffix ends a place's name: "Cebu City", "Harju County".
var placeSuffix = regexp.MustCompile(`(?i)\s+(?:city|county|region|province|state|metro|area|district|valley|coast)$`)

// compass opens a part of a place: "South East London", "Northern
// Ireland" stays whole in the gazetteer.
var compass = regexp.MustCompile(`(?i)^(?:(?:north|south|east|west|central|greater|inner|outer)(?:[ -](?:east|west))?\s+)+`)

// regionNames are regions and markets a reply names that the gazetteer
// of towns and states does not hold.
var regionNames = map[string]bool{"uk": true, "us": true, "usa": true, "eu": true, "europe": true, "asia": true, "africa": true,
	"apac": true, "emea": true, "latam": true, "nordics": true, "dach": true, "benelux": true, "mena": true, "gcc": true,
	"canada": true, "mexico": true, "ireland": true, "scandinavia": true, "oceania": true, "anz": true, "north america": true,
	"south america": true, "latin america": true, "middle east": true, "the uk": true, "the us": true, "the eu": true,
	// Countries: the gazetteer holds towns and states, not countries.
	"germany": true, "france": true, "spain": true, "italy": true, "portugal": true, "netherlands": true, "the netherlands": true,
	"belgium": true, "austria": true, "switzerland": true, "sweden": true, "norway": true, "denmark": true, "finland": true,
	"poland": true, "czechia": true, "greece": true, "turkey": true, "israel": true, "egypt": true, "morocco": true, "nigeria": true,
	"ghana": true, "kenya": true, "south africa": true, "india": true, "pakistan": true, "bangladesh": true, "sri lanka": true,
	"singapore": true, "malaysia": true, "indonesia": true, "philippines": true, "thailand": true, "vietnam": true, "japan": true,
	"china": true, "korea": true, "south korea": true, "taiwan": true, "hong kong": true, "australia": true, "new zealand": true,
	"brazil": true, "argentina": true, "chile": true, "colombia": true, "peru": true, "uae": true, "saudi arabia": true,
	"qatar": true, "scotland": true, "wales": true, "england": true, "northern ireland": true, "united states": true,
	"united kingdom": true, "america": true}

var placeList = regexp.MustCompile(`\s*(?:&|\band\b|,|/|\+)\s*`)

// startsWithOther reports whether a phrase opens with the name of someone
// else in the paste: "Elena Sokolova Harriet Osei" tags people.
func startsWithOther(c string, others map[string]bool) bool {
	ws := strings.Fields(normName(c))
	for k := 1; k < len(ws) && k <= 4; k++ {
		if others[strings.Join(ws[:k], " ")] {
			return true
		}
	}
	return false
}

// allWellKnown reports whether a phrase names only products and platforms
// ("HubSpot & Salesforce").
func allWellKnown(lower string) bool {
	if wellKnown[lower] {
		return true
	}
	seen := false
	for _, w := range strings.Fields(lower) {
		switch {
		case w == "&" || w == "and" || w == "/" || w == "+":
		case wellKnown[strings.Trim(w, ",.")]:
			seen = true
		default:
			return false
		}
	}
	return seen
}

// spells reports whether a name is written like a domain's stem: its
// letters are the stem's, or start it (the stem may add a place).
func spells(name, stem string) bool {
	n := norm(foldAccents(strings.ToLower(name)))
	s := norm(stem)
	if n == "" || s == "" {
		return false
	}
	return n == s || len(n) >= 5 && strings.HasPrefix(s, n) || len(s) >= 6 && strings.HasPrefix(n, s)
}

func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func sentenceStart(before string) bool {
	t := strings.TrimRight(before, " ")
	if r, _ := utf8.DecodeLastRuneInString(t); isEmoji(r) || r == '·' || r == '•' || r == '|' {
		return true
	}
	return t == "" || strings.HasSuffix(t, "\n") || strings.HasSuffix(t, ".") || strings.HasSuffix(t, "!") ||
		strings.HasSuffix(t, "?") || strings.HasSuffix(t, ":")
}

// inBrackets reports whether a phrase is all a pair of brackets holds
// ("(Pemberton Live)", "(Glow by Priyanka on insta)"), not one item of a
// list in them ("(NRR, CAC payback)").
func inBrackets(before, after string) bool {
	if !strings.HasSuffix(strings.TrimSpace(before), "(") {
		return false
	}
	return bracketEnd.MatchString(after)
}

var bracketEnd = regexp.MustCompile(`^[\s\p{So}\p{Sk}\x{FE0F}\x{200D}·]*(?:\s(?:on|at|via)\s(?:insta|ig|instagram|fb|facebook|tiktok|etsy|linkedin))?[\s\p{So}\x{FE0F}\x{200D}]*\)`)

func sentenceEnd(after string) bool {
	t := strings.TrimLeft(after, " ")
	if r, _ := utf8.DecodeRuneInString(t); isEmoji(r) || r == '·' || r == '•' || r == '|' {
		return true // an emoji stands between a name and what follows
	}
	return t == "" || strings.HasPrefix(t, "\n") || strings.HasPrefix(t, ".") || strings.HasPrefix(t, "!") || strings.HasPrefix(t, ")")
}

func isCamel(w string) bool {
	rs := []rune(w)
	for i := 1; i < len(rs); i++ {
		if unicode.IsUpper(rs[i]) && unicode.IsLower(rs[i-1]) {
			return true
		}
	}
	return false
}

func hasDigitLetter(w string) bool {
	d, l := false, false
	for _, r := range w {
		d = d || unicode.IsDigit(r)
		l = l || unicode.IsLetter(r)
	}
	return d && l
}

// isFirstName reports whether w is a word of the person's name: a name is
// rare in a word list but no sign of a business.
func isFirstName(w, person string) bool {
	for _, p := range strings.Fields(strings.ToLower(person)) {
		if p == w {
			return true
		}
	}
	return false
}

// containsName reports whether a phrase holds the person's whole name
// ("Maya Patterson Photography" does; it also ends in a business noun).
func containsName(c, person string) bool {
	return person != "" && strings.Contains(normName(c), normName(person))
}

// cutBusiness ends a name at words that start a clause: "Kessler Roofing
// We fix…" -> "Kessler Roofing".
func cutBusiness(b string) string {
	ws := strings.Fields(b)
	for i, w := range ws {
		if i == 0 {
			continue
		}
		switch strings.ToLower(strings.Trim(w, ",.")) {
		case "we", "i", "our", "my", "in", "is", "are", "has", "have", "based", "here", "where", "who", "which", "helps", "help", "does", "do", "offers", "provides":
			return strings.Join(ws[:i], " ")
		}
	}
	return b
}

// plausibleBusiness reports whether a phrase can be a business's name.
func plausibleBusiness(b, person string) bool {
	if b == "" || utf8.RuneCountInString(b) > 60 || utf8.RuneCountInString(b) < 2 {
		return false
	}
	rest := b
	if r, ok := strings.CutPrefix(b, "The "); ok && r != "" {
		rest = r // "The Feed Bin"
	}
	if sameName(b, person) || commonPhrase(rest) {
		return false
	}
	switch strings.ToLower(strings.Fields(b)[0]) {
	case "i", "we", "you", "they", "he", "she", "it", "a", "an", "my", "our", "your", "this", "that", "there", "here", "hi", "hello", "hey",
		"looking", "want", "wants", "need", "needs", "would", "happy", "open", "ideal", "also", "plus", "and", "or", "but", "so", "if", "when":
		return false
	}
	r, _ := utf8.DecodeRuneInString(b)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// titleWords are words of a job title: a phrase made only of them names
// no business.
var titleWords = regexp.MustCompile(`(?i)^(?:(?:co-?)?founder|owner|ceo|cto|coo|cfo|cmo|md|managing|director|partner|principal|head|of|lead|president|vp|vice|consultant|freelance|freelancer|fractional|manager|senior|junior|chief|officer|executive|specialist|advisor|adviser|coach|mentor|strategist|designer|developer|engineer|architect|photographer|writer|editor|marketer|fixer|coordinator|scout|teacher|tutor|counsellor|counselor|nurse|doctor|dentist|stylist|artist|chef|cleaner|driver|instructor|facilitator|producer|translator|interpreter|accountant|bookkeeper|broker|agent|realtor|attorney|lawyer|solicitor|therapist|trainer|planner|creative|independent|self-employed|sales|rep|representative|associate|assistant|admin|administrator|coordinator|operations|ops|account|business|development|service|services|marketing|finance|hr|people|talent|growth|product|project|program|programme|community|content|brand|ex-vp|ex|former|&|and|/|,|the|a|an|at|in|for|i|\||-|—|–|cpa|mba|phd|dds|dmd|rdh|lac|lmt|rn|cpdt-ka|esq|master|licensed|certified|lab)$`)

func onlyTitle(s string) bool {
	ws := strings.Fields(strings.ToLower(s))
	if len(ws) == 0 {
		return false
	}
	// "Line Producer & Fixer": roles joined, each ending in a title.
	if parts := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == '&' || r == '/' || r == '+' }); len(parts) > 1 {
		all := true
		for _, p := range parts {
			f := strings.Fields(p)
			if len(f) == 0 || !titleWords.MatchString(strings.Trim(f[len(f)-1], ",.()")) {
				all = false
			}
		}
		if all {
			return true
		}
	}
	for _, w := range ws {
		if !titleWords.MatchString(strings.Trim(w, ",.()")) {
			return false
		}
	}
	return true
}

// acronym is a short all-capitals word, perhaps with a number.
var acronym = regexp.MustCompile(`^\p{Lu}{2,5}(?:\s\d{1,2})?$`)

// spellsAny reports whether a name is spelled by one of the domains.
func spellsAny(name string, domains []string) bool {
	for _, d := range domains {
		if spells(name, d) {
			return true
		}
	}
	return false
}

// languages a reply says it works in, which a name-like phrase can be.
var languages = map[string]bool{"english": true, "french": true, "spanish": true, "german": true, "italian": true,
	"portuguese": true, "dutch": true, "arabic": true, "amazigh": true, "berber": true, "darija": true, "turkish": true,
	"russian": true, "ukrainian": true, "polish": true, "romanian": true, "greek": true, "hebrew": true, "hindi": true,
	"urdu": true, "punjabi": true, "bengali": true, "tamil": true, "mandarin": true, "cantonese": true, "chinese": true,
	"japanese": true, "korean": true, "vietnamese": true, "thai": true, "tagalog": true, "filipino": true, "swahili": true,
	"yoruba": true, "igbo": true, "hausa": true, "amharic": true, "farsi": true, "persian": true, "dari": true, "pashto": true,
	"catalan": true, "basque": true, "galician": true, "swedish": true, "norwegian": true, "danish": true, "finnish": true,
	"estonian": true, "latvian": true, "lithuanian": true, "czech": true, "slovak": true, "hungarian": true, "croatian": true,
	"serbian": true, "bulgarian": true, "afrikaans": true, "zulu": true, "xhosa": true, "malay": true, "indonesian": true}

// onlyLanguages reports a phrase that lists languages: "Amazigh and French".
func onlyLanguages(lower string) bool {
	n := 0
	for _, w := range strings.FieldsFunc(lower, func(r rune) bool { return r == ' ' || r == ',' || r == '/' || r == '&' }) {
		switch {
		case languages[w]:
			n++
		case w != "and" && w != "or":
			return false
		}
	}
	return n > 0
}

// headlineParts splits a headline or signature line into its parts, and
// the parts after a title ("Owner, Kessler Roofing" -> "Kessler Roofing").
func headlineParts(h string) []string {
	var out []string
	for _, seg := range strings.FieldsFunc(h, func(r rune) bool { return r == '|' || r == '•' || r == '·' }) {
		seg = strings.TrimSpace(seg)
		out = append(out, seg)
		for _, sep := range []string{" at ", " @ ", "@", ", ", " - ", " — ", " – ", " of ", " en ", " em ", " chez ", " bei ", " presso ", " na ", " w "} {
			if title, after, ok := strings.Cut(seg, sep); ok && onlyTitle(title) {
				out = append(out, strings.TrimSpace(after))
			}
		}
	}
	return out
}

// businessNouns end many businesses' names: "Co", "Studio", "Roofing".
var businessNouns = regexp.MustCompile(`(?i)\b(?:co|company|inc|llc|ltd|limited|gmbh|studio|studios|agency|group|partners|associates|consulting|consultancy|solutions|services|labs?|works|collective|cooperative|co-op|bakery|roasters|coffee|kitchen|catering|caterers|events|media|digital|design|designs|creative|marketing|law|legal|accounting|accountants|cpas?|bookkeeping|tax|dental|clinic|physio|therapy|fitness|yoga|gym|salon|spa|barbers?|florist|flowers|floral|farms?|gardens?|landscaping|roofing|plumbing|electric|electrical|hvac|heating|builders|construction|cleaning|cleaners|movers|removals|realty|properties|homes|insurance|financial|wealth|capital|ventures|tech|technologies|software|systems|analytics|academy|school|tutoring|photography|photo|films|productions|press|print|printing|signs|supply|supplies|logistics|transport|freight|travel|tours|pets?|vets?|veterinary|grooming|walking|sitting|training|boutique|shop|store|market|brewing|brewery|winery|distillery|foods|provisions|interiors|architecture|architects|engineering|surveyors|security|care|health|wellness|nutrition|coaching|hr|recruitment|staffing|talent|translations?|games|3pl|qa|3d|lounge|rental|rentals|upholstery|cabinetry|advisory|distributors|entertainment)\.?$`)
