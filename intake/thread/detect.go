package thread

import (
	"encoding/csv"
	"regexp"
	"strings"
)

var (
	slackHeader   = regexp.MustCompile(`(?i)^(.{1,60}?)\s+(app\s+|bot\s+)?\[?(\d{1,2}:\d{2}(?::\d{2})?\s?(?:[ap]\.?m\.?)?)\]?$`)
	discordHeader = regexp.MustCompile(`(?i)^(.{1,60}?)\s*(?:\s[—–-]\s|\s{2,}|\s*—\s*)(?:today at|yesterday at|last \w+ at|(?:mon|tues|wednes|thurs|fri|satur|sun)day at|\d{1,2}/\d{1,2}/\d{2,4},?(?: at)?)\s*\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?$`)
	discordTime   = regexp.MustCompile(`(?i)^[—–-]?\s*(?:today at|yesterday at|\d{1,2}/\d{1,2}/\d{2,4},?(?: at)?)\s*\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?$`)
	xOneLine      = regexp.MustCompile(`^(.{1,60}?)\s+(@[A-Za-z0-9_.]{1,30})\s*·\s*(\S.*)$`)
	// "[10:42 AM] Marta Kessler: text", as Slack copies with timestamps shown.
	slackBracket = regexp.MustCompile(`(?i)^\[(\d{1,2}:\d{2}(?::\d{2})?\s?(?:[ap]\.?m\.?)?)\]\s+([^:\[\]]{1,60}?):\s?(.*)$`)
	// "[3/14/2026 9:12 AM] marta#1234", as DiscordChatExporter writes.
	discordBracket = regexp.MustCompile(`(?i)^\[(\d{1,4}[/.-](?:\d{1,2}|[a-z]{3})[/.-]\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s?(?:[ap]\.?m\.?)?)\]\s+([^:\[\]]{1,60})$`)
	// Gmail's web view: "Marta Kessler <marta@kessler.com>", then a date
	// like "Tue, Mar 3, 9:14 AM (2 days ago)".
	gmailSender = regexp.MustCompile(`^([^<>@]{1,60}?)\s*<([^<>\s]+@[^<>\s]+)>\s*$`)
	gmailDate   = regexp.MustCompile(`(?i)^(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*,?\s+)?(?:\w{3,9}\s+\d{1,2}|\d{1,2}\s+\w{3,9})(?:,?\s+\d{4})?,?\s+(?:at\s+)?\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?(?:\s*\([^)]*\))?$|^\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*\([^)]*ago\)$`)
	// A Threads username: lower case, dots and underscores, no "@".
	threadsUser = regexp.MustCompile(`^[a-z0-9][a-z0-9._]{2,29}$`)
	// Facebook's mobile site under each comment: "Like Reply 3h".
	fbMobileBar = regexp.MustCompile(`(?i)^like\s+reply(?:\s+(?:share|more|\d+\s?[a-z]{1,5}))*$`)
	// Reddit: "level 2", "u/tx_cross_dock · 4h", "Posted by u/dana".
	redditLevel  = regexp.MustCompile(`(?i)^level \d{1,2}$`)
	redditHeader = regexp.MustCompile(`^(?:(?i:posted by)\s+)?u/([A-Za-z0-9_-]{2,30})(?:\s*·\s*(?:\d+\s?\w{1,6}(?: ago)?|(?i:edited|op|mod)\b.*))*\s*$`)
	// Header names as mail programs write them in the languages threads
	// come in (Outlook translates them): From, then Sent, To, Cc, Subject.
	emailFrom     = regexp.MustCompile(`(?i)^(?:from|von|de|da|van|od|feladó|från|fra|lähettäjä|kimden|afzender|remitente|expéditeur|mittente|от|від):\s*(.+)$`)
	emailWrote    = regexp.MustCompile(`(?i)^(?:on\s.+\s(?:wrote|writes):\s*$|.+\s(?:wrote|writes):\s*$|-{2,}\s*original message\s*-{2,}|_{5,})`)
	emailHeaderRe = regexp.MustCompile(`(?i)^(?:sent|date|to|cc|subject|reply-to|gesendet|betreff|envoyé|objet|enviado|asunto|assunto|para|inviato|oggetto|verzonden|aan|onderwerp|wysłano|temat|elküldve|címzett|másolatot kap|tárgy|odesláno|komu|předmět|skickat|till|ämne|sendt|emne|lähetetty|vastaanottaja|aihe|gönderildi|konu|отправлено|кому|тема):\s*`)
	// A call for replies: what a host's first post says.
	callForReplies = regexp.MustCompile(`(?i)(?:write back with|matchmaking is open|one (?:message|comment|reply) each|who you(?:'d| would)? (?:want|like|love) to meet|asked you to (?:write|reply|tell)|tell (?:us|me)|drop (?:your|a|them)|comment (?:below|with|here)|reply (?:with|below)|play matchmaker|(?:i'll|i will|happy to) (?:introduce|connect|make intros|match)|introductions?|who (?:you'?re|you are|are you) (?:looking|hoping)|what (?:you|your business) do|share (?:what|your)|let'?s get you (?:connected|matched)|in the comments|below 👇|👇)`)
)

