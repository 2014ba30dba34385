package thread

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Reading a chat-like paste (LinkedIn, Facebook, X, Slack, Discord) into
// its comments: each starts at a header the platform draws (a name with a
// time, a degree, a handle) and runs to the next; interface lines between
// are dropped.

// emojiCode is an emoji as Slack and Discord copy it: ":package:".
var emojiCode = regexp.MustCompile(`(?:^|\s):[a-z0-9_+'-]{2,40}:`)

// replyPreview is the line Discord shows above a reply: the start of the
// message answered, after the name of its writer.
var replyPreview = regexp.MustCompile(`^(?:╭|┌|↪|⤷)?\s*@(\S.*)$`)

func readChat(text string, f Format) []item {
	lines := strings.Split(text, "\n")
	var (
		items      []item
		cur        *item
		afterBreak = true // at the start, or after interface lines: where Facebook starts a comment
		level      string // Reddit's "level 2" above the next comment
	)
	flush := func() {
		if cur != nil {
			items = append(items, *cur)
		}
		cur = nil
	}
	for i := 0; i < len(lines); {
		l := strings.TrimSpace(lines[i])
		if l == "" {
			if cur != nil {
				cur.body = append(cur.body, "")
			}
			i++
			continue
		}
		if h, n, ok := chatHeader(f, lines, i, afterBreak); ok {
			// A reply preview just above a Discord header belongs to the
			// new message, not to the body of the last.
			if cur != nil && f == Discord {
				if k := lastText(cur.body); k >= 0 {
					if m := replyPreview.FindStringSubmatch(cur.body[k]); m != nil {
						if who := authorAtStart(m[1], items, cur); who != "" {
							h.reply, h.replyTo = true, who
							cur.body = cur.body[:k]
						}
					}
				}
			}
			flush()
			if f == Reddit && level != "" && !strings.HasSuffix(level, " 1") {
				h.reply = true
			}
			level = ""
			cur = &h
			i += n
			afterBreak = false
			continue
		}
		if cur != nil && lastText(cur.body) < 0 && strings.EqualFold(strings.TrimRight(l, ".!"), "following") {
			cur.body = append(cur.body, l) // all they wrote, not the platform's button
			i++
			continue
		}
		if isChrome(l) || badgeLine.MatchString(l) || f == Reddit && redditChrome(l) {
			if f == Reddit && redditLevel.MatchString(l) {
				level = l // the next comment's depth: level 2 and deeper are replies
			}
			afterBreak = true
			i++
			continue
		}
		afterBreak = false
		if strings.HasPrefix(strings.ToLower(l), "replied to a thread:") {
			i++ // Slack quotes the message answered: not theirs
			continue
		}
		if m := replyingTo.FindStringSubmatch(l); m != nil && cur != nil {
			cur.reply, cur.replyTo = true, strings.TrimPrefix(strings.Fields(m[1])[0], "@")
			i++
			continue
		}
		if cur == nil {
			cur = &item{} // text above any header: the host's post, unsigned
		}
		cur.body = append(cur.body, stripEdited(emojiCode.ReplaceAllString(l, " ·")))
		i++
	}
	flush()
	for k := range items {
		items[k].body = trimBlank(items[k].body)
	}
	return items
}

// authorAtStart returns the writer, among those so far, whose name text
// starts with ("Tobias Lindgren QA testing…" -> Tobias Lindgren), or "".
func authorAtStart(text string, items []item, cur *item) string {
	best := ""
	check := func(a string) {
		if a != "" && len(a) > len(best) && strings.HasPrefix(text, a) {
			best = a
		}
	}
	for _, it := range items {
		check(it.author)
	}
	check(cur.author)
	return best
}

