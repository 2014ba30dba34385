package thread

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/matchmaker/matchmaker/match/geo"
)

// The lane a reply asks for, and the area it serves.

// commissionTerms is a commission as referral terms: with a rate, a
// payer or what it is paid on ("10% commission", "commission on sales"),
// not an artist's commissions.
const commissionTerms = `(?:\d+(?:\.\d)?\s?%\s+(?:\w+\s+)?|referral |affiliate |recurring |finder'?s |sales )commissions?|commissions?\s+(?:on|for|per|of|both ways|basis|based|structure|split|paid|to)\b|(?:pay|pays|paying|earn|earning|offer|offering|give|giving|get|share|sharing|split|splitting)\s+(?:a\s+)?(?:\w+\s+)?commissions?|commission[- ]based|commission-only|on commission`

// percentTerms is a share paid on a sale: "10% of the first 3 months",
// "10% on anything we close", "10% for first booking" (not "95% of the
// US").
const percentTerms = `\d{1,2}(?:\.\d)?\s?%\s+(?:(?:of|on)\s+(?:the\s+)?(?:first|any|every|each|all|closed|net|gross|revenue|fees?|sales?|deals?|jobs?|bookings?|what(?:ever)?|anything|invoices?|contracts?|profits?|projects?|orders?|referr\w*|signed|their|your|our|year|month|loan|loans|premiums?|policy|policies|(?:\w+ )?(?:value|amount|total|price|bill))|for\s+(?:the\s+)?(?:first|each|every|any|referr\w*|intros?|leads?|bookings?|clients?)|back|referral|commission|finder|both ways|each way|recurring|kickback|to\s+(?:[\w'’-]+\s+){0,3}?(?:who|that)\s+(?:brings?|refers?|sends?|introduces?|passes?|finds?)|(?:por|per|pro)\s+(?:reserva|venta|cliente|referido|booking|buchung|vente|prenotazione))`

