package thread

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// What a copied page brings along besides the comments: the lines a
// platform draws around them ("Like · Reply", "3d", "• 2nd", "12
// reactions"), told apart from what people wrote.

var (
	// A relative time, alone or with "(edited)": "3d", "1w (edited)", "2 hours ago".
	relTime = regexp.MustCompile(`(?i)^(?:\d{1,3}\s?(?:s|m|h|d|w|mo|mos|y|yr|yrs|sec|secs|min|mins|hr|hrs|hour|hours|day|days|week|weeks|month|months|year|years)(?:\s+ago)?|just now|now|yesterday|today)(?:\s*[•·]?\s*\(?edited\)?)?(?:\s*[•·]\s*(?:edited\s*[•·]?\s*)?(?:🌐|🌍|🌎|🌏|🔒|👥)?)?$`)
	// A clock time, as chat tools show it: "10:42 AM", "[10:42]", "14:05".
	clockTime = regexp.MustCompile(`(?i)^\[?\d{1,2}:\d{2}(?::\d{2})?\s?(?:[ap]\.?m\.?)?\]?$`)
	// A connection degree: "• 2nd", "· 3rd+", "1st".
	degreeLine = regexp.MustCompile(`(?i)^[•·]?\s*(?:1st|2nd|3rd\+?)(?:\s*degree connection)?$`)
	// The same after a name: "Tomás Ruiz • 2nd", "Dana Whitfield • Author".
	nameSuffix = regexp.MustCompile(`(?i)\s*(?:[•·|]\s*(?:1st|2nd|3rd\+?|author|you|following|premium|verified|creator|admin|moderator|top contributor|rising contributor)|\((?:he|she|they|him|her|them)(?:/(?:he|she|they|him|her|them|his|hers|theirs))+\)|\s(?:✓|☑️|✔️|🔹|in))\s*$`)
	// What platforms say of a writer, on a line of its own.
	badgeLine = regexp.MustCompile(`(?i)^(?:[•·]\s*)?(?:you|author|admin|group admin|top fan|moderator|group moderator|top contributor|rising contributor|group expert|new member|conversation starter|visual storyteller|valued commenter|all-star contributor|verified|premium|creator|host|speaker|organizer|organiser|bot|app|\((?:he|she|they)/(?:him|her|them|they)\)|(?:he|she|they)/(?:him|her|them|they))$`)
	// Whole lines of interface text.
	chromePhrase = regexp.MustCompile(`(?i)^(?:` +
		`like|reply|replies|share|send|repost|comment|comments|love|celebrate|support|insightful|funny|curious|report|edited|hide|follow|following|connect|message|copy link|` +
		`see more|…\s?see more|\.\.\.\s?see more|see less|show more|show less|…more|see translation|show translation|translate|translate post|translate tweet|` +
		`load more comments|load previous comments|view more comments|view previous comments|see previous replies|more comments|` +
		`view (?:all )?\d+ (?:more )?(?:replies|reply|comments)|view \d+ previous (?:replies|comments)|view reply|view replies|hide replies|` +
		`show replies|show more replies|show probable spam|show additional replies.*|` +
		`most relevant|most recent|newest|oldest|all comments|top comments|sort by.*|` +
		`write a comment.*|add a comment.*|write a public comment.*|comment as .*|reply to .*…|reply as .*|post your reply|post|` +
		`\d[\d,.]*\s?[km]?\s?(?:reactions?|likes?|replies|reply|comments?|reposts?|shares?|views?|impressions?|quotes?|bookmarks?|followers?|members?)|` +
		`\d+ repl(?:y|ies)\s+last reply .*|last reply .*|view thread|replied to a thread:?|also sent to the channel|new messages?|` +
		`click to see attachment|click to see original message|original message was deleted|` +
		`(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:,? \w+ \d{1,2}(?:st|nd|rd|th)?)?(?:,? \d{4})?|` +
		`(?:january|february|march|april|may|june|july|august|september|october|november|december) \d{1,2}(?:st|nd|rd|th)?(?:,? \d{4})?|` +
		`promoted|sponsored|pinned|pinned by .*|top fan|forward|reply all|\[gif\]|\[sticker\]|gif|sticker|` +
		// What a screen reader's view of LinkedIn adds, copied along.
		`view .{1,60}['’]s? profile|(?:like|reply to|react to) .{1,60}['’]s? (?:comment|reply|post)|\d+ reactions? on .{1,60}['’]s? (?:comment|reply|post)|` +
		`feed post(?: number \d+)?|activate to view larger image,?|open emoji keyboard|add a photo|current selected sort order is .*|reactions|` +
		`back to top|-{3,}\s*\d+ of \d+\s*-{3,}|[=_~*-]{5,}|` +
		`visible to anyone on or off linkedin|visible to (?:connections|members) only|no more comments to load|see more comments|load more|` +
		`·|•|\|` +
		`)$`)
	// A count alone, as X shows under a post: "3", "1.2K", "12,045".
	countLine = regexp.MustCompile(`(?i)^\d[\d,.]*[km]?$`)
	// ":raised_hands: 3" and the like, as Slack shows reactions.
	slackReaction = regexp.MustCompile(`^(?::[a-z0-9_+\-']+:\s*\d*\s*)+$`)
	// "Marta Kessler and 12 others", "You and 3 others": who reacted.
	reactedBy  = regexp.MustCompile(`(?i)^.{1,60}\s+and\s+\d[\d,]*\s+others?$`)
	replyingTo = regexp.MustCompile(`(?i)^replying to\s+((?:@[A-Za-z0-9_.]+[\s,]*(?:and\s+)?)+)(?:and \d+ others?)?$`)
)