// chatHeader reports whether a comment starts at line i, and if so reads
// its header: who wrote, their headline, handle or badge. n is how many
// lines the header takes.
func chatHeader(f Format, lines []string, i int, afterBreak bool) (h item, n int, ok bool) {
	l := strings.TrimSpace(lines[i])
	switch f {
	case Slack:
		if m := slackBracket.FindStringSubmatch(l); m != nil && chatName(m[2]) {
			return item{author: cleanName(m[2]), body: []string{stripEdited(emojiCode.ReplaceAllString(m[3], " ·"))}}, 1, true
		}
		if m := slackHeader.FindStringSubmatch(l); m != nil && !clockTime.MatchString(l) && chatName(m[1]) {
			return item{author: cleanName(m[1]), badge: strings.TrimSpace(m[2])}, 1, true
		}
		if j := nextText(lines, i+1); j > 0 && clockTime.MatchString(strings.TrimSpace(lines[j])) && chatName(l) {
			return item{author: cleanName(l)}, j - i + 1, true
		}
	case Discord:
		if m := discordBracket.FindStringSubmatch(l); m != nil {
			return item{author: discordName(m[2])}, 1, true
		}
		if m := discordHeader.FindStringSubmatch(l); m != nil && chatName(m[1]) {
			return item{author: cleanName(m[1])}, 1, true
		}
		if j := nextText(lines, i+1); j > 0 && chatName(l) {
			next := strings.TrimSpace(lines[j])
			// The newer layout puts a dash alone between the name, any
			// badge, and the time.
			if next == "—" || next == "–" || next == "-" {
				if k := nextText(lines, j+1); k > 0 && discordTime.MatchString(strings.TrimSpace(lines[k])) {
					return item{author: cleanName(l)}, k - i + 1, true
				}
			}
			if (badgeLine.MatchString(next) || isRole(next)) && nextText(lines, j+1) > 0 {
				if k := nextText(lines, j+1); strings.Trim(strings.TrimSpace(lines[k]), "—–-") == "" {
					if t := nextText(lines, k+1); t > 0 && discordTime.MatchString(strings.TrimSpace(lines[t])) {
						return item{author: cleanName(l), badge: next}, t - i + 1, true
					}
				}
			}
			if badgeLine.MatchString(next) || isRole(next) {
				if k := nextText(lines, j+1); k > 0 && discordTime.MatchString(strings.TrimSpace(lines[k])) {
					return item{author: cleanName(l), badge: next}, k - i + 1, true
				}
			}
			if discordTime.MatchString(next) {
				return item{author: cleanName(l)}, j - i + 1, true
			}
		}
	case X:
		if m := xOneLine.FindStringSubmatch(l); m != nil {
			return item{author: cleanName(m[1]), handle: m[2]}, 1, true
		}
		// Threads: a username, then the time.
		if j := nextText(lines, i+1); j > 0 && threadsUser.MatchString(l) && relTime.MatchString(strings.TrimSpace(lines[j])) {
			return item{author: l, handle: "@" + l}, j - i + 1, true
		}
		if j := nextText(lines, i+1); j > 0 && xHandle.MatchString(strings.TrimSpace(lines[j])) && !xHandle.MatchString(l) &&
			utf8.RuneCountInString(l) <= 60 && !isChrome(l) {
			h := item{author: cleanName(l), handle: xHandle.FindStringSubmatch(strings.TrimSpace(lines[j]))[1]}
			n := j - i + 1
			// "·", "5h", "Ad", "Replying to @dana": the rest of the header.
			for k := j + 1; k < len(lines) && k <= j+4; k++ {
				t := strings.TrimSpace(lines[k])
				if t == "" || t == "·" || relTime.MatchString(t) || isDate(t) {
					n = k - i + 1
					continue
				}
				if adLine.MatchString(t) {
					h.badge, n = "Ad", k-i+1
					continue
				}
				if m := replyingTo.FindStringSubmatch(t); m != nil {
					h.reply, h.replyTo = true, strings.TrimPrefix(strings.Fields(m[1])[0], "@")
					n = k - i + 1
				}
				break
			}
			return h, n, true
		}
	case Reddit:
		if m := redditHeader.FindStringSubmatch(l); m != nil {
			h := item{author: m[1], handle: "u/" + m[1]}
			if strings.HasPrefix(strings.ToLower(l), "posted by") {
				h.badge = "Author"
			}
			n := 1
			// "OP", "MOD", "· 5h" under the name: the rest of the header.
			for j := nextText(lines, i+1); j > 0 && j <= i+3; j = nextText(lines, j+1) {
				t := strings.TrimSpace(lines[j])
				if !redditTimeLine.MatchString(t) && !relTime.MatchString(t) && !redditBadge.MatchString(t) {
					break
				}
				if strings.EqualFold(t, "op") {
					h.badge = "Author"
				}
				n = j - i + 1
			}
			return h, n, true
		}
		// "AutoModerator" or "[deleted]", then "· 5h".
		if j := nextText(lines, i+1); j > 0 && redditTimeLine.MatchString(strings.TrimSpace(lines[j])) && utf8.RuneCountInString(l) <= 40 && !strings.Contains(l, " ") {
			name := l
			if name == "[deleted]" {
				name = ""
			}
			return item{author: name}, j - i + 1, true
		}
	case Facebook:
		if !afterBreak {
			return item{}, 0, false
		}
		if !looksLikeName(l, false) {
			// "Marta Kessler We do roofs…": the name on the comment's line.
			if name, rest, ok := nameThenText(l); ok {
				return item{author: name, body: []string{rest}}, 1, true
			}
			return item{}, 0, false
		}
		j := nextText(lines, i+1)
		if j < 0 {
			return item{}, 0, false
		}
		h := item{author: cleanName(l)}
		n = j - i
		// Badges under the name ("Top contributor", "Admin").
		for j > 0 && (badgeLine.MatchString(strings.TrimSpace(lines[j])) || isRole(strings.TrimSpace(lines[j]))) {
			if h.badge == "" {
				h.badge = strings.TrimSpace(lines[j])
			}
			n = j - i + 1
			j = nextText(lines, j+1)
		}
		if j > 0 && fbPostDate.MatchString(strings.TrimSpace(lines[j])) {
			return h, j - i + 1, true // the post's author, then its date
		}
		if j < 0 || isChrome(lines[j]) && !relTime.MatchString(strings.TrimSpace(lines[j])) {
			return item{}, 0, false
		}
		return h, n, true
	default: // LinkedIn
		if h, n, ok := linkedInHeader(lines, i); ok {
			return h, n, true
		}
		if afterBreak {
			return looseHeader(lines, i)
		}
	}
	return item{}, 0, false
}