var (
	referralCue = regexp.MustCompile(`(?i)` + moneyPer + `|\b(?:comiss(?:ão|ao|ões)|comisi(?:ón|ones)|referidos?|indicaç(?:ão|ões)|provize|provizi|prowizj\w*|komisyon\w*|komisi|jutalék\w*|provision(?:en)?|προμήθει\w*|referral fees?|referral (?:commissions?|bonus(?:es)?|partners?|partnerships?|programs?|programmes?|agreements?|swaps?|exchanges?|relationships?|arrangements?|deals?|network)|swap(?:ping)? referrals|trade referrals|trading referrals|pass(?:ing)? (?:each other )?referrals|send (?:each other )?referrals|refer(?:rals?)? (?:back and forth|both ways)|` + commissionTerms + `|rev(?:enue)?[ -]?shar(?:e|ing)|finder'?s fees?|affiliate|kickbacks?|(?:pay|pays|paying|offer|offers|offering|give|gives|giving)\s+(?:a\s+)?\d{1,2}(?:\.\d)?\s?%|` + percentTerms + `|(?:£|\$|€)\s?\d+\s+(?:per|a|for (?:each|every|any))\s+(?:referral|intro|introduction|lead|client|customer|booking|sale|signup|sign-up|job|project|deal|referred)|per (?:booking|job|client|lead|sale|deal) (?:referred|sent|closed|booked)|per (?:referral|closed deal|signed client)|(?:cut|share) of (?:the )?(?:deal|sale|revenue|fee)|(?:anyone|whoever|anybody) (?:who )?refers|spotter'?s fees?|referral (?:rewards?|gifts?|credits?)|per referred|(?:reward|thank) (?:you )?for (?:every|each|any) referral)`)
	// moneyPer is an amount paid for each referral: "$300 per install",
	// "SGD 100 per referred client", "£50 to anyone who refers", "R1,000
	// for every booking", "KES 10,000 per school signed".
	moneyPer     = `(?:[$£€₹¥₦]|\b(?:usd|us\$|aud|a\$|cad|c\$|nzd|sgd|s\$|eur|gbp|inr|rs\.?|kes|ksh|zar|r|ngn|ghs|aed|chf|sek|nok|dkk|pln|brl|mxn|php|myr|idr|jpy))\s?\d[\d,.]*\s?k?\s+(?:[\w'’-]+\s+){0,3}?(?:per|a|for (?:every|each|any)|to (?:anyone|whoever|anybody))\s|\d[\d ,.]*\s?(?:zł|zl|pln|mad|dh|lei|ron|kr|sek|nok|dkk|€|eur|euros?|dollars?|usd|£|gbp|chf|czk|kč|huf|ft|try|tl|₺|inr|rupees|naira|₦|ksh|kes|zar|rand|brl|reais|mxn|pesos?|yen|¥|aed|dirhams?|sar|riyals?)\s+(?:[\w'’-]+\s+){0,3}?(?:per|a|for (?:every|each|any)|to (?:anyone|whoever|anybody))\s|\b(?:pay|pays|paying|give|gives|giving|offer|offers|offering)\s+(?:[\w'’-]+\s+){0,2}\d{1,2}(?:\.\d)?\s?%`
	strategicCue = regexp.MustCompile(`(?i)\b(?:long[- ]term|longo prazo|largo plazo|long terme|langfristig|co-?market(?:ing)?|co-?host(?:ing|ed)?|co-?brand(?:ed|ing)?|co-?creat(?:e|ing|ion)|co-?sell(?:ing)?|co-?develop|white[- ]?label(?:ed|ing)?|bundl(?:e|ing)\s+(?:with|our|your|their|it|them|together|up|services|offers?|packages?|plans?|(?:a|an|the)\s)|bundled (?:[\w-]+ ){0,2}(?:offers?|packages?|services?|plans?|deals?|products?)|bundl(?:e|ing)\s+(?:[\w-]+\s+){0,3}(?:into|with|together)\b|(?:a|our|your|joint|the) bundle\b|bundle deals?|` +
		`joint (?:[\w-]+ )?(?:stacks?|pitch(?:es)?|launch(?:es)?|offers?|packages?|ventures?|webinars?|workshops?|events?|campaigns?|proposals?|products?|services?|bids?|programs?|programmes?|solutions?|content|tenders?|projects?|series|sessions?|promotions?|marketing|listings?)|joint (?:offers?|packages?|ventures?|webinars?|workshops?|events?|campaigns?|proposals?|products?|services?|bids?|programs?|programmes?|solutions?|content|pitch(?:es)?|tenders?|projects?|series|sessions?|promotions?|marketing|listings?)|strategic(?:ally)?|integration partners?|integrate (?:with|into) (?:your|their|our)|resell(?:er|ers|ing)?|package (?:our|together|up)|team(?:ing)? up|collaborat(?:e|ion) on|ongoing partnership|deeper partnership|partner on (?:projects|clients|deals)|(?:build|create|design|launch|put together|offer) (?:a |an )?(?:joint|combined|shared)|add-?on|under (?:our|your|their) (?:own )?brand|(?:quarterly|shared) goals|` +
		`co-(?:bid|deliver|host|create|sell|market|brand|author|teach|run|organi[sz]e|present|produce|design|develop|invest|write|lead|sponsor|build|fund|locate|operate|curate|promote|exhibit|pitch|design)\w*|integrat(?:e|ing) (?:us|our|your|their|it|them|with|into)|joint\s+["“']?[^"”'\n]{1,30}["”']?\s+(?:package|offer|event|day|workshop|bundle|service|launch|campaign)s?|for (?:a )?long time|long[- ]?time partners?|(?:make|do|offer|sell|build) (?:it |them )?together|package [\w -]{1,40} together|as one (?:offer|package|service)|preferred[- ]supplier|revenue[- ]shar\w* (?:on|from) (?:a )?(?:joint|shared))\b`)
	// eitherCue says both lanes suit them: "either works", "whatever
	// works", "open to both".
	eitherCue = regexp.MustCompile(`(?i)\b(?:either (?:works|is fine|is ok|is okay|is good|suits|way|lane|one)|whatever works|open to (?:both|either|anything)|both (?:work|are fine|suit|lanes)|happy with either|or (?:a )?(?:bigger|deeper|longer[- ]term|more strategic|proper) partnership)\b|^\s*(?:both|either)\b`)
	// Answers to "would you pay or accept a referral fee?", in the
	// languages forms are often answered in.
	yesRe = regexp.MustCompile(`(?i)^(?:yes|yep|yeah|sure|absolutely|definitely|of course|happy to|open to (?:it|both|that)|y|sim|sí|si|oui|ja|tak|da|claro|com certeza)\b`)
	noRe  = regexp.MustCompile(`(?i)^(?:no|nope|not really|not at the moment|prefer not|n|não|nao|non|nein|nie|nee)\b`)
)

// laneOf reads the lane from what a reply says: fees and commissions mean
// referral; long-term, co-marketing, bundles, white-label mean strategic;
// both or neither, either. answer is set when the text answers a question
// about referral fees, where a plain "yes" means referral.
func laneOf(text string, answer bool) string {
	if lane, _, ok := namedLane(strings.TrimSpace(text)); answer && ok {
		if lane == laneBoth {
			return LaneEither
		}
		return lane
	}
	ref, strat := laneSignals(text)
	if answer && !ref && !strat {
		t := strings.TrimSpace(text)
		switch {
		case yesRe.MatchString(t):
			return LaneReferral
		case noRe.MatchString(t):
			return LaneEither
		}
	}
	switch {
	case ref && !strat:
		return LaneReferral
	case strat && !ref:
		return LaneStrategic
	}
	return LaneEither
}

