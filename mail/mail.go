// Package mail sends Matchmaker's email: to an outbox folder of .eml files
// by default, so that a local install needs no mail server, or through an
// SMTP server. Messages are built by github.com/wneessen/go-mail, which does
// the MIME work (multipart/alternative, RFC 2047 headers, quoted-printable
// bodies); this package only validates what callers hand it.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	netmail "net/mail"
	"net/textproto"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"github.com/matchmaker/matchmaker/match"
)

// Message is one email to one recipient.
type Message struct {
	To      string            // the recipient's address
	Subject string            // any Unicode; no line breaks
	Text    string            // plain-text body (required)
	HTML    string            // HTML body; when set the message is multipart/alternative (text + HTML)
	Headers map[string]string // extra headers, e.g. List-Unsubscribe, List-Unsubscribe-Post
	// Attachments are files sent with the message, after its bodies: a
	// calendar invitation (text/calendar; method=REQUEST), for one.
	Attachments []Attachment `json:",omitempty"`
	// ID is the left part of the Message-ID (the right part is the From
	// address's domain). The outbox fixes it when it queues the message, so
	// that a message sent twice, in the one window where that can happen
	// (see app's sender), is known by its receiver as one. Random when empty.
	ID string
}

// Attachment is one file attached to a message.
type Attachment struct {
	Name        string // the file name the recipient sees, e.g. "invite.ics"
	ContentType string // a media type with its parameters: "text/calendar; method=REQUEST; charset=UTF-8"
	Data        []byte
}

// maxAttachment bounds one attachment: the outbox keeps queued messages in
// the database, and nothing the service sends is near this.
const maxAttachment = 1 << 20

// NewID returns a random Message-ID left part.
func NewID() string { return randomHex(16) }

// Sender sends messages. Send returns an error if the message was not
// accepted; it must be safe for concurrent use.
//
// Implementations in this package return an error matching match.ErrInvalid
// (errors.Is) when the message itself is unacceptable — a bad address, a
// header with CR or LF in it, no text body — so that retrying cannot help,
// and an error wrapping ctx.Err() when ctx ended first.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Config chooses where mail goes.
type Config struct {
	From      string // e.g. "Matchmaker <matchmaker@localhost>"; required
	OutboxDir string // used when SMTPURL is empty: each message is written as an .eml file here
	// SMTPURL is one of
	//   smtp://user:pass@host:587     STARTTLS required (port defaults to 587)
	//   smtps://user:pass@host:465    implicit TLS (port defaults to 465)
	//   smtp://host:25?tls=none       plain, for a local relay; credentials are refused
	// User and password are URL-decoded; authentication is AUTH PLAIN.
	SMTPURL   string
	TLSConfig *tls.Config // optional: trusted roots etc.; ServerName defaults to the URL's host
}

// New returns the Sender for cfg: an *Outbox when SMTPURL is empty, an *SMTP
// otherwise. It validates cfg; its errors never contain the SMTP password.
// The outbox folder is created (mode 0700) if missing.
func New(cfg Config) (Sender, error) {
	from, err := parseFrom(cfg.From)
	if err != nil {
		return nil, err
	}
	if cfg.SMTPURL != "" {
		return newSMTP(cfg.SMTPURL, cfg.TLSConfig, from)
	}
	if cfg.OutboxDir == "" {
		return nil, errors.New("mail: neither an SMTP URL nor an outbox folder is configured")
	}
	o := &Outbox{Dir: cfg.OutboxDir, from: from}
	if err := o.makeDir(); err != nil {
		return nil, err
	}
	return o, nil
}

func parseFrom(from string) (*netmail.Address, error) {
	if from == "" {
		return nil, errors.New("mail: the From address is required")
	}
	if hasLineBreak(from) {
		return nil, errors.New("mail: the From address contains a line break")
	}
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail: invalid From address %q: %w", from, err)
	}
	return addr, nil
}

