package thread

import (
	"regexp"
	"strings"
	"unicode"
)

// Telling the chatter of a thread from the replies that are offers.

var (
	deletedRe = regexp.MustCompile(`(?i)^(?:\[?(?:deleted|removed)\]?|this (?:comment|post|message|reply) (?:has been|was|is) (?:deleted|removed|unavailable|hidden)|(?:comment|message|post) (?:deleted|removed)|original message was deleted)\.?$`)
	mentionRe = regexp.MustCompile(`@[\p{L}0-9_.]+(?:\s\p{Lu}[\p{L}'’-]+)?`)
	// Something a business would say of itself: what it does, or whom it
	// wants to meet.
	offerSignal = regexp.MustCompile(`(?i)\b(?:` +
		`(?:we|i)\s+(?:also\s+|mostly\s+|mainly\s+|primarily\s+|now\s+|currently\s+|specifically\s+)?(?:help|do|offer|provide|run|own|build|make|design|create|teach|sell|install|repair|fix|manage|handle|specialize|specialise|work with|serve|support|cater|deliver|produce|photograph|film|write|train|coach|consult|advise|clean|host|organi[sz]e|supply|distribute|import|export|bake|roast|brew|grow|farm|print|ship|develop|program|code|plan|book|rent|lease|insure|audit|translate|edit|record|mix|paint|renovate|restore|groom|walk|board|tutor|automate|scale|grow)\b` +
		`|(?:we're|we are|i'm|i am)\s+(?:a|an|the|your)\s` +
		`|my (?:company|business|agency|studio|firm|team|shop|practice|clinic|salon|store|brand|bakery|consultancy|startup)\b` +
		`|our (?:company|business|agency|studio|firm|team|clients|customers|services|product|platform|app|shop|store|practice|work)\b` +
		`|(?:founder|owner|co-?founder|ceo|director|principal)\s+(?:of|at|@)\b` +
		`|looking (?:for|to)\b|seeking\b|would love to (?:meet|connect|partner)|ideal (?:partner|client|customer)` +
		`)`)
	chatterPhrase = regexp.MustCompile(`(?i)\b(?:(?:wrote|writes|wanted|wants) only to say|only (?:wrote|wanted) to say|just wanted to say|congrat\w*|following|follow(?:ing)? along|commenting for (?:reach|visibility)|for (?:reach|visibility)|interested|great (?:idea|initiative|post|thread|work)|love (?:this|it)|what a (?:great|brilliant)|dm'?d|sent you a (?:dm|message)|check (?:your|ur) (?:dms?|inbox)|thanks? (?:for|so much|you)|thank you|amazing|awesome|brilliant|bump|same here|me too|\+1|count me in|i'?m in|saving this|bookmarked|great to see|such a good idea|following this|well done|nice one|so true|this is (?:great|gold|awesome|amazing))\b`)
	tagCue        = regexp.MustCompile(`(?i)(?:\byou should\b|\bcheck (?:this|it) out\b|\bsee this\b|\bthought of you\b|\bthis is for you\b|\btagging\b|\bcc\b|👀|\bfyi\b|\bhave a look\b|\blook at this\b|\bperfect for you\b|\bfor you\b|\bfor your\b|👈|\bneed to see this\b|\bshould (?:talk|connect|meet)\b|\bwatch this\b)`)
)

