package thread

import (
	"math"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/matchmaker/matchmaker/match/lexicon"
)

// Websites and the names domains spell: "we're brightpathplumbing.com"
// is Brightpath Plumbing.

var (
	emailPattern = regexp.MustCompile(`(?i)\b[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b`)
	urlPattern   = regexp.MustCompile(`(?i)\bhttps?://[^\s,;)<>"'\]]+|\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s,;)<>"'\]]*`)
	// A bare domain: "brightpathplumbing.com", "northlight.studio".
	bareDomain = regexp.MustCompile(`(?i)(?:^|[^\w@./-])((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:` + tlds + `))(/[^\s,;)<>"'\]]*)?(?:$|[^\w@-])`)
)

// namedDomain is a domain of any ending where the text marks it as a
// site: in brackets after a name, or after "website:", "visit".
var namedDomain = regexp.MustCompile(`(?i)(?:\(\s*|\b(?:website|web|site|url|visit|find (?:us|me) at)\s*:?\s+)((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,18})(?:\s*\)|[\s,;.!]|$)`)

// tlds are the top-level domains a bare domain is recognised by: the
// common generic and country ones, and the word-like ones small businesses
// choose.
const tlds = `com|net|org|[a-z]{2}|` +
	`studio|design|agency|dev|app|ai|biz|info|me|tv|fm|xyz|online|site|store|shop|tech|cloud|digital|media|photography|photo|pics|art|gallery|` +
	`coffee|cafe|restaurant|bar|pub|wine|beer|bakery|pizza|kitchen|food|farm|garden|flowers|florist|health|care|clinic|dental|fitness|yoga|life|family|` +
	`kids|education|school|academy|law|legal|finance|money|tax|accountant|consulting|solutions|services|support|systems|works|tools|software|page|blog|news|` +
	`events|live|world|global|city|london|nyc|berlin|paris|amsterdam|build|builders|construction|plumbing|repair|cleaning|homes|house|realty|properties|` +
	`vet|pet|dog|coach|training|fit|bike|travel|tours|wedding|photos|film|music|band|video|marketing|partners|ventures|capital|fund|energy|green|eco|` +
	`email|team|group|company|ltd|llc|inc|one|pro|club|guru|expert|social|community|network|space|zone|land|place|center|centre|institute|foundation|charity|` +
	`ngo|studio|games|game|golf|auto|cars|car|boats|yachts|hair|beauty|salon|spa|skin|makeup|fashion|style|jewelry|shoes|furniture|lighting|plus|house|org\.uk|co\.uk|com\.au`

// Domains that are not a business's own site.
var notOwnSite = map[string]bool{"linkedin.com": true, "lnkd.in": true, "facebook.com": true, "fb.com": true, "fb.me": true,
	"instagram.com": true, "x.com": true, "twitter.com": true, "t.co": true, "tiktok.com": true, "youtube.com": true,
	"youtu.be": true, "calendly.com": true, "cal.com": true, "zoom.us": true, "bit.ly": true, "tinyurl.com": true,
	"linktr.ee": true, "gmail.com": true, "google.com": true, "docs.google.com": true, "forms.gle": true, "wa.me": true,
	"threads.net": true, "medium.com": true, "substack.com": true, "eventbrite.com": true, "meetup.com": true, "discord.gg": true,
	"slack.com": true, "notion.so": true, "typeform.com": true}

// profileHosts hold a business's page under its own path
// ("vimeo.com/jakesorensen"): a site, but no name to read from the domain.
var profileHosts = map[string]bool{"vimeo.com": true, "etsy.com": true, "behance.net": true, "dribbble.com": true, "github.com": true,
	"medium.com": true, "substack.com": true, "wixsite.com": true, "squarespace.com": true, "carrd.co": true, "square.site": true,
	"myshopify.com": true, "wordpress.com": true, "blogspot.com": true, "gumroad.com": true, "patreon.com": true, "ko-fi.com": true,
	"bandcamp.com": true, "soundcloud.com": true, "houzz.com": true, "yelp.com": true, "thumbtack.com": true, "upwork.com": true,
	"fiverr.com": true, "airbnb.com": true, "booksy.com": true, "vagaro.com": true, "mindbodyonline.com": true, "itch.io": true}

