package mail

import (
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"os"
	"strings"
)

// Read parses an email as the outbox writes it (or any MIME message with
// a text and, optionally, an HTML part) back into a Message: recipient,
// decoded subject, bodies and attachments. Headers other than those are
// not kept.
func Read(r io.Reader) (Message, error) {
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return Message{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Message{}, fmt.Errorf("subject: %w", err)
	}
	m := Message{Subject: subject}
	if to, err := netmail.ParseAddress(msg.Header.Get("To")); err == nil {
		m.To = to.Address
	}
	err = readPart(&m, msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), "", msg.Body)
	return m, err
}

// Messages reads every message in the outbox, oldest first.
func (o *Outbox) Messages() ([]Message, error) {
	files, err := o.Files()
	if err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(files))
	for _, f := range files {
		r, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		m, err := Read(r)
		r.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, m)
	}
	return out, nil
}

// readPart fills m's bodies and attachments from one MIME part, walking
// into multiparts. A part with a disposition of attachment is one.
func readPart(m *Message, contentType, encoding, disposition string, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		mediaType = "text/plain"
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			// multipart decodes quoted-printable itself and drops the header.
			if err := readPart(m, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part.Header.Get("Content-Disposition"), part); err != nil {
				return err
			}
		}
	}
	data, err := io.ReadAll(decoded(encoding, body))
	if err != nil {
		return err
	}
	if kind, dparams, err := mime.ParseMediaType(disposition); err == nil && kind == "attachment" {
		m.Attachments = append(m.Attachments, Attachment{Name: dparams["filename"], ContentType: contentType, Data: data})
		return nil
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	switch mediaType {
	case "text/plain":
		m.Text = text
	case "text/html":
		m.HTML = text
	}
	return nil
}

// decoded undoes a Content-Transfer-Encoding.
func decoded(encoding string, body io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(body)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, newlineStripper{body})
	}
	return body
}

// newlineStripper drops line breaks, which base64 bodies carry every 76
// characters and the decoder does not expect.
type newlineStripper struct{ r io.Reader }

func (n newlineStripper) Read(p []byte) (int, error) {
	for {
		k, err := n.r.Read(p)
		j := 0
		for _, b := range p[:k] {
			if b != '\r' && b != '\n' {
				p[j] = b
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}