// Detect names the format a paste is in, and whether it is sure: a paste
// in no format it knows is read as prose, one item per block of lines.
func Detect(text string) (Format, bool) {
	if f, ok := detectJSON(text); ok {
		return f, true
	}
	if f, ok := detectSheet(text); ok {
		return f, true
	}
	lines := strings.Split(text, "\n")
	score := map[Format]int{}
	nonEmpty, whatsApp := 0, 0
	for i, raw := range lines {
		l := strings.TrimSpace(raw)
		if l == "" {
			continue
		}
		nonEmpty++
		lower := strings.ToLower(l)
		switch {
		case whatsAppLine.MatchString(l) || whatsAppSystem.MatchString(l):
			whatsApp++
		case redditLevel.MatchString(l) || redditHeader.MatchString(l):
			score[Reddit] += 3
		case slackBracket.MatchString(l):
			score[Slack] += 3
		case discordBracket.MatchString(l):
			score[Discord] += 3
		case gmailSender.MatchString(l) && i+1 < len(lines) && gmailDate.MatchString(strings.TrimSpace(lines[i+1])), gmailPrinted(raw) != "":
			score[Email] += 3
		case threadsUser.MatchString(l) && i+1 < len(lines) && relTime.MatchString(strings.TrimSpace(lines[i+1])):
			score[X] += 2
		case discordHeader.MatchString(l) || discordTime.MatchString(l):
			score[Discord] += 3
		case fbMobileBar.MatchString(l):
			score[Facebook] += 2
		case slackHeader.MatchString(l) && !clockTime.MatchString(l) && looksLikeName(slackHeader.FindStringSubmatch(l)[1], true):
			score[Slack] += 3
		case slackReaction.MatchString(l), strings.HasPrefix(lower, "replied to a thread"), strings.Contains(lower, "last reply"):
			score[Slack] += 2
		case emailFrom.MatchString(l):
			score[Email] += 3
		case emailWrote.MatchString(l):
			score[Email] += 2
		case emailHeaderRe.MatchString(l):
			score[Email]++
		case xHandle.MatchString(l), replyingTo.MatchString(l), xOneLine.MatchString(l):
			score[X] += 2
		case degreeLine.MatchString(l), strings.Contains(l, "• 2nd"), strings.Contains(l, "• 3rd"), strings.Contains(l, "• 1st"),
			strings.Contains(lower, "like · reply"), strings.Contains(lower, "like | reply"), strings.HasSuffix(lower, "followers"),
			strings.Contains(lower, "repost"):
			score[LinkedIn] += 2
		case strings.Contains(lower, "like reply share"), strings.Contains(lower, "like · reply · share"),
			strings.HasPrefix(lower, "top contributor"), strings.HasPrefix(lower, "rising contributor"), strings.HasPrefix(lower, "write a comment"),
			strings.HasPrefix(lower, "view all") && strings.Contains(lower, "repl"), lower == "most relevant", lower == "group expert",
			lower == "admin", lower == "like reply":
			score[Facebook] += 2
		case relTime.MatchString(l):
			// LinkedIn puts the time under the name, Facebook after the
			// comment: either way it is a chat.
			if i+1 < len(lines) && !isChrome(lines[i+1]) && strings.TrimSpace(lines[i+1]) != "" {
				score[LinkedIn]++
			} else {
				score[Facebook]++
			}
		}
	}
	if whatsApp >= 3 && whatsApp*3 >= nonEmpty {
		return WhatsApp, true
	}
	best, bestScore := Prose, 0
	for _, f := range []Format{LinkedIn, Facebook, X, Slack, Discord, Email, Reddit} {
		if score[f] > bestScore {
			best, bestScore = f, score[f]
		}
	}
	if bestScore >= 3 {
		return best, true
	}
	return Prose, proseLooksIntended(text)
}

// detectSheet reports whether the text is a spreadsheet: a header row of
// short cells, and rows that have as many cells.
func detectSheet(text string) (Format, bool) {
	first, _, _ := strings.Cut(strings.TrimLeft(text, "\n"), "\n")
	for _, f := range []Format{TSV, CSV} {
		sep := ','
		if f == TSV {
			sep = '\t'
		}
		if strings.Count(first, string(sep)) < 2 {
			continue
		}
		r := csv.NewReader(strings.NewReader(text))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = sep, -1, true
		header, err := r.Read()
		if err != nil || len(header) < 3 {
			continue
		}
		short := 0
		for _, h := range header {
			if n := len(strings.TrimSpace(h)); n > 0 && n <= 120 && !strings.Contains(h, "\n") {
				short++
			}
		}
		if short*4 < len(header)*3 {
			continue
		}
		rows, alike := 0, 0
		for rows < 20 {
			rec, err := r.Read()
			if err != nil {
				break
			}
			rows++
			if len(rec) >= len(header)-1 && len(rec) <= len(header)+1 {
				alike++
			}
		}
		if rows > 0 && alike*4 >= rows*3 {
			return f, true
		}
	}
	return "", false
}

// proseLooksIntended reports whether plain paragraphs are what the paste
// is: several blocks, most of them naming who wrote or whom they are
// about ("Priya from Saltwater Studio…", "Tom Li — …").
func proseLooksIntended(text string) bool {
	blocks := paragraphs(text)
	if len(blocks) < 2 {
		return false
	}
	named := 0
	for _, b := range blocks {
		if name, _, _ := proseIntro(b); name != "" {
			named++
		}
	}
	return named*3 >= len(blocks)
}