// findWebsite returns the first site in text that is a business's own,
// as "https://host/path", or "".
func findWebsite(text string) string {
	type hit struct {
		at  int
		url string
	}
	var hits []hit
	for _, loc := range urlPattern.FindAllStringIndex(text, -1) {
		hits = append(hits, hit{loc[0], text[loc[0]:loc[1]]})
	}
	for _, m := range bareDomain.FindAllStringSubmatchIndex(text, -1) {
		u := text[m[2]:m[3]]
		if m[4] >= 0 {
			u += text[m[4]:m[5]]
		}
		hits = append(hits, hit{m[2], u})
	}
	// Any ending, when the text says it is a site: "(afterword.memorial)",
	// "site: northwind.coffee".
	for _, m := range namedDomain.FindAllStringSubmatchIndex(text, -1) {
		hits = append(hits, hit{m[2], text[m[2]:m[3]]})
	}
	best, bestAt := "", len(text)+1
	for _, h := range hits {
		if h.at >= bestAt {
			continue
		}
		if u := normalizeSite(h.url); u != "" {
			best, bestAt = u, h.at
		}
	}
	return best
}

// normalizeSite returns a site as "https://host/path", lower-case host,
// no "www.", no trailing punctuation; "" when it is not a business's own.
func normalizeSite(u string) string {
	u = strings.TrimRight(u, ".,;:!?)]}'\"…")
	lower := strings.ToLower(u)
	for _, p := range []string{"https://", "http://"} {
		if strings.HasPrefix(lower, p) {
			u, lower = u[len(p):], lower[len(p):]
		}
	}
	host, path, _ := strings.Cut(u, "/")
	host = strings.TrimPrefix(strings.ToLower(host), "www.")
	if host == "" || !strings.Contains(host, ".") || emailPattern.MatchString(u) {
		return ""
	}
	for d := range notOwnSite {
		if host == d || strings.HasSuffix(host, "."+d) {
			return ""
		}
	}
	path = strings.TrimRight(path, "/")
	if path != "" {
		return "https://" + host + "/" + path
	}
	return "https://" + host
}

// webmail domains say nothing of the business.
var webmail = map[string]bool{"gmail.com": true, "googlemail.com": true, "yahoo.com": true, "yahoo.co.uk": true, "ymail.com": true,
	"outlook.com": true, "hotmail.com": true, "hotmail.co.uk": true, "live.com": true, "msn.com": true, "icloud.com": true,
	"me.com": true, "mac.com": true, "aol.com": true, "proton.me": true, "protonmail.com": true, "gmx.com": true, "gmx.de": true,
	"mail.com": true, "zoho.com": true, "fastmail.com": true, "hey.com": true, "btinternet.com": true, "sky.com": true,
	"comcast.net": true, "verizon.net": true, "att.net": true, "web.de": true, "orange.fr": true, "free.fr": true, "qq.com": true}

// domainOf returns the registrable part of a site's or address's host,
// without "www.": "kessler.co.uk" of "https://www.kessler.co.uk/roofs".
func domainOf(s string) string {
	s = strings.ToLower(s)
	if _, after, ok := strings.Cut(s, "@"); ok {
		s = after
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	host, _, _ := strings.Cut(s, "/")
	return strings.TrimPrefix(host, "www.")
}

// stemOf returns a domain's name part: "brightpathplumbing" of
// "brightpathplumbing.com", "northlight studio" of "northlight.studio"
// (a word-like ending is part of the name).
func stemOf(domain string) string {
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return ""
	}
	// Drop country second levels: "kessler.co.uk".
	tail := labels[len(labels)-1]
	rest := labels[:len(labels)-1]
	if len(rest) >= 2 && (rest[len(rest)-1] == "co" || rest[len(rest)-1] == "com" || rest[len(rest)-1] == "org") && len(tail) == 2 {
		rest = rest[:len(rest)-1]
	}
	name := rest[len(rest)-1]
	if wordTLD[tail] {
		name += " " + tail
	}
	return name
}

// wordTLD are endings that read as part of a name: "northlight.studio".
var wordTLD = map[string]bool{"studio": true, "design": true, "agency": true, "photography": true, "coffee": true, "bakery": true,
	"law": true, "dental": true, "clinic": true, "consulting": true, "fitness": true, "yoga": true, "florist": true, "kitchen": true,
	"farm": true, "garden": true, "media": true, "digital": true, "films": true, "film": true, "music": true, "plumbing": true,
	"cleaning": true, "travel": true, "tours": true, "coach": true, "academy": true, "vet": true, "salon": true, "spa": true, "builders": true,
	"marketing": true, "partners": true, "ventures": true, "capital": true, "gallery": true, "repair": true, "realty": true}