// discordName drops the "#1234" a Discord name may carry.
func discordName(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "#"); i > 0 && i >= len(s)-5 {
		s = s[:i]
	}
	return cleanName(s)
}

// nameThenText splits a line that starts with a person's name and goes
// on with what they wrote, as Facebook copies a comment: the name must
// hold a word that is not common English ("Marta Kessler", not "Baby
// Sleep"), and the text must go on for a few words.
func nameThenText(l string) (name, rest string, ok bool) {
	ws := strings.Fields(l)
	for n := 3; n >= 2; n-- {
		if len(ws) < n+3 {
			continue
		}
		cand := strings.Join(ws[:n], " ")
		if !looksLikeName(cand, false) || strings.ContainsAny(cand, "&") {
			continue
		}
		uncommon := false
		for _, w := range ws[:n] {
			if r, known := wordRank(strings.ToLower(w)); !known || r > 5000 {
				uncommon = true
			}
		}
		if n == 3 {
			// A third word is part of the name only if it is no common
			// word ("Kenji Mori Dog walking…" is Kenji Mori), no business's
			// ("Renata Oyelaran KitLab Apparel") and does not start a
			// tagged name ("Deanna Castellucci Brody Kettleman what ages").
			if r, known := wordRank(strings.ToLower(ws[2])); known && r < 20000 || ws[2] == "I" || isCamel(ws[2]) ||
				len(ws) > 3 && looksLikeName(ws[2]+" "+ws[3], false) {
				continue
			}
		}
		if uncommon {
			return cand, strings.Join(ws[n:], " "), true
		}
	}
	return "", "", false
}

