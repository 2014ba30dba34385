// Package thread reads what a host pastes after asking "tell us what you do
// and whom you'd like to meet": a comment thread copied from LinkedIn,
// Facebook, X or Threads, a Slack or Discord channel, an e-mail chain,
// notes in prose, or a spreadsheet from a form tool. It finds the real
// offers among the chatter, makes one draft per business with every field
// a host would fill in, and says where each field came from and which are
// guesses. It is pure Go: no I/O, no storage.
package thread

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Format names what a paste was read as.
type Format string

const (
	LinkedIn Format = "linkedin"
	Facebook Format = "facebook"
	X        Format = "x" // X (Twitter) and Threads look alike when copied
	Slack    Format = "slack"
	Discord  Format = "discord"
	Email    Format = "email"
	WhatsApp Format = "whatsapp" // a group's "Export chat" text
	Reddit   Format = "reddit"
	Prose    Format = "prose" // paragraphs: notes, or replies pasted one after another
	CSV      Format = "csv"
	TSV      Format = "tsv"
)

// Fields of a draft, by the names the API uses.
const (
	FieldName      = "name"
	FieldBusiness  = "business"
	FieldEmail     = "email"
	FieldWebsite   = "website"
	FieldOffer     = "offer"
	FieldSeek      = "seek"
	FieldCustomers = "customers"
	FieldLane      = "lane"
	FieldArea      = "area"
)

// Lanes a draft can ask for (see match.Lane).
const (
	LaneStrategic = "strategic"
	LaneReferral  = "referral"
	LaneEither    = "either"
)

// Draft is one business read from a paste, for the host to check, correct
// and publish.
type Draft struct {
	Name      string `json:"name"` // the person who wrote
	Business  string `json:"business"`
	Email     string `json:"email"`
	Website   string `json:"website"` // with its scheme, as a post stores it
	Offer     string `json:"offer"`
	Seek      string `json:"seek"`
	Customers string `json:"customers"`
	Lane      string `json:"lane"` // strategic, referral or either
	Area      string `json:"area"` // the place or area they serve, as written; "" when not said
	// Origins says, for each field that has a value, where it came from
	// and whether it is a guess.
	Origins map[string]Origin `json:"origins"`
	// Source is what they wrote, their follow-ups after a blank line.
	Source string `json:"source"`
	// Problems say what the host must look at before publishing.
	Problems []string `json:"problems"`
}

// Origin is where a field's value came from: "comment", "headline",
// "signature", "email address", "website", "handle", "column: <name>",
// "name" (the person's name stands in), "default".
type Origin struct {
	From  string `json:"from"`
	Guess bool   `json:"guess"`
}

// Skip reasons: why an item of a paste is not a draft of its own.
const (
	SkipOriginalPost = "original_post" // the host's call for replies
	SkipHost         = "host"          // the host answering
	SkipChatter      = "chatter"       // "Congrats!", "Following", "DM'd you"
	SkipTag          = "tag"           // only names of others, tagged
	SkipEmoji        = "emoji"         // emoji or punctuation only
	SkipDeleted      = "deleted"       // "This comment has been deleted"
	SkipFollowUp     = "follow_up"     // merged into the same person's draft
	SkipDuplicate    = "duplicate"     // the same offer again, by the same person or business
	SkipEmptyRow     = "empty_row"     // a spreadsheet row with nothing in it
	SkipTestRow      = "test_row"      // a form's test submission
)

// Skipped is an item that did not become a draft of its own, with why.
// The host can turn any of them into a draft (see DraftOf).
type Skipped struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
	Text   string `json:"text"`
	// Into is the index in Result.Drafts of the draft a follow-up or a
	// duplicate was merged into; -1 otherwise.
	Into int `json:"into"`
}

// Column is how a spreadsheet column was read: the field it fills ("" when
// none), and whether the mapping was the host's.
type Column struct {
	Header string `json:"header"`
	Field  string `json:"field"`
	Set    bool   `json:"set"` // chosen by the host rather than guessed
}