// nameFromDomain makes a business name of a domain: its words found
// (brightpathplumbing -> Brightpath Plumbing, by the commonest English
// words), written as the text writes them when it does.
func nameFromDomain(domain, text string) string {
	for h := range profileHosts {
		if domain == h || strings.HasSuffix(domain, "."+h) {
			return ""
		}
	}
	stem := stemOf(domain)
	if stem == "" {
		return ""
	}
	var parts []string
	for _, chunk := range strings.FieldsFunc(stem, func(r rune) bool { return r == '-' || r == ' ' || r == '_' }) {
		parts = append(parts, segmentWords(chunk)...)
	}
	if len(parts) == 0 {
		return ""
	}
	if found := spelledInText(parts, text); found != "" {
		return found
	}
	for i, p := range parts {
		parts[i] = titleWord(p)
	}
	return strings.Join(parts, " ")
}

// segmentWords splits run-together words by the commonest English words:
// "kesslerroofing" -> kessler roofing; a run with no reading stays whole.
func segmentWords(s string) []string {
	s = strings.ToLower(s)
	n := len(s)
	if n <= 3 || !isASCIIWord(s) {
		return []string{s}
	}
	words := lexicon.DefaultWords()
	// cost[i] is the least cost of reading s[:i]; a word costs the log of
	// its rank, an unknown piece far more by its length.
	cost := make([]float64, n+1)
	back := make([]int, n+1)
	for i := 1; i <= n; i++ {
		cost[i] = math.Inf(1)
		for j := max(0, i-24); j < i; j++ {
			piece := s[j:i]
			c := pieceCost(words, piece)
			if cost[j]+c < cost[i] {
				cost[i], back[i] = cost[j]+c, j
			}
		}
	}
	var out []string
	for i := n; i > 0; i = back[i] {
		out = append([]string{s[back[i]:i]}, out...)
	}
	// Glue unknown single letters back to a neighbour.
	var glued []string
	for _, w := range out {
		if len(glued) > 0 && (len(w) == 1 && w != "a" || len(glued[len(glued)-1]) == 1 && glued[len(glued)-1] != "a") {
			glued[len(glued)-1] += w
			continue
		}
		glued = append(glued, w)
	}
	return glued
}

// wordRank is how common an English word is (0 the commonest), and
// whether it is known.
func wordRank(w string) (int, bool) { return lexicon.DefaultWords().Rank(w) }

func pieceCost(words *lexicon.Words, piece string) float64 {
	if rank, ok := words.Rank(piece); ok && (len(piece) > 1 || piece == "a") {
		return math.Log(float64(rank)+50) + 4
	}
	return 14 + 3*float64(len(piece))
}

func isASCIIWord(s string) bool {
	for _, r := range s {
		if r > unicode.MaxASCII || !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// capsAfter is up to three capitalised words (or "& Gutters") after a name.
var capsAfter = regexp.MustCompile(`^(?:\s+(?:&|and)\s+\p{Lu}[\p{L}'’-]*|\s+\p{Lu}[\p{L}'’-]*){0,3}`)

// spelledInText finds the words of a domain written in the text as a name
// ("BrightPath Plumbing", "Kessler Roofing & Gutters"), and returns it as
// written, with any "& Gutters" that follows.
func spelledInText(parts []string, text string) string {
	joined := strings.Join(parts, "")
	var pattern strings.Builder
	pattern.WriteString(`(?i)\b`)
	for i, c := range joined {
		if i > 0 {
			pattern.WriteString(`[\s'’.-]?`)
		}
		pattern.WriteString(regexp.QuoteMeta(string(c)))
	}
	pattern.WriteString(`\b`)
	re, err := regexp.Compile(pattern.String())
	if err != nil {
		return ""
	}
	for _, loc := range re.FindAllStringIndex(text, -1) {
		found := text[loc[0]:loc[1]]
		if r, _ := utf8.DecodeRuneInString(found); !unicode.IsUpper(r) || strings.Contains(found, ".") {
			continue
		}
		// Carry on over "& Gutters", "Co", "Studio": capitalised words
		// that follow.
		if m := capsAfter.FindString(text[loc[1]:]); m != "" {
			found += strings.TrimRight(m, " ")
		}
		return trimBusiness(found)
	}
	return ""
}

func titleWord(w string) string {
	if w == "" {
		return w
	}
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[n:]
}

// "we're brightpathplumbing.com": a business named by its domain.
var domainIntro = regexp.MustCompile(`(?i)\b(?:we'?re|we are|i'?m with|i'?m from|this is|here from|from|at)\s+((?:[a-z0-9-]+\.)+(?:` + tlds + `))\b`)