// headersSetByMailer are written by the mailer itself; a caller setting
// them would produce duplicates or break the MIME structure.
var headersSetByMailer = map[string]bool{
	"From": true, "Sender": true, "To": true, "Cc": true, "Bcc": true,
	"Subject": true, "Date": true, "Message-Id": true, "Mime-Version": true,
	"Content-Type": true, "Content-Transfer-Encoding": true, "Return-Path": true,
}

// invalid reports a message the caller must fix; it matches match.ErrInvalid.
// The messages name the field but not its value: addresses are private.
func invalid(format string, args ...any) error {
	return match.Errorf(match.EINVALID, "mail: "+format, args...)
}

// build turns m into a go-mail message from from, validating it first.
func build(from *netmail.Address, m Message) (*gomail.Msg, error) {
	if from == nil {
		return nil, errors.New("mail: sender has no From address; create it with New")
	}
	if hasLineBreak(m.To) {
		return nil, invalid("recipient address contains a line break")
	}
	to, err := netmail.ParseAddress(m.To)
	if err != nil {
		return nil, invalid("invalid recipient address")
	}
	if hasLineBreak(m.Subject) {
		return nil, invalid("subject contains a line break")
	}
	if strings.TrimSpace(m.Text) == "" {
		return nil, invalid("message has no text body")
	}

	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.FromMailAddress(from)
	msg.ToMailAddress(to)
	msg.Subject(m.Subject)
	msg.SetDate()
	id := m.ID
	if id == "" {
		id = NewID()
	} else if !validMessageID(id) {
		return nil, invalid("invalid message ID")
	}
	msg.SetMessageIDWithValue(id + "@" + domainOf(from.Address))

	seen := make(map[string]bool, len(m.Headers))
	for name, value := range m.Headers {
		canonical := textproto.CanonicalMIMEHeaderKey(name)
		switch {
		case !validHeaderName(name):
			return nil, invalid("invalid header name %q", name)
		case headersSetByMailer[canonical]:
			return nil, invalid("header %s is set by the mailer", name)
		case seen[canonical]:
			return nil, invalid("header %s is given twice", name)
		case !validHeaderValue(value):
			return nil, invalid("header %s contains a line break or control character", name)
		}
		seen[canonical] = true
		if canonical == "Reply-To" {
			addrs, err := netmail.ParseAddressList(value)
			if err != nil {
				return nil, invalid("invalid Reply-To address")
			}
			msg.ReplyToMailAddress(addrs...)
			continue
		}
		msg.SetGenHeader(gomail.Header(name), value)
	}

	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		if err := attach(msg, a); err != nil {
			return nil, err
		}
	}
	return msg, nil
}

// attach adds one attachment after validating it: a file name and media
// type that cannot break the part's headers, and a bounded size.
func attach(msg *gomail.Msg, a Attachment) error {
	if a.Name == "" || hasLineBreak(a.Name) || strings.ContainsAny(a.Name, `/\"`) {
		return invalid("invalid attachment name")
	}
	if _, _, err := mime.ParseMediaType(a.ContentType); err != nil || hasLineBreak(a.ContentType) {
		return invalid("invalid attachment content type")
	}
	if len(a.Data) == 0 || len(a.Data) > maxAttachment {
		return invalid("attachment %s is empty or too large", a.Name)
	}
	return msg.AttachReader(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(a.ContentType)))
}

func hasLineBreak(s string) bool { return strings.ContainsAny(s, "\r\n") }

// validMessageID reports whether id may stand left of the @ of a
// Message-ID: letters, digits, dots and dashes, as NewID and the outbox
// make them.
func validMessageID(id string) bool {
	if len(id) > 64 {
		return false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-') {
			return false
		}
	}
	return true
}

// validHeaderName reports whether name is an RFC 5322 field name: printable
// ASCII other than the colon.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; c <= ' ' || c >= 0x7f || c == ':' {
			return false
		}
	}
	return true
}

// validHeaderValue refuses CR, LF and other control characters (a tab is
// fine): a line break would let the value start a header of its own.
func validHeaderValue(value string) bool {
	for _, r := range value {
		if (r < ' ' && r != '\t') || r == 0x7f {
			return false
		}
	}
	return true
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 && i < len(addr)-1 {
		return addr[i+1:]
	}
	return "localhost"
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}