// linkedInHeader reads a LinkedIn comment's header: the name (perhaps
// twice, as a copied page has it), a degree or badge, a headline, and the
// time ("3d", "1w (edited)").
func linkedInHeader(lines []string, i int) (item, int, bool) {
	l := strings.TrimSpace(lines[i])
	// "Marta Kessler · 2nd · Owner, Kessler Roofing": all on one line.
	if parts := strings.FieldsFunc(l, func(r rune) bool { return r == '·' || r == '•' }); len(parts) >= 3 {
		name := strings.TrimSpace(parts[0])
		var rest []string
		degree := false
		for _, p := range parts[1:] {
			p = strings.TrimSpace(p)
			switch {
			case degreeLine.MatchString(p) || badgeLine.MatchString(p):
				degree = true
			case p != "" && !relTime.MatchString(p):
				rest = append(rest, p)
			}
		}
		if degree && looksLikeName(name, false) {
			h := item{author: cleanName(name), headline: strings.Join(rest, " | ")}
			if strings.Contains(strings.ToLower(l), "author") {
				h.badge = "Author"
			}
			n := 1
			if j := nextText(lines, i+1); j > 0 && relTime.MatchString(strings.TrimSpace(lines[j])) {
				n = j - i + 1
			}
			return h, n, true
		}
	}
	if !looksLikeName(l, false) {
		return item{}, 0, false
	}
	h := item{author: cleanName(l)}
	if strings.Contains(strings.ToLower(l), "author") {
		h.badge = "Author"
	}
	strong := nameSuffix.MatchString(l) // "• 2nd" on the name line
	for j, seen := i+1, 0; j < len(lines) && seen < 5; j++ {
		t := strings.TrimSpace(lines[j])
		if t == "" {
			continue
		}
		seen++
		switch {
		case relTime.MatchString(t):
			return h, j - i + 1, true
		case cleanName(t) == h.author:
			if nameSuffix.MatchString(t) {
				strong = true
			}
		case degreeLine.MatchString(t):
			strong = true
		case badgeLine.MatchString(t):
			if strings.EqualFold(t, "author") {
				h.badge = "Author"
			}
			strong = true
		case h.headline == "" && !isChrome(t) && utf8.RuneCountInString(t) <= 220:
			if !strong && !headlineCue.MatchString(t) && seen > 1 {
				return item{}, 0, false
			}
			h.headline = t
		default:
			if strong && h.headline != "" {
				// No time line: the header ends with the headline.
				return h, j - i, true
			}
			return item{}, 0, false
		}
	}
	return item{}, 0, false
}

// fbPostDate is the date under a Facebook post's author: "Mar 2 at 7:40
// PM ·", "Yesterday at 09:12 · 🌐".
var fbPostDate = regexp.MustCompile(`(?i)^(?:\p{L}{3,9}\.? \d{1,2}(?:,? \d{4})?|\d{1,2} \p{L}{3,9}(?: \d{4})?|yesterday|today|just now|\d+\s?(?:m|h|d|w|mins?|hrs?|hours?|days?|weeks?))(?: at \d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?)?\s*(?:·\s*)?(?:🌐|👥|🔒)?$`)

// xHandle is X's handle line, perhaps with the time: "@kisanudaan · 3h".
var xHandle = regexp.MustCompile(`^(@[A-Za-z0-9_.]{1,30})(?:\s*·\s*\S.*)?$`)

// adLine marks a paid post among the replies.
var adLine = regexp.MustCompile(`(?i)^(?:ad|promoted|sponsored|promoted by .+)$`)

// redditBadge is what Reddit shows under a name: the post's author, a
// moderator.
var redditBadge = regexp.MustCompile(`(?i)^(?:op|mod|moderator|admin|top \d+% commenter|\d+ karma)$`)

