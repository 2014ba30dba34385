package store_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/mail"
)

// TestOwedMailIsStoredWithItsWrite checks the outbox's promise: mail owed
// by a write is stored in that write's transaction — not when the write
// fails, and once however many writes the context goes on to make.
func TestOwedMailIsStoredWithItsWrite(t *testing.T) {
	db := MustOpenStore(t)
	ctx := context.Background()
	owed := func(to string) context.Context {
		return domain.OweMail(ctx, domain.OutgoingMail{Kind: "sign_in", Message: mail.Message{To: to, Subject: "Your link", Text: "Hello"}})
	}
	link := domain.EmailLink{Purpose: domain.LinkSignIn, Email: "a@b.example"}
	expires := time.Now().Add(time.Hour)

	// A write that succeeds stores its mail, once, even when the context
	// is used again.
	c := owed("first@b.example")
	if err := db.CreateEmailLink(c, "hash-1", link, expires); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateEmailLink(c, "hash-2", link, expires); err != nil {
		t.Fatal(err)
	}
	// A write that fails (the same token hash twice) stores none.
	if err := db.CreateEmailLink(owed("second@b.example"), "hash-1", link, expires); err == nil {
		t.Fatal("a second link with the same hash was stored")
	}
	list, err := db.Outbox(ctx, domain.OutboxFilter{Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Message.To != "first@b.example" || list[0].Status != domain.MailQueued || list[0].Message.ID == "" {
		t.Fatalf("the outbox: %+v, want the first write's one email, queued", list)
	}
	due, err := db.DueMail(ctx, time.Now(), 10)
	if err != nil || len(due) != 1 {
		t.Fatalf("due: %+v %v", due, err)
	}
}

// TestSentMailKeepsNoBody: once sent, an email's text (which may hold a
// link's token) is gone from the database; what the host sees stays.
func TestSentMailKeepsNoBody(t *testing.T) {
	db := MustOpenStore(t)
	ctx := context.Background()
	const token = "mml_secret-link-token"
	if err := db.QueueMail(ctx, domain.OutgoingMail{Kind: "sign_in", Message: mail.Message{To: "a@b.example", Subject: "Your link",
		Text: "https://x.example/signin?token=" + token, HTML: "<a href=\"https://x.example/signin?token=" + token + "\">sign in</a>",
		// An attachment (a calendar invitation's contacts) goes with the body.
		Attachments: []mail.Attachment{{Name: "invite.ics", ContentType: "text/calendar; method=REQUEST", Data: []byte("URL:https://x.example/?token=" + token)}}}}); err != nil {
		t.Fatal(err)
	}
	due, err := db.DueMail(ctx, time.Now(), 10)
	if err != nil || len(due) != 1 || !strings.Contains(due[0].Message.Text, token) || len(due[0].Message.Attachments) != 1 {
		t.Fatalf("queued: %+v %v", due, err)
	}
	if err := db.MailAttempted(ctx, due[0].ID, nil, nil); err != nil {
		t.Fatal(err)
	}
	list, err := db.Outbox(ctx, domain.OutboxFilter{Limit: 10})
	if err != nil || len(list) != 1 {
		t.Fatalf("outbox: %+v %v", list, err)
	}
	m := list[0]
	if m.Status != domain.MailSent || m.Message.To != "a@b.example" || m.Message.Subject != "Your link" || m.Message.Text != "" || m.Message.HTML != "" || m.Message.Attachments != nil {
		t.Errorf("a sent email as stored: %+v", m)
	}
	// Read the row itself, as anyone with a copy of the file could.
	file, err := sql.Open("sqlite3", db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var raw string
	if err := file.QueryRowContext(ctx, "SELECT message FROM outbox WHERE id = ?", m.ID).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(raw, token) {
		t.Errorf("the sent email's row still holds the token: %s", raw)
	}
}

// TestDigestsWaitBehindOtherMail: a quarter's digests, paced as they go
// out, never hold up a sign-in link queued after them.
func TestDigestsWaitBehindOtherMail(t *testing.T) {
	db := MustOpenStore(t)
	ctx := context.Background()
	for i := range 3 {
		if err := db.QueueMail(ctx, domain.OutgoingMail{Kind: domain.DigestMailKind, Message: mail.Message{To: "d@d.example", Subject: "Digest " + string(rune('A'+i)), Text: "x"}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.QueueMail(ctx, domain.OutgoingMail{Kind: "sign_in", Message: mail.Message{To: "s@s.example", Subject: "Your link", Text: "x"}}); err != nil {
		t.Fatal(err)
	}
	due, err := db.DueMail(ctx, time.Now(), 10)
	if err != nil || len(due) != 4 {
		t.Fatalf("due: %d, %v", len(due), err)
	}
	var got []string
	for _, m := range due {
		got = append(got, m.Message.Subject)
	}
	if strings.Join(got, ", ") != "Your link, Digest A, Digest B, Digest C" {
		t.Errorf("the order the sender takes them in: %v, want the sign-in link first, then the digests in order", got)
	}
}
