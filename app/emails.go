package app

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/matchmaker/matchmaker/mail"
)

// The emails are templates shipped in the binary: a text and an HTML part
// each. The HTML templates escape what members wrote.
//
//go:embed emails/*.txt emails/*.html
var emailFiles embed.FS

var (
	textEmails = texttemplate.Must(texttemplate.ParseFS(emailFiles, "emails/*.txt"))
	htmlEmails = htmltemplate.Must(htmltemplate.ParseFS(emailFiles, "emails/*.html"))
)

// email renders the named email (its .txt and .html templates) to one
// recipient.
func email(name, to, subject string, data any) (mail.Message, error) {
	var text, html bytes.Buffer
	if err := textEmails.ExecuteTemplate(&text, name+".txt", data); err != nil {
		return mail.Message{}, err
	}
	if err := htmlEmails.ExecuteTemplate(&html, name+".html", data); err != nil {
		return mail.Message{}, err
	}
	return mail.Message{To: to, Subject: subject, Text: strings.TrimSpace(text.String()) + "\n", HTML: html.String()}, nil
}
