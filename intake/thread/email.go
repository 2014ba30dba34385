package thread

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Reading e-mails pasted one after another, or one reply with the chain
// quoted under it: each message's writer from its "From:" line or the
// "On …, Jane <jane@x.com> wrote:" that introduces it, its text without
// what it quotes, and its signature apart.

var (
	// "On Tue, Mar 3, 2026 at 9:14 AM Jane Doe <jane@x.com> wrote:".
	wroteLine = regexp.MustCompile(`(?i)^(?:on\s+.*?(?:\d{4},?\s+(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?|\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?|\d{4}),?\s+(.+?)|(.+?))\s+(?:wrote|writes|a écrit|schrieb):\s*$`)
	signOff   = regexp.MustCompile(`(?i)^(?:best|best wishes|all the best|best regards|kind regards|warm regards|warmest regards|regards|cheers|thanks|thank you|many thanks|thanks so much|thanks again|talk soon|speak soon|warmly|sincerely|yours|take care|with thanks|gracias|ta)[,!.]?\s*$`)
	// "Best, Marta" on one line.
	signOffName = regexp.MustCompile(`(?i)^(?:best|cheers|thanks|regards|warmly|best regards|kind regards|many thanks|thank you),?\s+(\p{Lu}[\p{L}'’.-]*(?:\s\p{Lu}[\p{L}'’.-]*)?)$`)
	sigDash     = regexp.MustCompile(`^(?:--|—|–|__)\s*$`)
	// Lines mail programs add: "Sent from my iPhone", confidentiality
	// footers.
	mailerLine = regexp.MustCompile(`(?i)^(?:sent from my \w+|sent from (?:outlook|mail|gmail|yahoo)|get outlook for \w+|this (?:e-?mail|message) (?:and any attachments? )?(?:is|are|may be) (?:confidential|intended)|confidentiality notice|disclaimer:|please consider the environment|unsubscribe)`)
)

func readEmails(text string) []item {
	lines := strings.Split(text, "\n")
	for k, l := range lines {
		// Gmail's printed page: its name and the count of messages.
		if t := strings.ToLower(strings.TrimSpace(l)); strings.HasPrefix(t, "gmail\t") || messageCount.MatchString(t) {
			lines[k] = ""
		}
	}
	var (
		items []item
		start = -1
	)
	// Messages start at "From:" lines; text before the first is a
	// message of its own (the paste may start with a reply's body).
	var starts []int
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if emailFrom.MatchString(t) && !strings.HasPrefix(t, ">") || isGmailHeader(lines, i) {
			starts = append(starts, i)
		}
	}
	if len(starts) == 0 || nextText(lines, 0) < starts[0] && nextText(lines, 0) >= 0 {
		start = 0
	}
	bounds := starts
	if start == 0 {
		bounds = append([]int{0}, starts...)
	}
	for k, s := range bounds {
		end := len(lines)
		if k+1 < len(bounds) {
			end = bounds[k+1]
		}
		items = append(items, readMessage(lines[s:end])...)
	}
	// A digest's own header ("Today's topic summary") is the list's, not
	// a member's.
	items = slices.DeleteFunc(items, func(it item) bool { return digestHeader.MatchString(it.text()) })
	// Outlook and some archives list the newest message first (the call
	// for replies at the bottom): read them in the order written.
	if newestFirst(items) {
		slices.Reverse(items)
	}
	return items
}

// digestChrome are the lines a digest puts between messages.
var digestChrome = regexp.MustCompile(`(?i)^(?:back to top|-{3,}\s*\d+ of \d+\s*-{3,}|={5,}|-{10,})$`)

// digestHeader is what a mailing list's digest opens with.
var digestHeader = regexp.MustCompile(`(?i)\b(?:today'?s topic summary|topic summary|digest for \S+@|you received this (?:message|digest) because you are subscribed)`)

// newestFirst reports whether the dated messages mostly run backwards.
func newestFirst(items []item) bool {
	var prev time.Time
	down, up := 0, 0
	for _, it := range items {
		if it.sent.IsZero() {
			continue
		}
		if !prev.IsZero() {
			switch {
			case it.sent.Before(prev):
				down++
			case it.sent.After(prev):
				up++
			}
		}
		prev = it.sent
	}
	return down >= 2 && down > 2*up
}