// namedLane reads an answer that opens with a lane's name ("Referral —
// 10% on décor hire", "Strategic.", "Both, whatever works"): the lane,
// laneBoth when both or either are named ("Referral, Strategic"), and how
// much of the text the naming takes.
func namedLane(text string) (lane string, n int, ok bool) {
	m := laneAnswer.FindStringSubmatch(text)
	if m == nil {
		return "", 0, false
	}
	first := strings.ToLower(clauseEnd.Split(text, 2)[0])
	switch strings.ToLower(m[1]) {
	case "referral", "referrals":
		if !strings.Contains(first, "strategic") {
			return LaneReferral, len(m[0]), true
		}
	case "strategic":
		if !strings.Contains(first, "referral") {
			return LaneStrategic, len(m[0]), true
		}
	}
	return laneBoth, len(m[0]), true
}

// clauseEnd ends the clause a lane is named in.
var clauseEnd = regexp.MustCompile(`[.!?;\n—–]`)

// laneSignals reports whether a text asks for referral terms, and for a
// strategic partnership. A cue said not to apply ("we can't pay referral
// fees", "no commissions") does not count.
func laneSignals(text string) (referral, strategic bool) {
	if eitherCue.MatchString(text) {
		return true, true // both suit them: either lane
	}
	for _, loc := range referralCue.FindAllStringIndex(text, -1) {
		if !negated(text[:loc[0]]) {
			referral = true
		}
	}
	for _, loc := range strategicCue.FindAllStringIndex(text, -1) {
		if !negated(text[:loc[0]]) {
			strategic = true
		}
	}
	return referral, strategic
}

// negation before a cue in its own clause: "we don't really do", "can't
// pay", "no".
var negation = regexp.MustCompile(`(?i)\b(?:don'?t|do not|doesn'?t|does not|can'?t|cannot|can not|won'?t|will not|not|never|no|isn'?t|aren'?t|without|nor|zero)\s+(?:[\w'’-]+\s+){0,3}$`)

func negated(before string) bool {
	if i := strings.LastIndexAny(before, ".;!?|\n"); i >= 0 {
		before = before[i+1:]
	}
	if len(before) > 60 {
		before = before[len(before)-60:]
	}
	return negation.MatchString(before)
}

var (
	// "serving the Denver metro", "based in Leeds", "anywhere in the UK".
	areaCue    = regexp.MustCompile(`(?i:\b(?:serv(?:e|es|ing)|cover(?:s|ing)?|based (?:in|out of)|located in|operat(?:e|es|ing) in|work(?:s|ing)? (?:in|across|throughout|around)|(?:all )?across|throughout|anywhere in|all over|in and around|around|within|in)\s+)((?:the\s+)?(?:greater\s+|Greater\s+)?\p{Lu}(?:\p{L}?\.|[\p{L}'’-]*)(?:(?:\s*(?:,|/|&|and)\s*|\s+)(?:the\s+)?\p{Lu}(?:\p{L}?\.|[\p{L}'’-]*)){0,4}(?:\s+(?i:metro(?:politan)?(?: area)?|area|region|county|counties|valley|bay area|coast|shire|suburbs|and (?:the )?surrounding (?:areas?|counties|towns)|and beyond))?)`)
	onlineRe   = regexp.MustCompile(`(?i)\b(?:(?:fully |100% |entirely |all )?(?:remote(?:ly)?|online|virtual(?:ly)?)(?: only)?|worldwide|world-wide|nationwide|nation-wide|globally|anywhere(?: in the world)?|across the (?:us|u\.s\.|uk|country|world)|all over the (?:us|uk|country|world)|(?:us|uk|eu)-wide)\b`)
	regionWord = regexp.MustCompile(`(?i)\b(?:metro|area|region|county|counties|valley|coast|shire|suburbs|surrounding)\b`)
)

// areaOf returns the area a text says the business serves: "remote" when
// it works online or anywhere, else as written, a place the gazetteer
// knows or a named region after a cue ("serving the Tri-County area").
func areaOf(text string) string {
	// A business that works online is "remote"; with a place it names
	// ("Milan + remote") it also works there in person.
	place := placeOf(text)
	switch online := onlineRe.MatchString(text); {
	case online && place != "":
		return place + " + remote"
	case online:
		return "remote"
	}
	return place
}