// redditTimeLine is Reddit's "· 5h" under a name.
var redditTimeLine = regexp.MustCompile(`^·\s*\d+\s?\w{1,6}(?: ago)?$`)

// redditChrome are Reddit's interface lines that mean something
// elsewhere ("Best" closes letters).
func redditChrome(l string) bool {
	switch strings.ToLower(l) {
	case "upvote", "downvote", "vote", "go to comments", "sort by:", "sort by", "best", "top", "new", "controversial", "old", "q&a",
		"award", "save", "follow", "more replies", "continue this thread", "comment", "comments", "single comment thread", "see full discussion":
		return true
	}
	return redditLevel.MatchString(l) || subreddit.MatchString(l)
}

// subreddit is the community's name above the post: "r/SmallFreightOps".
var subreddit = regexp.MustCompile(`^r/[A-Za-z0-9_]{2,30}$`)

// looseHeader reads a name line where a comment must start (at the top,
// or after an action bar such as "Like · Reply · 2d") even without the
// degree or time lines a full copy has: a pasted thread that lost them
// still starts each comment with the writer's name, perhaps a headline.
func looseHeader(lines []string, i int) (item, int, bool) {
	l := strings.TrimSpace(lines[i])
	j := nextText(lines, i+1)
	if !looksLikeName(l, false) {
		// "Maite Villacorta We do teacher training…": a reply copied with
		// its writer's name on the same line.
		if name, rest, ok := nameThenText(l); ok {
			return item{author: name, body: []string{rest}}, 1, true
		}
		return item{}, 0, false
	}
	if j < 0 {
		return item{}, 0, false
	}
	next := strings.TrimSpace(lines[j])
	if looksLikeName(next, false) {
		return item{}, 0, false // a list of names, not a comment
	}
	h := item{author: cleanName(l)}
	if headlineCue.MatchString(next) && utf8.RuneCountInString(next) <= 120 && !strings.HasSuffix(next, ".") && nextText(lines, j+1) > 0 {
		h.headline = next
		return h, j - i + 1, true
	}
	return h, 1, true
}

// headlineCue marks a LinkedIn headline: a role, a company after "at",
// parts between bars.
var headlineCue = regexp.MustCompile(`(?i)(?:\s(?:at|@)\s|\s\|\s|^(?:founder|co-?founder|owner|ceo|cto|coo|cfo|director|partner|principal|managing|head of|president|consultant|freelance|fractional|vp|manager|lead|senior|chief)\b|,\s*(?:founder|owner|ceo)\b|\b(?:helping|i help)\b)`)

// isRole reports whether a Discord or Facebook line under a name is a
// role badge: short, no sentence.
func isRole(l string) bool {
	return strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]") && utf8.RuneCountInString(l) <= 40
}

// chatName reports whether s can be a chat tool's display name: short, no
// sentence punctuation.
func chatName(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || utf8.RuneCountInString(s) > 50 || strings.ContainsAny(s, ",!?;:") || len(strings.Fields(s)) > 5 {
		return false
	}
	return !isChrome(s)
}

var dateLine = regexp.MustCompile(`(?i)^(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d{1,2}(?:,? \d{4})?|\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*(?: \d{4})?)$`)

func isDate(l string) bool { return dateLine.MatchString(l) }

// nextText returns the index of the first non-blank line from i, or -1.
func nextText(lines []string, i int) int {
	for ; i < len(lines); i++ {
		if strings.TrimSpace(lines[i]) != "" {
			return i
		}
	}
	return -1
}

func lastText(body []string) int {
	for k := len(body) - 1; k >= 0; k-- {
		if strings.TrimSpace(body[k]) != "" {
			return k
		}
	}
	return -1
}

func trimBlank(body []string) []string {
	for len(body) > 0 && strings.TrimSpace(body[0]) == "" {
		body = body[1:]
	}
	for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
		body = body[:len(body)-1]
	}
	return body
}