// chatterReason returns why an item is not an offer, or "" when it may be
// one. first is set for the paste's first item.
func chatterReason(it *item, host string, first bool) string {
	if it.row > 0 {
		return rowReason(it)
	}
	text := it.text()
	plain := strings.TrimSpace(mentionRe.ReplaceAllString(text, ""))
	switch {
	case deletedRe.MatchString(strings.TrimSpace(text)):
		return SkipDeleted
	case first && (callForReplies.MatchString(text) || it.badge == badgeNotes):
		return SkipOriginalPost
	case it.badge == badgeNotes:
		return SkipHost
	case strings.EqualFold(it.badge, "app"), strings.EqualFold(it.badge, "bot"), strings.EqualFold(it.badge, "ad"), botText.MatchString(text):
		return SkipChatter // a bot's message, or an advert among the replies
	case host != "" && sameName(it.author, host):
		return SkipHost
	case !hasLetters(plain) && mentionRe.MatchString(text):
		return SkipTag
	case !hasLetters(plain):
		return SkipEmoji
	}
	opening := strings.TrimLeft(strings.TrimSpace(text), "·•*-–—> ")
	if spamRe.MatchString(text) || autoReply.MatchString(text) || bounce.MatchString(text) || notABusiness(text) || hiring.MatchString(opening) ||
		moderation.MatchString(text) && !emailPattern.MatchString(text) || everyone.MatchString(text) || pointsUp.MatchString(opening) {
		return SkipChatter // even when it names a business or a price
	}
	if first && it.author == "" && it.badge == "" && (!emailPattern.MatchString(text) && findSeekCue(text) == nil || len(strings.Fields(text)) <= 12) {
		return SkipOriginalPost // unsigned text above the first reply: the post, or the paste's title
	}
	words := len(strings.Fields(plain))
	strong := offerSignal.MatchString(text) || serviceList(text) || emailPattern.MatchString(text) || findWebsite(text) != "" || hasNumberedAnswers(text) ||
		findSeekCue(text) != nil || hasLabel(text) || termsCue.MatchString(text) || referralCue.MatchString(text) || strategicCue.MatchString(text) ||
		eitherCue.MatchString(text)
	tagged := mentionRe.MatchString(text) || namesOnly(plain) || startsWithName(plain) && tagCue.MatchString(plain)
	if tagged && !strong && words <= 16 && (tagCue.MatchString(text) || namesOnly(strings.TrimRightFunc(plain, func(r rune) bool { return isEmoji(r) || r == ' ' }))) {
		return SkipTag // "Elena Sokolova Harriet Osei — puppy pack?! 👀"
	}
	if !strong && askingGroup.MatchString(strings.TrimSpace(text)) {
		return SkipChatter // "Has anyone seen a grey tabby…?"
	}
	chatty := chatterPhrase.MatchString(text) || chatterAbroad.MatchString(text)
	if chatty && !strong && words <= 12 {
		return SkipChatter // "¡Qué bonita iniciativa! Felicitaciones Mica 💙": a name is no offer
	}
	signal := strong || namesBusiness(text, it.author)
	if signal && words >= 6 {
		return ""
	}
	switch {
	case tagged && words <= 16 && (tagCue.MatchString(text) || namesOnly(plain) || !chatty) && !signal:
		return SkipTag
	case words >= 20 && !chatty, signal && words >= 25, words >= 35:
		return ""
	}
	return SkipChatter
}

var (
	// Offers nobody wants: bought followers, crypto tips.
	// What bots say of themselves.
	botText   = regexp.MustCompile(`(?i)\bi am a bot\b|\bi'?m a bot\b|this action was performed automatically|\bbeep boop\b`)
	spamRe    = regexp.MustCompile(`(?i)\b(?:check (?:out )?my bio|link in (?:my )?bio|i made \$[\d,]+|buy \d+k? (?:real )?(?:followers|likes|views)|real followers|price list|crypto signals?|forex|casino|backlinks? (?:package|for sale)|guaranteed (?:\d+k? )?followers|followers and likes|\d[\d,]*k? followers by|cheapest price|free (?:discord )?nitro|claim (?:it )?fast|google page (?:1|one)|guaranteed results|comment \p{Lu}{3,} and i'?ll dm|kindly check (?:your |my )?(?:dm|inbox)|dear sir ?/ ?madam,? we (?:provide|offer)|make \$?\d+k? (?:a|per) (?:day|week)|dm (?:me )?for (?:the )?price|guarantee(?:d)? (?:you )?(?:page (?:1|one)|first page|#1|number one|top (?:rank|spot))|page (?:1|one) (?:on|of) google|cheap (?:packages?|seo|backlinks|followers)|work from home and earn|earn \$?[\d,]+k? (?:a|per|every) (?:day|week|month) from home|(?:bitcoin|crypto) (?:investment|trading) (?:platform|profits?)|click (?:the )?link (?:below|in bio)|limited (?:time|period) offer!|100% guaranteed|free \$\d+ (?:steam|amazon|paypal|gift)|gift ?card (?:giveaway|free)|hurry up|claim (?:your|it|now)\b|rank #?1 on google|(?:seo|followers|likes)[^.!?\n]{0,30}cheap!|\d+ days?,? guaranteed)`)
	autoReply = regexp.MustCompile(`(?i)\b(?:out of (?:the )?office|automatic reply|auto-?reply|no (?:e-?mail|internet) access|away (?:from my desk |at [^.]{1,40} )?until|(?:currently|i am|i'm) (?:away|travell?ing|on holiday|on vacation) (?:and|with|until)|on (?:annual |parental |maternity )?leave until|limited access to (?:my )?e-?mail|i will (?:respond|reply) (?:to your (?:e-?mail|message) )?(?:when|on my return))`)
)

