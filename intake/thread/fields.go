package thread

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Reading what a reply says into the fields of a post: what they do (the
// offer), whom they want to meet (the seek), their customers, the lane and
// the area they serve. Numbered answers and labelled lines ("Looking for:
// …") go by their question; prose goes sentence by sentence.

var (
	seekCue = regexp.MustCompile(`(?i)(?:` +
		`\blooking (?:for\b|to (?:meet|connect with|partner with|find|work with|team up with|collaborate with|hear from|talk to|chat with|be introduced to|get introduced to))` +
		`|\bon the (?:lookout|hunt) for|\bseeking|\bsearch(?:ing)? (?:for )?(?:partners?|a |an |some )|\bin search of|\bhunting for` +
		`|\bhoping (?:to (?:find|meet|connect with|partner with|work with|hear from|team up with|get intros? to)|for)` +
		`|\b(?:would|i'?d|we'?d|she'?d|he'?d|they'?d)\s+(?:really |so |absolutely |also |definitely |especially |very much |much )?(?:love|like|welcome|appreciate|be (?:keen|happy|glad|open) to|be open to)\s+(?:to (?:meet|know|connect(?: with| w/)?|partner(?: \w+){0,3}? with|work with|hear from|hear about|find|talk to|chat with|team up with|collaborate with|be introduced to|get (?:intros?|introduced) to)|intros? (?:to|from|with)|an? intro(?:duction)? to|introductions? to|(?:a|an|some|more|any|your|local|to find)\b)` +
		`|\b(?:want|wanting|keen|eager|open|excited|happy|hoping|love|like)\s+to\s+(?:meet|connect|partner|team up|collaborate|work|swap referrals|trade referrals|find)(?:\s+[\w-]+){0,3}?\s+(?:with|w/)\s` +
		`|\b(?:wants?|wanting|keen|eager|open|excited|happy|glad|hopes|(?:he|she|they) would like|(?:he|she|they)'d like|is hoping|is keen) to (?:meet|find|hear from|pilot|trial|try out|source|hire|buy from)\b` +
		`|\b(?:i am|i'm|we are|we're)\s+looking\s+(?:(?:for|to)\s+)?(?:a |an |some |more )?(?:[\w-]+\s+){0,2}?(?:companies|company|firms?|agencies|agency|partners?|businesses|shops?|studios?|suppliers?|vendors?|clients?|people)\b` +
		`|\b\w+(?:\s\w+)?\s+(?:are\s+)?welcome to (?:contact|reach out|dm|message|get in touch)` +
		`|\band need(?:s)? (?:a|an|some|more|local|reliable|good)\s` +
		`|\b(?:tryna|trying to|wanna|want to|looking to|hoping to)\s+(?:link|connect|team|partner|collab)(?:\s+up)?\s+(?:with|w/|w)\s` +
		`|^(?:any(?:body|one)?)\b[^.!?]{0,40}?\b(?:send|refer|pass)\s+(?:me|us)\b` +
		`|^looking\s+(?:(?:for|to)\s+)?(?:a |an |some |more )?(?:[\w-]+\s+){0,2}?(?:companies|company|firms?|agencies|agency|partners?|businesses|shops?|studios?|suppliers?|vendors?|clients?|people|dealers?|distributors?|resellers?|installers?|retailers?|stockists?)\b` +
		`|\b(?:love|appreciate|welcome) (?:an? )?intros? to|\bintros? to|\bintroductions? to|\b(?:an )?intro to` +
		`|\b(?:my|our) (?:ideal|dream|perfect|best) (?:partners?|collaborators?|referral partners?|intros?)(?:\s+(?:are|is|would be|:))?` +
		`|\b(?:ideal|dream|perfect) (?:partners?|collaborators?|referral partners?)\s*(?:are|is|would be|:|=|—|-)` +
		`|\bwho (?:i|we)(?:'d| would)? (?:want|like|love|hope) to (?:meet|connect with|partner with)` +
		`|\bwould be great to (?:meet|connect with|partner with)` +
		`|\b(?:(?:i|we|she|he|they)\s+(?:also\s+|really\s+|mainly\s+|mostly\s+)?(?:need|needs|want|wants)|^(?:also\s+)?(?:needs?|wants?))\s+` +
		`|\b(?:she'?s|he'?s|they'?re|we'?re|i'?m|is|are)\s+(?:also\s+)?after\s` +
		`|\bcalling all|\bshout(?: out)? if you(?:'re| are)|\bif you(?:'re| are) (?:a|an)\s` +
		`|\b(?:any|all)\s+\w+(?:\s\w+)?\s+(?:out there|in the group|here)\b` +
		`)`)
	// "… would be a great fit", "… are my dream partners": the seek
	// before the cue.
	seekAfter   = regexp.MustCompile(`(?i)^(.{4,160}?)\s*(?:,\s*)?(?:would (?:be|make) (?:a |an |the )?(?:great|ideal|perfect|amazing|awesome|natural|good) (?:fits?|partners?|match(?:es)?|referral partners?)|are (?:my|our) (?:ideal|dream|perfect|best) (?:partners?|fits?|matches)|(?:[-—–,]\s*)?(?:let'?s (?:talk|connect|chat)|hit me up|get in touch|ping me|give me a shout|reach out|dm me|let me know|say hi|come say hi))\b`)
	customerCue = regexp.MustCompile(`(?i)(?:` +
		`\b(?:our|my) (?:ideal |typical |main |usual |favou?rite |best )?(?:clients?|customers?|buyers?|audience|clientele|patients?|guests?)\s+(?:are|is|include|tend to be|=|:|—|-)\s*(?:mostly|mainly|usually|typically|generally|primarily)?` +
		`|\bideal (?:client|customer|buyer|patient|guest)s?\s*(?:is|are|would be|:|=|—|-|for (?:us|me)(?: is| are)?)` +
		`|\b(?:we|i) (?:mostly |mainly |primarily |usually |typically |only |largely |mostly just )?(?:serve|work with|cater to|cater for|sell to|partner with|help|support|look after|specialise in helping|specialize in helping)\s` +
		`|\bclients? (?:are|include)\s|\bmost of (?:our|my) (?:clients|customers) are\s|\bwho (?:we|i) serve\s*:?|\bcustomers?\s*:|\bclients?\s*:|\baudience\s*:` +
		`)`)
	// Sentences that carry nothing of the offer: greetings, thanks,
	// calls to get in touch.
	fillerRe = regexp.MustCompile(`(?i)^(?:` +
		`hi|hey|hello|hiya|howdy|greetings|good (?:morning|afternoon|evening)|hi all|hey all|hi everyone|hello everyone|hey everyone|hi folks|hey folks|hi team|hey there|hi there|yo` +
		`|thanks?(?: so much| a lot| again)?(?: for .*)?|thank you(?: .*)?|great (?:idea|initiative|post|thread)(?: .*)?|love (?:this|it|the idea)(?: .*)?|what a (?:great|brilliant|fab|fun) (?:idea|initiative|thread)(?: .*)?|such a (?:great|good|fun) idea(?: .*)?|count me in(?: .*)?|i'?ll bite(?: .*)?|i'?m in(?: .*)?|happy to (?:play|join|jump in)(?: .*)?|here'?s (?:mine|me|my intro)|my intro|intro` +
		`|(?:feel free to|happy to|please) (?:reach out|dm|message|connect|chat|email|get in touch|say hi)(?: .*)?|(?:dm|message|email|ping|call) me(?: .*)?|reach out(?: .*)?|let'?s (?:connect|chat|talk)(?: .*)?|hit me up(?: .*)?|say hi(?: .*)?|drop me a (?:line|note|dm)(?: .*)?|(?:always )?happy to (?:help|chat|connect)(?: .*)?|(?:would )?love to (?:chat|hear from you|connect)\.?` +
		`|cheers|best|thanks all|ty|tia|🙏|👋|excited to (?:see|be here|connect)(?: .*)?|looking forward to (?:it|this|connecting|seeing)(?: .*)?|can'?t wait(?: .*)?` +
		`)[!.,:;)\s🙏👋😊🙂😀🙌✨🚀💪👍❤️]*$`)
	contactCue = regexp.MustCompile(`(?i)^(?:(?:website|site|web|email|e-mail|mail|contact|phone|tel|call|text|find (?:us|me)|visit|check (?:us|me) out|more (?:at|info)|details|links?|portfolio|book a call|calendar|dm)\s*(?:me|us)?\s*(?:at|on|:|-|—|here)?\s*)`)
	// "Happy to pay 10% …": the terms they offer, which say the lane.
	termsCue     = regexp.MustCompile(`(?i)` + moneyPer + `|\b(?:referral fees?|` + commissionTerms + `|rev(?:enue)?[ -]?share|finder'?s fees?|kickbacks?|affiliate|(?:pay|paying|offer|offering|give|giving)\s+(?:a\s+)?\d{1,2}(?:\.\d)?\s?%|` + percentTerms + `)`)
	leadingHedge = regexp.MustCompile(`(?i)^\s*(?:mostly|mainly|usually|typically|generally|primarily|largely|honestly|probably|i'?d say|definitely)\b[\s,:]*`)
	cueLead      = regexp.MustCompile(`(?i)^(?:calling all|if you(?:'re| are)|shout(?: out)? if you(?:'re| are))\s*`)
	// "I'm Priya from Loom & Lantern", "Hey all, Sam here from Northlight":
	// who they are, not what they do (the business is read from the
	// whole text).
	selfIntro = regexp.MustCompile(`^(?:(?i:hi|hey|hello|hiya|howdy|morning|evening)\b[^.!?]{0,25}?[,!—–-]\s*)?` +
		`(?:(?i:i'?m|i am|this is|my name is|it'?s|name'?s)\s+\p{Lu}[\p{L}'’.-]*(?:\s\p{Lu}[\p{L}'’.-]*){0,2}|\p{Lu}[\p{L}'’-]*(?:\s\p{Lu}[\p{L}'’-]*)?\s(?i:here))` +
		`(?:,?\s+(?i:(?:the\s+|a\s+)?(?:co-?founder|founder|owner|ceo|director|md|principal|partner|head)(?:\s+(?:&|and)\s+\w+)?))?` +
		`(?:,?\s+(?i:from|of|at|with|over at)\s+(?:\([^)]*\)|[^.!?(]){2,80})?[.!,:;)\s👋🙂😊]*$`)
	// A reply that begins with whom it answers: "@Marta …".
	leadingMention = regexp.MustCompile(`^(?:@|u/)[\p{L}0-9_.-]+(?:\s\p{Lu}[\p{L}'’-]+)?[\s,:—–-]*`)
)

// parts are the fields read from a reply's text, each with where it came
// from.
type parts struct {
	offer, seek, customers []string
	terms                  []string // what they offer partners: fees, swaps
	seekFromLabel          bool
	business, website      string
	email, area, lane      string
	name                   string
	from                   map[string]string
}

func (p *parts) set(field, value, from string) {
	if p.from == nil {
		p.from = map[string]string{}
	}
	switch field {
	case FieldOffer:
		p.offer = append(p.offer, value)
	case FieldSeek:
		p.seek = append(p.seek, value)
	case FieldCustomers:
		p.customers = append(p.customers, value)
	case FieldBusiness:
		if p.business != "" {
			return
		}
		p.business = value
	case FieldWebsite:
		if p.website != "" {
			return
		}
		p.website = value
	case FieldEmail:
		if p.email != "" {
			return
		}
		p.email = value
	case FieldArea:
		if p.area != "" {
			return
		}
		p.area = value
	case FieldLane:
		if p.lane != "" {
			return
		}
		p.lane = value
	case FieldName:
		if p.name != "" {
			return
		}
		p.name = value
	default:
		return
	}
	if _, ok := p.from[field]; !ok {
		p.from[field] = from
	}
}

// readText reads a reply's text into p: numbered answers by the host's
// questions (questions[n-1] is the field of answer n), labelled lines by
// their label, the rest sentence by sentence. hint, when set, is the field
// the whole text answers (a follow-up to the host's question).
func readText(text string, questions []string, hint string, p *parts) {
	text = strings.TrimSpace(leadingMention.ReplaceAllString(strings.TrimSpace(text), ""))
	if text == "" {
		return
	}
	if answers, pre := numberedAnswers(text); len(answers) >= 2 {
		readText(pre, nil, "", p)
		for n, a := range answers {
			field := ""
			if label, rest, ok := labelled(a); ok {
				field, a = label, rest
			} else if n < len(questions) && questions[n] != "" {
				field = questions[n]
			} else if n < len(defaultQuestions) {
				field = defaultQuestions[n]
			}
			// Lines after an answer's first are often free text: "4️⃣
			// site.com" then "We're looking for partners to co-host…".
			first, rest, _ := strings.Cut(strings.TrimSpace(a), "\n")
			if strings.TrimSpace(rest) != "" && (findSeekCue(rest) != nil || strategicCue.MatchString(rest) || termsCue.MatchString(rest)) {
				readAnswer(field, first, p)
				var lastSeek bool
				for _, u := range units(rest) {
					lastSeek = readSentence(u, lastSeek, p)
				}
				continue
			}
			readAnswer(field, a, p)
		}
		return
	}
	if hint != "" && findSeekCue(text) == nil && !customerCue.MatchString(text) {
		readAnswer(hint, text, p)
		return
	}
	var lastSeek bool
	for _, u := range units(text) {
		if label, rest, ok := labelled(u); ok {
			readAnswer(label, rest, p)
			lastSeek = label == FieldSeek
			continue
		}
		lastSeek = readSentence(u, lastSeek, p)
	}
}

// defaultQuestions are what numbered answers answer when the host's
// questions are not in the paste: the usual order of a call for partners.
var defaultQuestions = []string{FieldOffer, FieldSeek, FieldCustomers, FieldArea}

// readAnswer reads text that answers a known question.
func readAnswer(field, text string, p *parts) {
	text = strings.TrimSpace(text)
	if text == "" {
		return
	}
	// "Referral — 10% on décor hire", "Strategic.", "Both, whatever works":
	// an answer about the lane, whatever the question was taken to be.
	if lane, n, ok := namedLane(text); ok && field != FieldLane && words(text) <= 20 {
		p.set(FieldLane, lane, "comment")
		// What follows may say whom too: "Strategic. Looking for …".
		var lastSeek bool
		for _, u := range units(text[n:]) {
			lastSeek = readSentence(u, lastSeek, p)
		}
		return
	}
	switch field {
	case FieldOffer, fieldComment, fieldNotes, "":
		var lastSeek bool
		for _, u := range units(text) {
			lastSeek = readSentence(u, lastSeek, p)
		}
	case FieldSeek:
		p.set(FieldSeek, tidy(stripSeekCue(text)), "comment")
		p.seekFromLabel = true
	case FieldCustomers:
		p.set(FieldCustomers, tidy(leadingHedge.ReplaceAllString(stripCustomerCue(text), "")), "comment")
	case FieldArea:
		p.set(FieldArea, tidy(text), "comment")
	case FieldLane:
		p.set(FieldLane, laneOf(text, true), "comment")
		// "No fees, but I'd love to co-host a workshop with an
		// accountant": whom they want, too.
		if words(text) > 5 {
			var lastSeek bool
			for _, u := range units(text) {
				lastSeek = readSentence(u, lastSeek, p)
			}
		}
	case FieldWebsite:
		if w := findWebsite(text); w != "" {
			p.set(FieldWebsite, w, "comment")
		}
	case FieldEmail:
		if m := emailPattern.FindString(text); m != "" {
			p.set(FieldEmail, strings.ToLower(m), "comment")
		}
	case FieldBusiness, FieldName:
		name, business, _ := proseIntro(text + ":")
		switch {
		case business != "":
			p.set(FieldBusiness, business, "comment")
			p.set(FieldName, name, "comment")
		case utf8.RuneCountInString(text) <= 60 && !strings.ContainsAny(text, ".!?"):
			p.set(field, tidy(text), "comment")
		default:
			readAnswer(FieldOffer, text, p)
		}
	}
}

// readSentence files one sentence: a seek, customers, filler or terms
// left out, the rest the offer. lastSeek says the sentence before was a
// seek, which a sentence like "Especially …" carries on.
func readSentence(u string, lastSeek bool, p *parts) bool {
	u = strings.TrimSpace(u)
	bare := strings.TrimSpace(strings.Trim(u, "-•*–—✅👉→▪️· "))
	if bare == "" || fillerRe.MatchString(bare) || !hasLetters(bare) {
		return false
	}
	if contactOnly(bare) || selfIntro.MatchString(bare) {
		return false
	}
	// "We run plant parties, and I'd love to co-host them with a bar":
	// what they do, then whom they want, in one sentence.
	if loc := clauseTurn.FindStringIndex(bare); loc != nil && loc[0] >= 12 && findSeekCue(bare[:loc[0]]) == nil {
		readSentence(bare[:loc[0]], lastSeek, p)
		return readSentence(strings.TrimSpace(bare[loc[0]:]), false, p)
	}
	if loc := findSeekCue(bare); loc != nil {
		before, after := strings.TrimSpace(bare[:loc[0]]), strings.TrimSpace(bare[loc[1]:])
		cue := strings.ToLower(bare[loc[0]:loc[1]])
		if strings.HasPrefix(cue, "if you") || strings.HasPrefix(cue, "calling all") || strings.HasPrefix(cue, "any") || strings.HasPrefix(cue, "all") {
			after = strings.TrimSpace(cueLead.ReplaceAllString(bare[loc[0]:], ""))
		}
		if words(before) >= 4 && !startsWithSeekFiller(before) {
			readSentence(before, false, p)
		}
		if after != "" {
			p.set(FieldSeek, tidy(cutSeekTail(after)), "comment")
			return true
		}
		return false
	}
	if m := seekAfter.FindStringSubmatch(bare); m != nil && words(m[1]) >= 2 && !offerSignal.MatchString(m[1]) {
		p.set(FieldSeek, tidy(m[1]), "comment")
		return true
	}
	if lastSeek && seekContinues(bare) {
		p.set(FieldSeek, tidy(bare), "comment")
		return true
	}
	// How they want to partner: a joint offer or a bundle says whom they
	// want too; fees and commissions are terms, a seek only when nothing
	// else says whom.
	if !offerSignal.MatchString(strings.SplitN(bare, ",", 2)[0]) {
		switch {
		case strategicCue.MatchString(bare):
			p.set(FieldSeek, tidy(cutSeekTail(bare)), "comment")
			return true
		case termsCue.MatchString(bare) || referralCue.MatchString(bare):
			p.terms = append(p.terms, tidy(bare))
			return false
		}
	}
	if loc := customerCue.FindStringIndex(bare); loc != nil {
		// "families anywhere", "clients worldwide": whom, not where.
		cust := strings.TrimSpace(anywhereTail.ReplaceAllString(cutCustomers(bare[loc[1]:]), ""))
		if words(cust) == 1 && genericWho[strings.ToLower(strings.Trim(cust, ".,!"))] {
			cust = "" // "clients anywhere" says no more than that they have clients
		}
		if cust != "" {
			p.set(FieldCustomers, tidy(cust), "comment")
		}
		cue := strings.ToLower(bare[loc[0]:loc[1]])
		// "Our clients are mostly clinics" says whom, not what: it is not
		// part of the offer; "We help clinics with payroll" is both.
		if strings.Contains(cue, "client") || strings.Contains(cue, "customer") || strings.Contains(cue, "audience") || strings.Contains(cue, "who we serve") {
			return false
		}
	}
	p.set(FieldOffer, tidy(bare), "comment")
	return false
}

// findSeekCue returns where a seek's cue is in s, or nil. "We need" and
// "she wants" count only before whom ("we need a bookkeeper"), not before
// "to" ("we want to grow").
func findSeekCue(s string) []int {
	for pos := 0; pos < len(s); {
		loc := seekCue.FindStringIndex(s[pos:])
		if loc == nil {
			return nil
		}
		loc[0], loc[1] = loc[0]+pos, loc[1]+pos
		cue := strings.ToLower(strings.TrimSpace(s[loc[0]:loc[1]]))
		if strings.HasSuffix(cue, "need") || strings.HasSuffix(cue, "needs") || strings.HasSuffix(cue, "want") || strings.HasSuffix(cue, "wants") {
			if rest := strings.ToLower(strings.TrimSpace(s[loc[1]:])); strings.HasPrefix(rest, "to ") || strings.HasPrefix(rest, "it") || rest == "" ||
				notWhom.MatchString(rest) {
				// "I want to connect with…": look again from inside.
				_, size := utf8.DecodeRuneInString(s[loc[0]:])
				pos = loc[0] + size
				continue
			}
		}
		return loc
	}
	return nil
}

// notWhom opens what follows "need" or "want" when it is no one to meet:
// "need this energy in my feed", "want more of these".
var notWhom = regexp.MustCompile(`(?i)^(?:this|that|these|those|more of|some of|all of|one of these|it)\b`)

// clauseTurn is where a sentence turns from what they do to what they
// want: ", and I'd love to", ", and we want", "— would love to".
var clauseTurn = regexp.MustCompile(`(?i)(?:,?\s+(?:and|but|so)\s+|\s*[—–]\s*)(?:(?:i|we)(?:'d| would)?\s+(?:also\s+|really\s+)?(?:love|like|want|hope)|(?:would|we'?d|i'?d)\s+(?:also\s+)?love|(?:i'?m|we'?re|i am|we are)\s+(?:also\s+)?(?:looking|keen|hoping))\b`)

// laneBoth is what an answer of "both" or "either" sets: unlike a "no"
// to a question about fees (not referral), it says both lanes suit.
const laneBoth = "both"

// laneAnswer is an answer that names a lane first.
var laneAnswer = regexp.MustCompile(`(?i)^(?:the\s+)?(referrals?|strategic|either|both)\b(?:\s+(?:partner(?:ship)?s?|lane|one|is fine|works|please))?\s*(?:[.,;:!—–-]|$)`)

// Patterns of the helpers below, compiled once.
var (
	seekGoesOn  = regexp.MustCompile(`(?i)^(?:especially|ideally|particularly|also|or|and|plus|anyone|folks|people|someone|companies|businesses|agencies|firms|orgs|organi[sz]ations|ideally|bonus (?:points )?if|even better|think|e\.g\.|for example|basically|i\.e\.)\b`)
	seekFiller  = regexp.MustCompile(`(?i)^(?:and|but|so|also|currently|right now|at the moment|these days|now|always|mainly|mostly|especially|really|personally)\b`)
	seekTail    = regexp.MustCompile(`(?i)(?:\s*[-—–,;]\s*|\s+)(?:let'?s (?:talk|connect|chat)|hit me up|dm me|ping me|reach out|get in touch|feel free|drop me|message me|email me|say hi|give me a shout|happy to chat)\b.*$`)
	customerEnd = regexp.MustCompile(`(?i)\s(?:to|with|by|get|grow|fix|find|save|turn|stay|keep|build|make|run|launch|sell|hire|manage|navigate|through|so|and then|because|since|who want|that want|looking to|achieve|improve|increase|reduce|cut|avoid|prepare|plan|create|reach|win|land|handle|automate|scale)\b`)
)

// seekContinues reports whether a sentence after a seek goes on with it:
// "Especially agencies that…", "Also keen on…", a bullet of a list.
func seekContinues(s string) bool {
	return seekGoesOn.MatchString(s)
}

func startsWithSeekFiller(s string) bool {
	return seekFiller.MatchString(s) && words(s) < 6
}

// cutSeekTail drops what follows a seek that is not part of it: "… — DM
// me", "…, let's chat", a trailing "to swap referrals" stays.
func cutSeekTail(s string) string {
	if loc := seekTail.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	return s
}

func stripSeekCue(s string) string {
	if loc := findSeekCue(s); loc != nil && loc[0] <= 20 {
		return s[loc[1]:]
	}
	return s
}

func stripCustomerCue(s string) string {
	if loc := customerCue.FindStringIndex(s); loc != nil && loc[0] <= 20 {
		return s[loc[1]:]
	}
	return s
}

// cutCustomers takes whom a customer clause names: "dental practices" of
// "dental practices fix their books", "property managers in Denver".
func cutCustomers(s string) string {
	s = strings.TrimSpace(s)
	if loc := customerEnd.FindStringIndex(s); loc != nil && loc[0] >= 3 {
		s = s[:loc[0]]
	}
	return strings.TrimRight(s, " ,;:—–-")
}

// audienceFor is whom an offer is for: "for dental practices", "for
// Shopify brands doing $500k+"; the phrase ends at a place, a purpose or a
// new clause.
var (
	audienceFor  = regexp.MustCompile(`(?i)\bfor\s+((?:the\s+|local\s+|small\s+|busy\s+|new\s+)?[\p{L}\d][^.;:!?()—–]{2,80})`)
	audienceEnd  = regexp.MustCompile(`(?i)\s(?:in|across|around|throughout|near|at|on|to|who|that|which|with|so|since|because|from|via|through|by|while|when|where|since|and we|but|plus|we|i)\s|,\s`)
	notAudience  = regexp.MustCompile(`(?i)^(?:the\s+)?(?:\d|over\b|more than|almost|nearly|about\b|years?\b|decades?\b|months?\b|free\b|example|instance|you\b|us\b|me\b|them\b|it\b|this\b|that\b|sale\b|hire\b|rent\b|less\b|now\b|life\b|good\b|real\b|a living|a while|a long|long\b|fun\b|partners?\b|referrals?\b|collab|anyone\b|everyone\b|all\b|any\b|every\b|each\b|your\b|our\b|my\b|their\b|his\b|her\b|those\b|what\b|how\b|why\b)`)
	audienceWord = regexp.MustCompile(`(?i)(?:ists|ers|ors|ians|ants|ents|ees|ies|ches|és|ups|ops|people|folk|staff|teams?|owners?|founders?|managers?|families|couples|parents|kids|children|businesses|brands|companies|firms|practices|clinics|studios|agencies|restaurants|startups|venues|homeowners|landlords|investors|creators|devs|developers|retailers|schools|nonprofits|charities|industry|sector|market|trade|community|space)$`)
)

// anywhereTail is where, after whom: "families anywhere", "clients
// worldwide, all remote".
var anywhereTail = regexp.MustCompile(`(?i)[\s,]+(?:anywhere|everywhere|worldwide|globally|all over|across|around|remotely|online|nationwide|in person|all remote|fully remote)\b.*$`)

// genericWho are customers too general to be worth a field.
var genericWho = map[string]bool{"clients": true, "customers": true, "people": true, "anyone": true, "everyone": true,
	"projects": true, "practices": true, "businesses": true, "companies": true, "brands": true, "authors": true, "families": true}

// audienceOf returns whom an offer says it is for, or "".
func audienceOf(offer string) string {
	for _, m := range audienceFor.FindAllStringSubmatch(offer, -1) {
		a := m[1]
		if notAudience.MatchString(a) {
			continue
		}
		if loc := audienceEnd.FindStringIndex(a); loc != nil {
			a = a[:loc[0]]
		}
		a = strings.TrimRight(strings.TrimSpace(a), " ,&-")
		if n := words(a); n == 0 || n > 8 || !audienceWord.MatchString(a) {
			continue
		}
		return tidy(a)
	}
	return ""
}

// contactOnly reports whether a sentence is only a way to reach them.
func contactOnly(s string) bool {
	rest := emailPattern.ReplaceAllString(s, "")
	rest = urlPattern.ReplaceAllString(rest, "")
	rest = bareDomain.ReplaceAllString(rest, "")
	rest = phonePattern.ReplaceAllString(rest, "")
	rest = contactCue.ReplaceAllString(strings.TrimSpace(rest), "")
	rest = strings.Trim(rest, " .,:;!-—–|/()📧📞🌐👉🔗✉☎📱\ufe0f")
	return words(rest) <= 1 && rest != s
}

var phonePattern = regexp.MustCompile(`\+?\d[\d\s().-]{6,18}\d`)