// mailDateLayouts are how mail programs write a message's date.
var mailDateLayouts = []string{
	"2 January 2006 15:04", "2 January 2006 3:04 PM", "January 2, 2006 3:04 PM", "January 2, 2006 15:04",
	"2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 MST", "2 Jan 2006 15:04", "Jan 2, 2006 3:04 PM", "Jan 2, 2006, 3:04 PM",
	"January 2, 2006 at 3:04 PM", "2/1/2006 15:04", "1/2/2006 3:04 PM", "2006-01-02 15:04",
}

// mailDate reads a Sent: or Date: header's value, or returns the zero time.
func mailDate(v string) time.Time {
	if _, rest, ok := strings.Cut(v, ", "); ok && weekday.MatchString(v) {
		v = rest
	}
	v = strings.Join(strings.Fields(strings.ReplaceAll(v, " at ", " ")), " ")
	for _, layout := range mailDateLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t
		}
		if t, err := time.Parse(strings.ReplaceAll(layout, " at ", " "), v); err == nil {
			return t
		}
	}
	return time.Time{}
}

// weekday opens a date: "Monday, 16 March 2026".
var weekday = regexp.MustCompile(`(?i)^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,`)

// readMessage reads one message: its headers, its own text and signature,
// then any message it quotes (as messages of their own, oldest last).
func readMessage(lines []string) []item {
	var it item
	i := 0
	// Headers: "From:" and the rest, or Gmail's sender, date and "to me".
	if len(lines) == 0 {
		return nil
	}
	if sender := gmailPrinted(lines[0]); sender != "" {
		// Gmail's "Print all": the sender and the date on one line.
		it.author, it.handle = parseSender(sender)
		i = 1
	} else if isGmailHeader(lines, 0) {
		it.author, it.handle = parseSender(strings.TrimSpace(lines[0]))
		i = nextText(lines, 1) + 1
		if j := nextText(lines, i); j >= 0 && gmailTo.MatchString(strings.TrimSpace(lines[j])) {
			i = j + 1
		}
	}
	for ; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if m := emailFrom.FindStringSubmatch(l); m != nil && it.author == "" && it.handle == "" {
			it.author, it.handle = parseSender(m[1])
			continue
		}
		if m := emailHeaderRe.FindString(l); m != "" {
			switch lm := strings.ToLower(m); {
			case strings.HasPrefix(lm, "to"):
				it.to, _ = parseSender(strings.TrimSpace(l[len(m):]))
			case strings.HasPrefix(lm, "sent"), strings.HasPrefix(lm, "date"):
				it.sent = mailDate(strings.TrimSpace(l[len(m):]))
			}
			continue
		}
		if l == "" && i+1 < len(lines) && emailHeaderRe.MatchString(strings.TrimSpace(lines[i+1])) {
			continue
		}
		break
	}
	var quoted []item
	var body []string
	for ; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t")
		t := strings.TrimSpace(l)
		if digestChrome.MatchString(t) {
			continue // a digest's separators between messages
		}
		// "> On Mar 18, … wrote:": the quoted message may itself be quoted.
		if m := wroteLine.FindStringSubmatch(strings.TrimLeft(t, "> ")); m != nil || emailWrote.MatchString(t) && !strings.HasPrefix(t, ">") {
			// The rest is a quoted message: by its writer, its lines
			// without one level of ">".
			q := item{}
			if m != nil {
				who := m[1]
				if who == "" {
					who = m[2]
				}
				q.author, q.handle = parseSender(who)
			}
			var rest []string
			for _, r := range lines[i+1:] {
				rest = append(rest, dequote(r))
			}
			if q.author == "" && q.handle == "" {
				quoted = append(quoted, readMessage(rest)...)
			} else {
				inner := readMessage(rest)
				if len(inner) > 0 && inner[0].author == "" && inner[0].handle == "" {
					inner[0].author, inner[0].handle = q.author, q.handle
				}
				quoted = append(quoted, inner...)
			}
			break
		}
		if strings.HasPrefix(t, ">") {
			continue // quoted without an introduction: said before
		}
		body = append(body, t)
	}
	it.body, it.sig = splitSignature(body, it.author)
	out := []item{}
	if it.author != "" || it.handle != "" || strings.TrimSpace(strings.Join(it.body, "")) != "" {
		out = append(out, it)
	}
	return append(out, quoted...)
}