// isChrome reports whether a line is interface text rather than anything
// a person wrote: actions, times, counts, reactions, badges.
func isChrome(line string) bool {
	l := strings.TrimSpace(line)
	if l == "" {
		return false
	}
	switch {
	case chromePhrase.MatchString(l), relTime.MatchString(l), clockTime.MatchString(l), degreeLine.MatchString(l),
		countLine.MatchString(l), slackReaction.MatchString(l), reactedBy.MatchString(l), isReactionLine(l):
		return true
	}
	// "Like · Reply · 3w", "Like Reply Share 2d", "Like | Reply | 3 Reactions":
	// every part is chrome.
	parts := strings.FieldsFunc(l, func(r rune) bool { return r == '·' || r == '•' || r == '|' })
	if len(parts) > 1 {
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" && !isChrome(p) && !allEmoji(p) {
				return false
			}
		}
		return true
	}
	words := strings.Fields(l)
	if len(words) > 1 && len(words) <= 6 {
		for _, w := range words {
			if !chromeWord(w) {
				return false
			}
		}
		return true
	}
	return false
}

// chromeWord is one word of an action bar: "Like", "Reply", "Share", "3w".
func chromeWord(w string) bool {
	switch strings.ToLower(w) {
	case "like", "reply", "share", "send", "repost", "comment", "love", "celebrate", "support", "insightful", "funny",
		"curious", "edited", "(edited)", "report", "hide", "author", "·", "•", "|", "reactions", "reaction", "replies", "likes",
		"comments", "reposts", "views":
		return true
	}
	return relTime.MatchString(w) || countLine.MatchString(w)
}

// isReactionLine reports whether a line holds only emoji and numbers, as
// reaction counts do ("👍❤️ 87", "🙌 3").
func isReactionLine(l string) bool {
	digits, emoji := false, false
	for _, r := range l {
		switch {
		case unicode.IsDigit(r) || r == ',' || r == '.' || r == ' ' || r == 'K' || r == 'k':
			digits = digits || unicode.IsDigit(r)
		case isEmoji(r):
			emoji = true
		default:
			return false
		}
	}
	return digits && emoji
}

// allEmoji reports whether s holds emoji and spaces only, and some emoji.
func allEmoji(s string) bool {
	seen := false
	for _, r := range s {
		switch {
		case isEmoji(r):
			seen = true
		case r == ' ':
		default:
			return false
		}
	}
	return seen
}

// isEmoji reports whether r is an emoji or a joiner of them.
func isEmoji(r rune) bool {
	return r >= 0x1F000 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF || r == 0x200D || r == 0xFE0F ||
		r >= 0x2190 && r <= 0x21FF || r >= 0x2B00 && r <= 0x2BFF || r == 0x20E3 || r >= 0x1F1E6 && r <= 0x1F1FF ||
		r == 0x2728 || r == 0x3030 || r == 0x303D || r == 0x00A9 || r == 0x00AE
}

// credentials after a name: "Ana Ruiz, CPA", "Tom Li, PhD, MBA".
var credentials = regexp.MustCompile(`,\s*(?:[A-Z][A-Za-z.]{1,6}|CPDT-KA|RDH|DDS|DMD|LMT|LCSW|PMP)(?:\s*,\s*(?:[A-Z][A-Za-z.]{1,6}))*\s*$`)

