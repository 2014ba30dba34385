package thread

import (
	"encoding/json"
	"regexp"
	"strings"
)

// Reading the files chat tools export: a Slack channel's JSON (one day's
// file of the export), DiscordChatExporter's JSON, and WhatsApp's "Export
// chat" text.

// slackMessage is a message of a Slack export, as much as a reading needs.
type slackMessage struct {
	Type        string `json:"type"`
	Subtype     string `json:"subtype"`
	User        string `json:"user"`
	Text        string `json:"text"`
	BotID       string `json:"bot_id"`
	UserProfile struct {
		RealName    string `json:"real_name"`
		DisplayName string `json:"display_name"`
	} `json:"user_profile"`
	Username string `json:"username"`
}

// discordExport is DiscordChatExporter's JSON.
type discordExport struct {
	Messages []struct {
		Type    string `json:"type"`
		Content string `json:"content"`
		Author  struct {
			Name     string `json:"name"`
			Nickname string `json:"nickname"`
			IsBot    bool   `json:"isBot"`
		} `json:"author"`
		Reference *struct {
			MessageID string `json:"messageId"`
		} `json:"reference"`
	} `json:"messages"`
}

// detectJSON reports which export a JSON paste is.
func detectJSON(text string) (Format, bool) {
	t := strings.TrimSpace(text)
	if t == "" || t[0] != '[' && t[0] != '{' || !json.Valid([]byte(t)) {
		return "", false
	}
	var slack []slackMessage
	if json.Unmarshal([]byte(t), &slack) == nil && len(slack) > 0 {
		for _, m := range slack {
			if m.Type == "message" {
				return Slack, true
			}
		}
	}
	var discord discordExport
	if json.Unmarshal([]byte(t), &discord) == nil && len(discord.Messages) > 0 {
		return Discord, true
	}
	return "", false
}

var (
	slackMention = regexp.MustCompile(`<@([A-Z0-9]+)(?:\|([^>]+))?>`)
	slackLink    = regexp.MustCompile(`<((?:https?|mailto):[^|>]+)(?:\|([^>]+))?>`)
	slackSpecial = regexp.MustCompile(`<!(\w+)(?:\|[^>]*)?>`)
)

func readSlackJSON(text string) []item {
	var msgs []slackMessage
	if json.Unmarshal([]byte(text), &msgs) != nil {
		return nil
	}
	names := map[string]string{}
	for _, m := range msgs {
		if n := firstNonEmpty(m.UserProfile.RealName, m.UserProfile.DisplayName, m.Username); n != "" && m.User != "" {
			names[m.User] = n
		}
	}
	var items []item
	for _, m := range msgs {
		switch m.Subtype {
		case "channel_join", "channel_leave", "channel_topic", "channel_purpose", "channel_name", "pinned_item", "tombstone":
			continue
		}
		if m.Type != "message" {
			continue
		}
		body := slackMention.ReplaceAllStringFunc(m.Text, func(s string) string {
			sm := slackMention.FindStringSubmatch(s)
			if sm[2] != "" {
				return "@" + sm[2]
			}
			if n, ok := names[sm[1]]; ok {
				return "@" + n
			}
			return "@" + sm[1]
		})
		body = slackLink.ReplaceAllStringFunc(body, func(s string) string {
			sm := slackLink.FindStringSubmatch(s)
			if sm[2] != "" {
				if strings.HasPrefix(sm[1], "mailto:") {
					return strings.TrimPrefix(sm[1], "mailto:")
				}
				return sm[2]
			}
			return strings.TrimPrefix(sm[1], "mailto:")
		})
		body = slackSpecial.ReplaceAllString(body, "@$1")
		body = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(body)
		body = emojiCode.ReplaceAllString(body, " ·")
		it := item{author: firstNonEmpty(m.UserProfile.RealName, names[m.User], m.UserProfile.DisplayName, m.Username, m.User), body: splitLines(body)}
		if m.BotID != "" || m.Subtype == "bot_message" {
			it.badge = "bot"
		}
		items = append(items, it)
	}
	return items
}

func readDiscordJSON(text string) []item {
	var ex discordExport
	if json.Unmarshal([]byte(text), &ex) != nil {
		return nil
	}
	var items []item
	for _, m := range ex.Messages {
		if m.Type != "" && m.Type != "Default" && m.Type != "Reply" {
			continue // joins, pins, boosts
		}
		it := item{author: firstNonEmpty(m.Author.Nickname, m.Author.Name), body: splitLines(emojiCode.ReplaceAllString(m.Content, " ·")), reply: m.Reference != nil}
		if m.Author.IsBot {
			it.badge = "bot"
		}
		items = append(items, it)
	}
	return items
}

var (
	// "[3/4/26, 9:12:33 AM] Marta Kessler: text" and "3/4/26, 9:12 AM - Marta Kessler: text".
	whatsAppLine = regexp.MustCompile(`^\x{200E}?\[?(\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}),?\s+(\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?)\]?\s*(?:-\s+)?([^:]{1,60}?):\s?(.*)$`)
	// Lines WhatsApp writes of itself: joins, leaves, encryption notices.
	whatsAppSystem = regexp.MustCompile(`^\x{200E}?\[?(\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}),?\s+(\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?)\]?\s*(?:-\s+)?[^:]*$`)
	whatsAppNoise  = regexp.MustCompile(`(?i)^(?:<media omitted>|<attached: [^>]*>|image omitted|video omitted|sticker omitted|gif omitted|audio omitted|document omitted|this message was deleted|you deleted this message|null|<this message was edited>)$`)
)

func readWhatsApp(text string) []item {
	var items []item
	var cur *item
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimSpace(strings.TrimPrefix(l, "\u200e"))
		if m := whatsAppLine.FindStringSubmatch(t); m != nil {
			if cur != nil {
				items = append(items, *cur)
			}
			cur = &item{author: strings.TrimSpace(m[3])}
			if body := strings.TrimSpace(m[4]); body != "" && !whatsAppNoise.MatchString(body) {
				cur.body = append(cur.body, strings.TrimSuffix(body, "<This message was edited>"))
			}
			continue
		}
		if whatsAppSystem.MatchString(t) {
			if cur != nil {
				items = append(items, *cur)
			}
			cur = nil
			continue
		}
		if cur != nil && !whatsAppNoise.MatchString(t) {
			cur.body = append(cur.body, t)
		}
	}
	if cur != nil {
		items = append(items, *cur)
	}
	for k := range items {
		items[k].body = trimBlank(items[k].body)
	}
	return items
}