// messageCount is Gmail's "17 messages" above a printed conversation.
var messageCount = regexp.MustCompile(`^\d+ messages?$`)

// gmailPrinted returns the sender of a message as Gmail prints a
// conversation ("Jeroen Peeters <jeroen@…>⇥Mon, Mar 9, 2026 at 9:51 AM"),
// or "".
func gmailPrinted(line string) string {
	sender, date, ok := strings.Cut(strings.TrimSpace(line), "\t")
	if !ok {
		return ""
	}
	if sender, date = strings.TrimSpace(sender), strings.TrimSpace(date); gmailSender.MatchString(sender) && gmailDate.MatchString(date) {
		return sender
	}
	return ""
}

// gmailTo is the line under Gmail's date: "to me", "to Gail, Tom".
var gmailTo = regexp.MustCompile(`(?i)^to\s+[^.!?]{1,80}$`)

// isGmailHeader reports whether a message starts at line i as Gmail's web
// view shows it: the sender with their address, then the date.
func isGmailHeader(lines []string, i int) bool {
	if i < len(lines) && gmailPrinted(lines[i]) != "" {
		return true
	}
	if i >= len(lines) || !gmailSender.MatchString(strings.TrimSpace(lines[i])) {
		return false
	}
	j := nextText(lines, i+1)
	return j > 0 && gmailDate.MatchString(strings.TrimSpace(lines[j]))
}

func dequote(l string) string {
	t := strings.TrimLeft(l, " ")
	if strings.HasPrefix(t, ">") {
		return strings.TrimPrefix(strings.TrimPrefix(t, ">"), " ")
	}
	return l
}

// parseSender reads "Jane Doe <jane@x.com>", "jane@x.com" or "Jane Doe".
func parseSender(s string) (name, address string) {
	s = strings.TrimSpace(s)
	if a, err := mail.ParseAddress(s); err == nil {
		return strings.Trim(a.Name, `"' `), strings.ToLower(a.Address)
	}
	if m := emailPattern.FindString(s); m != "" {
		name = strings.TrimSpace(strings.Trim(strings.Replace(s, m, "", 1), `<>()[]"' `))
		return name, strings.ToLower(m)
	}
	return strings.Trim(s, `"' `), ""
}

// splitSignature cuts a message's lines at its sign-off ("Best,", "--")
// or, failing that, at a closing block that starts with the writer's
// name: what follows is the signature. Mailer lines go.
func splitSignature(lines []string, author string) (body, sig []string) {
	var kept []string
	for _, l := range lines {
		if mailerLine.MatchString(l) {
			break // a footer: nothing after it is theirs
		}
		kept = append(kept, l)
	}
	kept = trimBlank(kept)
	bodyEnd, sigStart := -1, -1
	for k, l := range kept {
		switch {
		case signOff.MatchString(l) || sigDash.MatchString(l):
			bodyEnd, sigStart = k, k+1
		case signOffName.MatchString(l) && k >= len(kept)-8:
			bodyEnd, sigStart = k, k
		}
	}
	if sigStart < 0 && author != "" {
		full, first := strings.ToLower(author), strings.ToLower(strings.Fields(author)[0])
		for k := len(kept) - 1; k > 0 && k >= len(kept)-6; k-- {
			if l := strings.ToLower(strings.TrimSpace(kept[k])); l == full || l == first || strings.HasPrefix(l, full+" |") || strings.HasPrefix(l, full+",") {
				bodyEnd, sigStart = k, k
				break
			}
		}
	}
	if sigStart < 0 || len(kept)-sigStart > 12 {
		return kept, nil
	}
	body = trimBlank(kept[:bodyEnd])
	for _, l := range kept[sigStart:] {
		if l = strings.TrimSpace(l); l != "" {
			if m := signOffName.FindStringSubmatch(l); m != nil {
				l = m[1]
			}
			sig = append(sig, l)
		}
	}
	return body, sig
}