// nameTitles may come before a name: "Dr. Tom Li".
var nameTitles = map[string]bool{"dr.": true, "dr": true, "prof.": true, "prof": true, "mr.": true, "mr": true, "ms.": true, "ms": true,
	"mrs.": true, "mrs": true, "mx.": true, "mx": true, "rev.": true, "sir": true, "dame": true}

// nameParticles may start a word of a name in lower case.
var nameParticles = map[string]bool{"de": true, "da": true, "das": true, "dos": true, "do": true, "van": true, "von": true,
	"der": true, "den": true, "del": true, "della": true, "la": true, "le": true, "di": true, "du": true, "bin": true,
	"binti": true, "al": true, "el": true, "y": true, "and": true, "ter": true, "ten": true, "af": true, "zu": true}

// cleanName strips what platforms write after a name ("• 2nd",
// "(she/her)", "✓") and returns the name.
// discriminator is the number Discord once added to a user name.
var discriminator = regexp.MustCompile(`#\d{4}$`)

func cleanName(line string) string {
	l := strings.TrimSpace(line)
	l = credentials.ReplaceAllString(l, "")
	l = discriminator.ReplaceAllString(l, "") // "pixelforge#1234": Discord's old tag
	for {
		t := strings.TrimSpace(nameSuffix.ReplaceAllString(l, ""))
		t = strings.TrimSpace(strings.TrimRightFunc(t, func(r rune) bool { return isEmoji(r) || r == ' ' }))
		if t == l {
			return l
		}
		l = t
	}
}

// looksLikeName reports whether a line reads like a person's name as a
// platform shows it: one to five words, each capitalised (or a particle
// such as "van"), no sentence punctuation, no digits. A single word counts
// only when allowSingle is set (chat tools show "Marta" or "marta.k").
func looksLikeName(line string, allowSingle bool) bool {
	l := cleanName(line)
	if l == "" || utf8.RuneCountInString(l) > 50 || strings.ContainsAny(l, ",!?:;@/\\0123456789\"“”()[]{}#$%&*+=<>") {
		return false
	}
	words := strings.Fields(l)
	if len(words) > 5 || len(words) == 1 && !allowSingle {
		return false
	}
	if len(words) == 1 {
		return true
	}
	capitals := 0
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsUpper(r):
			capitals++
		case nameParticles[strings.ToLower(w)]:
		default:
			return false
		}
		if strings.HasSuffix(w, ".") && utf8.RuneCountInString(w) > 2 && !isInitials(w) && !nameTitles[strings.ToLower(w)] {
			return false // "Inc." or a sentence's last word, not an initial
		}
	}
	if capitals == 0 || isChrome(l) || commonPhrase(l) {
		return false
	}
	return true
}

func isInitials(w string) bool {
	for _, part := range strings.Split(strings.TrimSuffix(w, "."), ".") {
		if utf8.RuneCountInString(part) != 1 {
			return false
		}
	}
	return true
}

// commonPhrase reports whether a capitalised line is a greeting or a
// heading rather than a name: "Thank You", "Great Idea", "Hi All".
func commonPhrase(l string) bool {
	first := strings.ToLower(strings.Fields(l)[0])
	switch first {
	case "hi", "hello", "hey", "olá", "ola", "hola", "bonjour", "salut", "ciao", "hallo", "hej", "ahoj", "servus", "moin", "namaste", "salaam", "shalom", "thanks", "thank", "great", "love", "congrats", "congratulations", "following",
		"interested", "same", "yes", "no", "wow", "amazing", "awesome", "nice", "good", "happy", "welcome", "cheers",
		"best", "regards", "kind", "warm", "sent", "get", "the", "our", "we", "i", "my", "this", "what", "who",
		"looking", "seeking", "dear", "morning", "evening", "view", "load", "see", "show", "most", "all", "write", "reply":
		return true
	}
	return false
}

// stripEdited removes "(edited)" and "…see more" that chat tools and
// LinkedIn leave at the end of a line of text.
func stripEdited(l string) string {
	l = strings.TrimSpace(l)
	for _, s := range []string{"(edited)", "…see more", "...see more", "… see more", "... see more", "…more", "(edited) "} {
		l = strings.TrimSpace(strings.TrimSuffix(l, s))
	}
	return l
}