// Result is what a paste was read into.
type Result struct {
	Format Format `json:"format"`
	// Notice says, when set, what the host should know about the reading
	// as a whole ("format not recognised: …").
	Notice  string    `json:"notice,omitempty"`
	Host    string    `json:"host,omitempty"`
	Drafts  []Draft   `json:"drafts"`
	Skipped []Skipped `json:"skipped"`
	Columns []Column  `json:"columns,omitempty"` // spreadsheets only
}

// Options adjust a reading.
type Options struct {
	// Columns maps a spreadsheet's headers to fields, overriding the
	// guessed mapping; a header mapped to "" is ignored.
	Columns map[string]string
	// Host is the host's name, when the paste does not show it.
	Host string
	// Format, when set, is what the caller knows the paste to be (a file
	// sent as text/csv, say); otherwise Read detects it.
	Format Format
}

// MaxBytes is the most a paste may hold. A 500-comment thread is about
// 200 KiB; a form export of a few thousand replies stays under this.
const MaxBytes = 2 << 20

// Read reads a paste. It never fails: a paste in no format it knows is
// read one item per block of lines, and Notice says so. The caller checks
// the size (MaxBytes) and that the text is clean UTF-8.
func Read(text string, opt Options) Result {
	text = strings.TrimPrefix(strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n"), "\ufeff")
	format, sure := Detect(text)
	if opt.Format != "" {
		format, sure = opt.Format, true
	}
	var (
		items []item
		res   = Result{Format: format, Drafts: []Draft{}, Skipped: []Skipped{}}
	)
	switch format {
	case CSV, TSV:
		var cols []Column
		items, cols = readSheet(text, format, opt.Columns)
		res.Columns = cols
	case Email:
		items = readEmails(text)
	case WhatsApp:
		items = readWhatsApp(text)
	case Prose:
		items = readProse(text, sure)
	default:
		if _, ok := detectJSON(text); ok && format == Slack {
			items = readSlackJSON(text)
		} else if ok && format == Discord {
			items = readDiscordJSON(text)
		} else {
			items = readChat(text, format)
		}
	}
	if !sure {
		res.Notice = "The format was not recognised: each block of lines separated by a blank line was read as one reply. Check the drafts, and turn any skipped reply into a draft if it was missed."
	}
	res.Host = opt.Host
	assemble(&res, items)
	if res.Drafts == nil {
		res.Drafts = []Draft{}
	}
	if res.Skipped == nil {
		res.Skipped = []Skipped{}
	}
	return res
}

// DraftOf reads one reply on its own: what a member pastes into the post
// form, or a skipped item the host turns into a draft.
func DraftOf(name, text string) Draft {
	it := item{author: name, body: splitLines(text)}
	d := draftFrom([]*item{&it}, nil)
	return d
}

// item is one comment, message, row or paragraph of a paste, before it is
// judged a draft or chatter.
type item struct {
	author   string // as shown
	headline string // LinkedIn's line under the name; an e-mail signature's title and company
	handle   string // @handle on X, or the e-mail address of the sender
	badge    string // "Author", "Admin": what the platform says of the writer
	body     []string
	sig      []string  // an e-mail's signature block, apart from what they wrote
	to       string    // whom an e-mail was sent to
	sent     time.Time // when an e-mail was sent, when its headers say
	reply    bool      // a reply to another comment
	replyTo  string    // whom it answers, when the platform says
	fields   map[string]string
	fieldSrc map[string]string // for rows: the column each field came from
	row      int               // spreadsheets: the row number (2 is the first below the header)
}

func (it *item) text() string { return strings.TrimSpace(strings.Join(it.body, "\n")) }

func splitLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		out = append(out, strings.TrimRight(l, " \t"))
	}
	return out
}

// clip shortens s to n runes for a skipped item's text.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}