// closingLine is a comment's last line when it only names places, the
// way people sign off a reply with where they work: "Krvavec and Vogel.",
// "Slovenia, Croatia and Bosnia and Herzegovina."
var closingLine = regexp.MustCompile(`^(?:the\s+)?\p{Lu}[\p{L}'’.-]*(?:\s+(?:\p{Lu}[\p{L}'’.-]*|of|de|del|la|na|di))*(?:(?:\s*,\s*|\s+(?:and|&|y|i|e|und|et|ve|dan)\s+)(?:the\s+)?\p{Lu}[\p{L}'’.-]*(?:\s+(?:\p{Lu}[\p{L}'’.-]*|of|de|del|la|na|di))*)+\.?$`)

// closingPlaces returns the places a comment's closing line names, or "".
func closingPlaces(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if len(lines) < 2 || len(strings.Fields(last)) > 10 || !closingLine.MatchString(last) {
		return ""
	}
	return strings.TrimSuffix(last, ".")
}

// placeOf returns the place a text names after a cue, or a region.
func placeOf(text string) string {
	g := geo.Default()
	for _, m := range areaCue.FindAllStringSubmatch(text, -1) {
		a := strings.TrimRight(m[1], " ,.&/")
		a = strings.TrimPrefix(strings.TrimPrefix(a, "the "), "The ")
		if _, ok := g.Find(a, false); ok || regionWord.MatchString(a) {
			if notPlace(a) {
				continue
			}
			return extendPlaces(a, text)
		}
	}
	return placeFragment(text)
}

// extendPlaces carries a place on over the list it opens: "Bristol" of
// "Bristol, Bath, Weston" or "Smyrna + Marietta".
func extendPlaces(a, text string) string {
	i := strings.Index(text, a)
	if i < 0 {
		return a
	}
	if m := placeTail.FindString(text[i+len(a):]); m != "" {
		return a + strings.TrimRight(m, " ,.&/+")
	}
	return a
}

// placeTail is more places after one: ", Bath, Weston", " & Rockingham".
var placeTail = regexp.MustCompile(`^(?:\s*(?:,|/|&|\+|\band\b|\bplus\b)\s*(?:(?:north|south|east|west|northern|southern|eastern|western|central|greater|north-west|south-west|north-east|south-east)\s+)?\p{Lu}[\p{L}'’.-]*(?:\s\p{Lu}[\p{L}'’.-]*){0,2}){1,4}`)

// placeFragment finds a short fragment that only lists places, without
// a cue: "Bristol, Bath, Weston.", "Maharashtra + north Karnataka.",
// "Perth metro".
func placeFragment(text string) string {
	g := geo.Default()
	for _, f := range fragmentSplit.Split(text, -1) {
		f = strings.TrimSpace(strings.Trim(strings.TrimSpace(f), "()[]"))
		if f == "" || len(strings.Fields(f)) > 8 || onlineRe.MatchString(f) {
			continue
		}
		known, ok := 0, true
		for _, item := range placeList.Split(f, -1) {
			item = strings.TrimSpace(placeModifier.ReplaceAllString(strings.TrimSpace(item), ""))
			if item == "" {
				continue
			}
			if r, _ := utf8.DecodeRuneInString(item); !unicode.IsUpper(r) || len(strings.Fields(item)) > 3 {
				ok = false
				break
			}
			if _, found := g.Lookup(item); found {
				known++
			}
		}
		if ok && known > 0 && !notPlace(f) {
			return f
		}
	}
	return ""
}

var (
	// fragmentSplit cuts text where a list of places could stand alone.
	fragmentSplit = regexp.MustCompile(`[.!?;:\n|•·—–]\s+|[.!?]$|\n|\s[-—–]\s|[\x{1F300}-\x{1FAFF}\x{2600}-\x{27BF}]`)
	// placeModifier are words around a place name in a list.
	placeModifier = regexp.MustCompile(`(?i)^(?:(?:all of|across|based in|near|greater|north|south|east|west|northern|southern|eastern|western|central|upstate|downstate|inner|outer)\s+)+|\s+(?:metro|metro area|area|region|suburbs|and surrounds|surrounds|city|county|cbd)$`)
)

// notPlace reports phrases a place name can be mistaken in: "in Marketing",
// "in Q3".
func notPlace(a string) bool {
	switch strings.ToLower(strings.Fields(a)[0]) {
	case "marketing", "sales", "tech", "finance", "q1", "q2", "q3", "q4", "january", "february", "march", "april", "june", "july", "august",
		"september", "october", "november", "december", "spring", "summer", "autumn", "fall", "winter", "english", "spanish", "french",
		"german", "linkedin", "facebook", "instagram", "google", "shopify", "wordpress", "excel", "xero", "quickbooks", "i", "we":
		return true
	}
	return false
}