// chatterAbroad is chatterPhrase in the other languages threads come in:
// congratulations and thanks.
var chatterAbroad = regexp.MustCompile(`(?i)(?:felicita(?:ciones|ções)|felicidades|enhorabuena|parab[ée]ns|qu[ée] (?:bonita|buena|gran|linda) (?:iniciativa|idea)|(?:muchas )?gracias|obrigad[oa]|f[ée]licitations|merci|bravo|glückwunsch|danke|super idee|complimenti|grazie|gefeliciteerd|bedankt|gratulacje|dziękuj|gratuluj|děkuj|gratuluji|köszön|gratulál|ευχαριστ|συγχαρητήρια|tebrikler|teşekkür|terima kasih|selamat|شكرا|مبروك)`)

// bounce is a mail server's report of an email it could not deliver,
// pasted with the reply chain.
var bounce = regexp.MustCompile(`(?i)\b(?:undeliverable:|delivery has failed|delivery status notification|mail delivery (?:failed|subsystem)|message (?:not|could not be) delivered|returned mail:|address not found|recipient address rejected)`)

// everyone pings a whole chat: an organiser's announcement, not a reply.
var everyone = regexp.MustCompile(`(?:^|\s)@(?:everyone|here|channel)\b`)

// pointsUp backs someone else's reply: a colleague's "👆 what she said,
// that's us", part of the reply it points at.
var pointsUp = regexp.MustCompile(`(?i)^(?:👆|☝️?|\^+)|^(?:what (?:she|he|they) said|same as above|see above|that'?s us\b)|(?:^|\s)(?:👆|☝️?)\s*(?:what|that|same|this|see)\b`)

// consumer marks someone who is no business: a parent after a class, a
// member just looking round.
var consumer = regexp.MustCompile(`(?i)\b(?:sou estudante|soy estudiante|i'?m a student|je suis étudiant)|\b(?:just (?:a|here to|lurking|browsing|curious|joined)|wanted to see who|just here for|here to learn|i want to buy|i'?m looking to buy|anyone selling|who is (?:the )?cheapest|for my (?:flat|house|home|apartment|wedding|party|move)|private person|not a business|(?:i'?m|i am) (?:a |an |just a )?(?:parent|mum|mom|dad|student|customer|homeowner|retiree|hobbyist)\b|as a (?:parent|mum|mom|dad|customer)\b|for my (?:son|daughter|kid|kids|child|children|wife|husband)\b)`)

// askingGroup opens a question to the group rather than an offer.
var askingGroup = regexp.MustCompile(`(?i)^(?:has anyone|have any of you|does anyone|anyone (?:know|seen|recommend|have|got)|can anyone|could anyone|is there anyone|where can i|who can recommend|any recommendations|quick question)\b`)

// hiring opens a job advert among the replies: not a partner's offer.
var hiring = regexp.MustCompile(`(?i)^(?:we'?re|we are|now|i'?m|still) hiring\b|^#?hiring\b|\bjob opening\b`)

// serviceList reports a list of services in a reply's first sentence:
// "security audits for OSS projects, fuzzing setups, scorecard fixes".
func serviceList(text string) bool {
	first := strings.SplitN(strings.SplitN(text, "\n", 2)[0], ". ", 2)[0]
	items := strings.Split(first, ",")
	if len(items) < 3 || chatterPhrase.MatchString(first) {
		return false
	}
	for _, it := range items {
		if n := len(strings.Fields(it)); n < 2 || n > 8 {
			return false
		}
	}
	return true
}

// moderation is a group's rules restated by an admin.
var moderation = regexp.MustCompile(`(?i)^reminder\b|\b(?:quick reminder|friendly reminder|reminder from (?:the )?(?:admin|mod)|group rules?|no (?:selling|spam|self[- ]promo\w*) (?:in|on|here)|(?:admin|mod) team)\b`)

// notABusiness reports a reply by someone who is no business, with
// nothing in it that a business would give (an address, a site).
func notABusiness(text string) bool {
	return consumer.MatchString(text) && !emailPattern.MatchString(text) && findWebsite(text) == ""
}

// rowReason judges a spreadsheet row: empty, or a form's test submission.
func rowReason(it *item) string {
	filled := 0
	for _, v := range it.fields {
		if strings.TrimSpace(v) != "" {
			filled++
		}
	}
	if filled == 0 && strings.TrimSpace(it.text()) == "" {
		return SkipEmptyRow
	}
	tests := 0
	for _, k := range []string{FieldName, FieldBusiness, FieldOffer, FieldSeek, FieldEmail} {
		v := strings.ToLower(strings.TrimSpace(it.fields[k]))
		if v == "" {
			continue
		}
		if testValue.MatchString(v) {
			tests++
		}
	}
	if tests >= 2 || tests >= 1 && filled <= 2 {
		return SkipTestRow
	}
	// A row that says nothing of a business: a name alone, a question, a
	// request to join the mailing list.
	says := strings.TrimSpace(it.fields[FieldOffer] + " " + it.fields[FieldSeek] + " " + it.fields[FieldBusiness] + " " + it.text())
	switch {
	case words(says) == 0:
		return SkipEmptyRow
	case spamRe.MatchString(says), notABusiness(says):
		return SkipChatter
	case it.fields[FieldOffer] == "" && it.fields[FieldSeek] == "" && !offerSignal.MatchString(says) && words(says) < 20:
		return SkipChatter
	}
	return ""
}

var testValue = regexp.MustCompile(`(?i)^(?:(?:teste|testando|prueba|probando|essai|testen)(?:\s.*)?|test(?:ing)?(?:\s*\d*)?(?:\s*[-–—:!.]+\s*(?:delete me|ignore|please ignore|do not publish|don'?t publish)?)?|x+|test test|asdf\w*|qwerty|xxx+|foo|bar|lorem ipsum.*|n/?a|none|-|\.|please ignore.*|ignore(?: this)?|test@.*|.*@example\.(?:com|org)|testing 1 2 3|just testing.*|this is a test.*|test submission.*)$`)

func hasLetters(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// namesOnly reports whether text is only names (as LinkedIn shows tags),
// perhaps with a few words around them: "Ana Ruiz Tom Li".
func namesOnly(s string) bool {
	words := strings.Fields(strings.Trim(s, " .!,"))
	if len(words) < 2 || len(words) > 8 {
		return false
	}
	for _, w := range words {
		r := []rune(w)
		if !unicode.IsUpper(r[0]) && !nameParticles[strings.ToLower(w)] {
			return false
		}
	}
	return true
}

// hasLabel reports whether a text has a labelled line of a post's field:
// "want: …", "Looking for: …".
func hasLabel(text string) bool {
	for _, u := range units(text) {
		if _, _, ok := labelled(u); ok {
			return true
		}
	}
	return false
}

// namesBusiness reports whether a text names a business the way replies
// do: "(Booked Solid Media)", "I run Northstar People Ops".
func namesBusiness(text, person string) bool {
	_, _, score := bestBusiness(person, nil, []nameSource{{text, "comment"}}, nil)
	return score >= 4
}

// startsWithName reports whether text starts with a capitalised first and
// last name, as a tag shows on LinkedIn.
func startsWithName(s string) bool {
	ws := strings.Fields(s)
	return len(ws) >= 3 && looksLikeName(ws[0]+" "+ws[1], false)
}

// sameName reports whether two names are the same person's as shown:
// case, spaces and accents aside, or one the other's first name.
func sameName(a, b string) bool {
	na, nb := normName(a), normName(b)
	if na == "" || nb == "" {
		return false
	}
	return na == nb
}

// normName folds a name for comparing.
func normName(s string) string {
	s = strings.ToLower(cleanName(s))
	var b strings.Builder
	for _, r := range foldAccents(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldAccents maps common accented Latin letters to plain ones.
func foldAccents(s string) string {
	return accentFolder.Replace(s)
}

var accentFolder = strings.NewReplacer("á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "å", "a", "é", "e", "è", "e", "ê", "e", "ë", "e",
	"í", "i", "ì", "i", "î", "i", "ï", "i", "ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o", "ø", "o", "ú", "u", "ù", "u", "û", "u",
	"ü", "u", "ñ", "n", "ç", "c", "ß", "ss", "ł", "l", "ś", "s", "ź", "z", "ż", "z", "ć", "c", "ń", "n", "ő", "o", "ű", "u")
