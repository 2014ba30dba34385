package app_test

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/synth"
)

// --- a real SMTP server, in process -----------------------------------------

// smtpServer is an emersion/go-smtp server on 127.0.0.1: a plain relay (no
// TLS, no AUTH) that keeps every message it accepts.
type smtpServer struct {
	URL string // for MATCHMAKER_SMTP_URL

	mu       sync.Mutex
	messages []smtpMessage
	refuse   map[string]bool // recipients refused with 550
}

type smtpMessage struct {
	To   string
	Data []byte
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	s := &smtpServer{refuse: map[string]bool{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{srv: s}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.URL = "smtp://" + ln.Addr().String() + "?tls=none"
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close(); ln.Close(); <-done })
	return s
}

// Refuse makes the server refuse (or, with false, accept again) mail to an
// address.
func (s *smtpServer) Refuse(address string, refuse bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[address] = refuse
}

func (s *smtpServer) Messages() []smtpMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

// countByRecipient counts the messages each address received.
func (s *smtpServer) countByRecipient() map[string]int {
	out := map[string]int{}
	for _, m := range s.Messages() {
		out[m.To]++
	}
	return out
}

type smtpSession struct {
	srv *smtpServer
	to  string
}

func (s *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if s.srv.refuse[to] {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "mailbox unavailable"}
	}
	s.to = to
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	s.srv.messages = append(s.srv.messages, smtpMessage{To: s.to, Data: data})
	s.srv.mu.Unlock()
	return nil
}

func (s *smtpSession) Reset()        { s.to = "" }
func (s *smtpSession) Logout() error { return nil }

// --- a community --------------------------------------------------------------

const (
	testQuarter = match.Quarter("2026-Q3")
	testBaseURL = "https://partners.example.org"
)

// testNow is the clock of the digest tests: inside testQuarter.
var testNow = time.Date(2026, 7, 15, 10, 0, 0, 0, time.UTC)

// openDigestApp opens an app on a fresh data folder whose mail goes to
// smtpURL (the outbox when ""), with the clock at testNow.
func openDigestApp(t testing.TB, dir, smtpURL string) *app.App {
	t.Helper()
	a, err := app.Open(context.Background(), app.Config{DataDir: dir, HostToken: "test-host-token", BaseURL: testBaseURL,
		Mail: mail.Config{From: "Matchmaker <digest@partners.example.org>", SMTPURL: smtpURL}})
	if err != nil {
		t.Fatalf("open app: %v", err)
	}
	a.SetClock(func() time.Time { return testNow })
	t.Cleanup(func() { a.StopDigests(); a.Close() })
	// Tests send as fast as the server takes it.
	if err := a.ConfigureDigests(app.DigestConfig{Rate: -1}); err != nil {
		t.Fatal(err)
	}
	return a
}

func addPost(t testing.TB, a *app.App, business, email, offer, seek, customers string) match.Post {
	t.Helper()
	p, err := a.CreatePost(context.Background(), match.PostInput{Business: business, Email: email, Offer: offer, Seek: seek,
		Customers: customers, Quarter: testQuarter, Website: "https://" + strings.SplitN(email, "@", 2)[1]})
	if err != nil {
		t.Fatalf("create post %s: %v", business, err)
	}
	return p
}

// community is a small community with known partners: two clusters of
// complementary businesses, and one business nobody fits.
type community struct {
	ledger, forge, parcel, copy, dental, chairside, smiles, violin match.Post
}

func newCommunity(t testing.TB, a *app.App) community {
	t.Helper()
	var c community
	c.ledger = addPost(t, a, "Ledger Lane", "hi@ledger.example", "Bookkeeping and tax returns for Shopify stores and ecommerce brands",
		"Shopify developers whose clients need an accountant", "online store owners")
	c.forge = addPost(t, a, "Storefront Forge", "hi@forge.example", "We build Shopify stores and apps for ecommerce brands",
		"An accountant or bookkeeper who understands Shopify payouts", "online store owners")
	c.parcel = addPost(t, a, "Pixel Parcel", "hi@parcel.example", "Product photography for Shopify stores and ecommerce brands",
		"Shopify developers and copywriters who serve online stores", "online store owners")
	c.copy = addPost(t, a, "Cart Copy", "hi@cartcopy.example", "Product descriptions and email copywriting for ecommerce brands",
		"Product photographers and Shopify developers for online stores", "online store owners")
	c.dental = addPost(t, a, "Alpha Ledger", "ana@alpha-ledger.example", "Bookkeeping and payroll for independent dental practices",
		"A practice-management software vendor who serves dentists", "dentists and dental practices")
	c.chairside = addPost(t, a, "Charlie Chairside", "cy@chairside.example", "Practice-management software for dental clinics",
		"Accountants and bookkeepers who serve dental practices", "dentists and dental practices")
	c.smiles = addPost(t, a, "Delta Smiles Marketing", "di@smiles.example", "Websites and patient marketing for dental practices",
		"Bookkeepers and software vendors who serve dentists", "dentists and dental practices")
	c.violin = addPost(t, a, "Fiddlehead Luthiers", "luthier@fiddlehead.example", "Bespoke violin repair and restoration",
		"Concert hall acoustic engineers", "orchestras")
	return c
}

func sendDigests(t *testing.T, a *app.App, opt app.DigestOptions) app.DigestReport {
	t.Helper()
	rep, err := a.SendDigests(context.Background(), testQuarter, opt)
	if err != nil {
		t.Fatalf("send digests: %v", err)
	}
	return rep
}

// parsed is one email as a mail client reads it.
type parsed struct {
	Header     netmail.Header
	Subject    string
	TopType    string
	PartTypes  []string
	Text, HTML string
}

func parseEmail(t *testing.T, raw []byte) parsed {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse email: %v", err)
	}
	p := parsed{Header: msg.Header}
	p.Subject, _ = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	mediaType, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", msg.Header.Get("Content-Type"), err)
	}
	p.TopType = mediaType
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(msg.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			pt, pp, _ := mime.ParseMediaType(part.Header.Get("Content-Type"))
			p.PartTypes = append(p.PartTypes, pt+"; charset="+pp["charset"])
			body, _ := io.ReadAll(part) // multipart undoes quoted-printable
			switch pt {
			case "text/plain":
				p.Text = string(body)
			case "text/html":
				p.HTML = string(body)
			}
		}
	}
	m, err := mail.Read(bytes.NewReader(raw)) // the project's reader agrees
	if err != nil || m.Text != strings.ReplaceAll(p.Text, "\r\n", "\n") {
		t.Errorf("mail.Read disagrees with mime/multipart: %v", err)
	}
	return p
}

// digestTo returns the one email each address received, parsed, failing
// when an address got more than one.
func digestsByRecipient(t *testing.T, srv *smtpServer) map[string]parsed {
	t.Helper()
	out := map[string]parsed{}
	for _, m := range srv.Messages() {
		if _, twice := out[m.To]; twice {
			t.Errorf("%s received two digests", m.To)
		}
		out[m.To] = parseEmail(t, m.Data)
	}
	return out
}

var linkPattern = regexp.MustCompile(`https://partners\.example\.org(/[a-z/]+)\?token=([A-Za-z0-9_.%-]+)`)

// links returns the tokens of the links of a kind ("/digest/request",
// "/digest", "/unsubscribe") in a text part, in order.
func links(text, path string) []string {
	var out []string
	for _, m := range linkPattern.FindAllStringSubmatch(text, -1) {
		if m[1] == path {
			tok, _ := url.QueryUnescape(m[2])
			out = append(out, tok)
		}
	}
	return out
}

// --- the tests ------------------------------------------------------------------

func TestDigestEmailIsMultipartWithOneClickUnsubscribe(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	c := newCommunity(t, a)
	ctx := context.Background()
	if err := a.SetDigestNote(ctx, testQuarter, "Welcome to Q3!\nOur meetup is on 12 August."); err != nil {
		t.Fatal(err)
	}
	rep := sendDigests(t, a, app.DigestOptions{})
	if rep.Recipients != 8 || rep.Sent != 7 || rep.Skipped[domain.SkipNoNewMatches] != 1 || rep.Failed != 0 {
		t.Fatalf("report: %+v, want 8 recipients, 7 sent, the luthier skipped with nothing new", rep)
	}
	got := digestsByRecipient(t, srv)
	if _, ok := got[c.violin.Email]; ok {
		t.Errorf("the member with no match got an email")
	}
	m, ok := got[c.ledger.Email]
	if !ok {
		t.Fatalf("Ledger Lane got no digest; got %d emails", len(got))
	}
	if m.TopType != "multipart/alternative" || !slices.Equal(m.PartTypes, []string{"text/plain; charset=UTF-8", "text/html; charset=UTF-8"}) {
		t.Errorf("MIME structure: %s %v, want multipart/alternative with text/plain then text/html, in UTF-8", m.TopType, m.PartTypes)
	}
	if m.Subject != "Your top partner matches for 2026-Q3" {
		t.Errorf("Subject: %q", m.Subject)
	}
	unsub := m.Header.Get("List-Unsubscribe")
	if !regexp.MustCompile(`^<https://partners\.example\.org/unsubscribe\?token=mmd_[A-Za-z0-9_.-]+>$`).MatchString(unsub) {
		t.Errorf("List-Unsubscribe: %q, want <https://partners.example.org/unsubscribe?token=…>", unsub)
	}
	if got := m.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
		t.Errorf("List-Unsubscribe-Post: %q, want List-Unsubscribe=One-Click (RFC 8058)", got)
	}
	if got := m.Header.Get("List-Id"); got != "Matchmaker quarterly digest <digest.partners.example.org>" {
		t.Errorf("List-Id: %q", got)
	}
	// The header's link and the body's are the same one.
	if body := links(m.Text, "/unsubscribe"); len(body) != 1 || !strings.Contains(unsub, body[0]) {
		t.Errorf("the text's unsubscribe link %v is not the header's %s", body, unsub)
	}
	for _, part := range []string{m.Text, m.HTML} {
		for _, want := range []string{"Storefront Forge", "What they do:", "Who they are looking for:", "Why you two",
			"Welcome to Q3!", "Our meetup is on 12 August.", "Your posts", "Ledger Lane", "active"} {
			if !strings.Contains(part, want) {
				t.Errorf("a part lacks %q:\n%s", want, part)
			}
		}
		if strings.Contains(part, "Fiddlehead") || strings.Contains(part, "Alpha Ledger") {
			t.Errorf("Ledger Lane's digest shows a business that does not fit it:\n%s", part)
		}
		if strings.Contains(part, "hi@forge.example") {
			t.Errorf("a digest shows a partner's email address")
		}
	}
	if n := len(links(m.Text, "/digest/request")); n < 2 {
		t.Errorf("the text part has %d introduction links, want one per partner (at least 2)", n)
	}
	if len(links(m.Text, "/digest")) != 1 {
		t.Errorf("the text part lacks its view-online link")
	}
	html := strings.ToLower(m.HTML)
	for _, banned := range []string{"<script", "<img", "<link", "@import", "url("} {
		if strings.Contains(html, banned) {
			t.Errorf("the HTML part has %q: no scripts, no external images or styles", banned)
		}
	}
	if !strings.Contains(m.HTML, `style="`) || !strings.Contains(m.HTML, "display: none") {
		t.Errorf("the HTML part lacks inline styles or its hidden preheader")
	}
	if !regexp.MustCompile(`>\s*\d new partners for Ledger Lane: `).MatchString(m.HTML) {
		t.Errorf("the HTML part does not start with a preheader naming the partners")
	}
	// Where each recipient stands.
	d, running, err := a.DigestStatus(ctx, testQuarter)
	if err != nil || running {
		t.Fatal(err, running)
	}
	if d.Counts[domain.DigestSent] != 7 || d.Counts[domain.DigestSkipped] != 1 || d.Skipped[domain.SkipNoNewMatches] != 1 || d.FinishedAt == nil {
		t.Errorf("digest status: %+v", d)
	}
}

func TestDigestGoesOutOncePerQuarter(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	newCommunity(t, a)
	first := sendDigests(t, a, app.DigestOptions{Limit: 3})
	if first.Sent != 3 || first.Pending != 4 {
		t.Fatalf("first run with --limit 3: %+v, want 3 sent and 4 left", first)
	}
	second := sendDigests(t, a, app.DigestOptions{})
	if second.Sent != 4 || second.AlreadySent != 3 {
		t.Errorf("second run: %+v, want the 4 others sent and 3 already sent", second)
	}
	third := sendDigests(t, a, app.DigestOptions{})
	if third.Sent != 0 || third.AlreadySent != 7 {
		t.Errorf("third run: %+v, want nothing sent", third)
	}
	for to, n := range srv.countByRecipient() {
		if n != 1 {
			t.Errorf("%s received %d digests, want 1", to, n)
		}
	}
	if n := len(srv.Messages()); n != 7 {
		t.Errorf("%d digests sent in all, want 7", n)
	}
}

// TestDigestExactlyOnceAcrossARestart: a run hands its digests to the
// outbox while the mail server is down, and the process stops. Started
// again with the server up, the outbox delivers what was queued and a new
// run the rest: everyone gets exactly one digest.
func TestDigestExactlyOnceAcrossARestart(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	dir := t.TempDir()
	down := openDigestApp(t, dir, "smtp://127.0.0.1:1") // nothing listens there
	newCommunity(t, down)
	ctx := context.Background()
	rep := sendDigests(t, down, app.DigestOptions{Limit: 3})
	if rep.Sent != 0 || rep.Failed != 3 || rep.Pending != 4 || len(rep.Failures) != 3 {
		t.Fatalf("the run with the server down: %+v, want 3 refused at the first try (left to the outbox) and 4 left for later", rep)
	}
	d, _, err := down.DigestStatus(ctx, testQuarter)
	if err != nil || d.Counts[domain.DigestSending] != 3 {
		t.Fatalf("while the server is down: %+v %v, want 3 digests in the outbox", d, err)
	}
	down.StopDigests()
	down.Close()

	a := openDigestApp(t, dir, srv.URL)
	later := testNow.Add(time.Hour) // past the outbox's pause, whichever pass delivers first
	a.SetClock(func() time.Time { return later })
	a.FlushMail(ctx)
	if got := len(srv.Messages()); got != 3 {
		t.Fatalf("after the restart the outbox delivered %d digests, want the 3 queued", got)
	}
	rep = sendDigests(t, a, app.DigestOptions{})
	if rep.Sent != 4 || rep.AlreadySent != 3 || rep.Failed != 0 {
		t.Errorf("the run after the restart: %+v, want 4 sent, 3 sent before", rep)
	}
	for to, n := range srv.countByRecipient() {
		if n != 1 {
			t.Errorf("%s received %d digests, want exactly 1", to, n)
		}
	}
	if n := len(srv.Messages()); n != 7 {
		t.Errorf("%d digests in all, want 7", n)
	}
	// Running again sends nothing.
	if rep := sendDigests(t, a, app.DigestOptions{}); rep.Sent != 0 || rep.AlreadySent != 7 {
		t.Errorf("a third run: %+v, want nothing sent", rep)
	}
	// The host sees the digests in the outbox with every other email.
	list, _, err := a.Outbox(ctx, domain.OutboxFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	digests := 0
	for _, m := range list {
		if m.Kind == domain.DigestMailKind && m.Status == domain.MailSent {
			digests++
		}
	}
	if digests != 7 {
		t.Errorf("the outbox lists %d sent digests, want 7", digests)
	}
}

func TestDigestFailingRecipientIsRetriedLater(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	c := newCommunity(t, a)
	srv.Refuse(c.forge.Email, true)
	rep := sendDigests(t, a, app.DigestOptions{})
	if rep.Sent != 6 || rep.Failed != 1 || len(rep.Failures) != 1 || rep.Failures[0].Email != c.forge.Email ||
		!strings.Contains(rep.Failures[0].Error, "550") {
		t.Fatalf("run with one refused recipient: %+v, want 6 sent and Storefront Forge failed with the server's 550", rep)
	}
	ctx := context.Background()
	// The outbox tries it again later; the host sees why it waits.
	r, _ := a.Store.DigestRecipient(ctx, testQuarter, c.forge.Email)
	if r.Status != domain.DigestSending || !strings.Contains(r.Reason, "550") {
		t.Errorf("the refused recipient: %+v, want still sending (in the outbox) with the server's answer", r)
	}
	srv.Refuse(c.forge.Email, false)
	later := testNow.Add(time.Hour) // past the outbox's pause
	a.SetClock(func() time.Time { return later })
	a.FlushMail(ctx)
	rep = sendDigests(t, a, app.DigestOptions{})
	if rep.Sent != 0 || rep.AlreadySent != 7 || rep.Failed != 0 {
		t.Errorf("the next run: %+v, want all 7 sent already", rep)
	}
	for to, n := range srv.countByRecipient() {
		if n != 1 {
			t.Errorf("%s received %d digests, want 1", to, n)
		}
	}
	r, _ = a.Store.DigestRecipient(ctx, testQuarter, c.forge.Email)
	if r.Status != domain.DigestSent || r.Attempts != 1 || r.Reason != "" {
		t.Errorf("the retried recipient: %+v, want sent by the outbox's second attempt, from the one claim", r)
	}
}

func TestDigestUnsubscribe(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	c := newCommunity(t, a)
	ctx := context.Background()
	rep := sendDigests(t, a, app.DigestOptions{Limit: 1}) // the first address: Alpha Ledger's
	m, ok := digestsByRecipient(t, srv)[c.dental.Email]
	if rep.Sent != 1 || !ok {
		t.Fatalf("first run: %+v, want Alpha Ledger's digest", rep)
	}
	header := m.Header.Get("List-Unsubscribe")
	token, _ := url.QueryUnescape(strings.TrimSuffix(strings.SplitN(header, "token=", 2)[1], ">"))
	if _, err := a.CheckUnsubscribeLink(token); err != nil {
		t.Fatalf("the header's link: %v", err)
	}
	dot := strings.IndexByte(token, '.')
	for _, bad := range []string{token[:len(token)-2] + "xx", strings.Replace(token, "mmd_", "mml_", 1), "", "mmd_.", token + "A",
		token[:dot] + "A" + token[dot:]} {
		if _, err := a.UnsubscribeByLink(ctx, bad, false); !errors.Is(err, match.ErrNotFound) {
			t.Errorf("a tampered link %q: got %v, want ENOTFOUND", bad, err)
		}
	}
	for range 2 { // twice is no error
		if _, err := a.UnsubscribeByLink(ctx, token, false); err != nil {
			t.Fatal(err)
		}
	}
	if out, _ := a.Store.IsUnsubscribed(ctx, c.dental.Email); !out {
		t.Fatal("the link did not unsubscribe")
	}
	// Chairside unsubscribed too, before its digest went out.
	if err := a.Store.Unsubscribe(ctx, c.chairside.Email); err != nil {
		t.Fatal(err)
	}
	rep = sendDigests(t, a, app.DigestOptions{})
	if rep.Skipped[domain.SkipUnsubscribed] != 1 || rep.Sent != 5 || rep.AlreadySent != 1 {
		t.Errorf("the run after Chairside unsubscribed: %+v, want it skipped as unsubscribed and 5 sent", rep)
	}
	if n := srv.countByRecipient()[c.chairside.Email]; n != 0 {
		t.Errorf("the unsubscribed member got %d digests", n)
	}
	if _, err := a.PreviewDigest(ctx, testQuarter, c.chairside.Email, 0, false); !errors.Is(err, match.ErrNotFound) ||
		!strings.Contains(err.Error(), "unsubscribed") {
		t.Errorf("preview of an unsubscribed member: %v, want ENOTFOUND saying so", err)
	}
	// The link undoes it, and the member gets the quarter's digest after all.
	if _, err := a.UnsubscribeByLink(ctx, token, true); err != nil {
		t.Fatal(err)
	}
	if out, _ := a.Store.IsUnsubscribed(ctx, c.dental.Email); out {
		t.Error("resubscribing by the link did not work")
	}
	if err := a.Store.Resubscribe(ctx, c.chairside.Email); err != nil {
		t.Fatal(err)
	}
	rep = sendDigests(t, a, app.DigestOptions{})
	if rep.Sent != 1 || srv.countByRecipient()[c.chairside.Email] != 1 {
		t.Errorf("after resubscribing: %+v", rep)
	}
}

func TestInterestNoExcludesThePairEverywhere(t *testing.T) {
	t.Parallel()
	a := openDigestApp(t, t.TempDir(), "")
	c := newCommunity(t, a)
	ctx := context.Background()
	partners := func(id int64) []int64 {
		ms, err := a.Matches(ctx, id, match.MatchOptions{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, m := range ms {
			ids = append(ids, m.Post.ID)
		}
		return ids
	}
	if !slices.Contains(partners(c.ledger.ID), c.forge.ID) || !slices.Contains(partners(c.forge.ID), c.ledger.ID) {
		t.Fatalf("Ledger Lane and Storefront Forge should match: %v %v", partners(c.ledger.ID), partners(c.forge.ID))
	}
	in, err := a.RecordInterest(ctx, c.ledger, c.forge.ID, domain.InterestNo, "")
	if err != nil || in.Interest != domain.InterestNo || in.PostID != c.ledger.ID || in.PartnerID != c.forge.ID {
		t.Fatalf("record no: %+v %v", in, err)
	}
	// Neither side is shown the other again, in matches, rounds or digests.
	if slices.Contains(partners(c.ledger.ID), c.forge.ID) || slices.Contains(partners(c.forge.ID), c.ledger.ID) {
		t.Errorf("after a no, the pair still matches: %v %v", partners(c.ledger.ID), partners(c.forge.ID))
	}
	if _, err := a.RunRound(ctx, testQuarter, 5); err != nil {
		t.Fatal(err)
	}
	sugs, _ := a.Store.Suggestions(ctx, testQuarter, "")
	for _, s := range sugs {
		if s.PostA == min(c.ledger.ID, c.forge.ID) && s.PostB == max(c.ledger.ID, c.forge.ID) {
			t.Errorf("the round suggests a pair one side said no to: %+v", s)
		}
	}
	for _, address := range []string{c.ledger.Email, c.forge.Email} {
		page, err := a.PreviewDigest(ctx, testQuarter, address, 0, true)
		if err != nil {
			t.Fatal(err)
		}
		other := map[string]string{c.ledger.Email: "Storefront Forge", c.forge.Email: "Ledger Lane"}[address]
		if strings.Contains(page, other+" —") {
			t.Errorf("%s's digest shows %s after a no:\n%s", address, other, page)
		}
	}
	// A paused partner can still be declined; a hidden one is not there.
	if _, err := a.RecordInterest(ctx, c.copy, c.violin.ID, "maybe", ""); match.ErrorCode(err) != match.EINVALID {
		t.Errorf("interest maybe: %v, want EINVALID", err)
	}
	if _, err := a.RecordInterest(ctx, c.copy, 999999, domain.InterestNo, ""); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("no to a post that does not exist: %v, want ENOTFOUND", err)
	}
	if _, err := a.RecordInterest(ctx, c.copy, c.copy.ID, domain.InterestYes, ""); match.ErrorCode(err) != match.EINVALID {
		t.Errorf("yes to oneself: %v, want EINVALID", err)
	}
}

func TestInterestYesGoesToTheHostsRound(t *testing.T) {
	t.Parallel()
	a := openDigestApp(t, t.TempDir(), "")
	c := newCommunity(t, a)
	ctx := context.Background()
	// No round yet: the request creates the quarter's round.
	in, err := a.RecordInterest(ctx, c.parcel, c.copy.ID, domain.InterestYes, "We met at the Lisbon meetup")
	if err != nil || in.Interest != domain.InterestYes || in.Note != "We met at the Lisbon meetup" {
		t.Fatalf("record yes: %+v %v", in, err)
	}
	find := func(x, y int64) *domain.Suggestion {
		sugs, err := a.Store.Suggestions(ctx, testQuarter, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sugs {
			if s.PostA == min(x, y) && s.PostB == max(x, y) {
				return &s
			}
		}
		return nil
	}
	s := find(c.parcel.ID, c.copy.ID)
	if s == nil || s.Status != domain.SuggestionProposed || s.Source != domain.SourceHost ||
		s.Note != "Requested by Pixel Parcel: We met at the Lisbon meetup" || len(s.ReasonsA) == 0 {
		t.Fatalf("the request in the round: %+v, want a proposed suggestion of the host's with the request in its note", s)
	}
	// Computing the round again keeps it; asking twice adds nothing.
	if _, err := a.RunRound(ctx, testQuarter, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RecordInterest(ctx, c.parcel, c.copy.ID, domain.InterestYes, "We met at the Lisbon meetup"); err != nil {
		t.Fatal(err)
	}
	if s2 := find(c.parcel.ID, c.copy.ID); s2 == nil || s2.ID != s.ID || s2.Note != s.Note {
		t.Errorf("after a new round and a second request: %+v, want the same suggestion and note", s2)
	}
	// A pair the engine proposed already gets the request in its note and
	// becomes the host's, so that computing the round again keeps it.
	engine := find(c.ledger.ID, c.forge.ID)
	if engine == nil || engine.Source != domain.SourceEngine {
		t.Fatalf("the round should propose Ledger Lane and Storefront Forge: %+v", engine)
	}
	if _, err := a.RecordInterest(ctx, c.forge, c.ledger.ID, domain.InterestYes, ""); err != nil {
		t.Fatal(err)
	}
	if s := find(c.ledger.ID, c.forge.ID); s.ID != engine.ID || s.Source != domain.SourceHost || s.Note != "Requested by Storefront Forge" {
		t.Errorf("an engine proposal asked for: %+v", s)
	}
	// A yes to a partner who said no is recorded the same way, and goes
	// nowhere.
	if _, err := a.RecordInterest(ctx, c.smiles, c.dental.ID, domain.InterestNo, ""); err != nil {
		t.Fatal(err)
	}
	in, err = a.RecordInterest(ctx, c.dental, c.smiles.ID, domain.InterestYes, "")
	if err != nil || in.Interest != domain.InterestYes {
		t.Fatalf("yes to a partner who said no: %+v %v, want recorded like any yes", in, err)
	}
	if s := find(c.dental.ID, c.smiles.ID); s != nil && s.Status != domain.SuggestionRejected {
		t.Errorf("a pair one side said no to is open in the round: %+v", s)
	}
	// Once introduced, a yes is a conflict.
	approved := domain.SuggestionApproved
	if _, err := a.Store.UpdateSuggestion(ctx, testQuarter, s.ID, &approved, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Introduce(ctx, testQuarter, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.RecordInterest(ctx, c.parcel, c.copy.ID, domain.InterestYes, ""); match.ErrorCode(err) != match.ECONFLICT {
		t.Errorf("yes after the introduction: %v, want ECONFLICT", err)
	}
}

// TestDigestLinks follows the links of a real digest: the request link
// works once, the view link shows the digest as sent, tampering fails.
func TestDigestLinks(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	c := newCommunity(t, a)
	ctx := context.Background()
	sendDigests(t, a, app.DigestOptions{})
	m := digestsByRecipient(t, srv)[c.parcel.Email]
	requests := links(m.Text, "/digest/request")
	if len(requests) == 0 {
		t.Fatalf("no request link in Pixel Parcel's digest:\n%s", m.Text)
	}
	for _, tok := range requests {
		if !strings.Contains(m.HTML, tok) {
			t.Errorf("the HTML part lacks the request link %s", tok)
		}
	}
	me, partner, err := a.DigestRequestForLink(ctx, requests[0])
	if err != nil || me.ID != c.parcel.ID || !strings.Contains(m.Text, "1. "+partner.Business) {
		t.Fatalf("the first request link: %v %v %v, want Pixel Parcel and its first partner", me.Business, partner.Business, err)
	}
	// Looking does not spend it; answering does, once.
	if _, _, err := a.DigestRequestForLink(ctx, requests[0]); err != nil {
		t.Errorf("looking at the link twice: %v", err)
	}
	in, err := a.RequestByLink(ctx, requests[0], true)
	if err != nil || in.PartnerID != partner.ID || in.Interest != domain.InterestYes {
		t.Fatalf("asking by the link: %+v %v", in, err)
	}
	if _, err := a.RequestByLink(ctx, requests[0], true); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("the link used twice: %v, want ENOTFOUND", err)
	}
	if _, _, err := a.DigestRequestForLink(ctx, requests[0]); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("the used link's page: %v, want ENOTFOUND", err)
	}
	sugs, _ := a.Store.Suggestions(ctx, testQuarter, domain.SuggestionProposed)
	if !slices.ContainsFunc(sugs, func(s domain.Suggestion) bool {
		return s.Note == "Requested by Pixel Parcel" && (s.PostA == partner.ID || s.PostB == partner.ID)
	}) {
		t.Errorf("the request is not in the host's round: %+v", sugs)
	}
	// The second link says no.
	if len(requests) > 1 {
		_, other, _ := a.DigestRequestForLink(ctx, requests[1])
		if _, err := a.RequestByLink(ctx, requests[1], false); err != nil {
			t.Fatal(err)
		}
		ex, _ := a.Store.ExcludedPairs(ctx)
		if !ex[[2]int64{min(c.parcel.ID, other.ID), max(c.parcel.ID, other.ID)}] {
			t.Errorf("a no by the link does not exclude the pair")
		}
	}
	// Tampered, forged and expired links fail alike.
	tok := requests[len(requests)-1]
	dot := strings.IndexByte(tok, '.')
	for _, bad := range []string{tok[:dot] + "." + strings.Repeat("A", 43), tok[:dot-2] + tok[dot:], "mmd_" + tok[dot:], tok + "x"} {
		if _, _, err := a.DigestRequestForLink(ctx, bad); !errors.Is(err, match.ErrNotFound) {
			t.Errorf("a tampered link: %v, want ENOTFOUND", err)
		}
	}
	a.SetClock(func() time.Time { return time.Date(2027, 1, 1, 0, 0, 1, 0, time.UTC) })
	if _, _, err := a.DigestRequestForLink(ctx, requests[len(requests)-1]); len(requests) > 2 && !errors.Is(err, match.ErrNotFound) {
		t.Errorf("a link after the end of the next quarter: %v, want ENOTFOUND", err)
	}
	a.SetClock(func() time.Time { return testNow })
	// The view link shows the digest as it was sent, without the address.
	views := links(m.Text, "/digest")
	page, err := a.DigestOnline(ctx, views[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(page, partner.Business) || strings.Contains(page, c.parcel.Email) || strings.Contains(page, "View in your browser") {
		t.Errorf("the online digest: want the partners, not the address nor a link to itself:\n%s", page)
	}
	if _, err := a.DigestOnline(ctx, strings.Replace(views[0], "mmd_", "mmd_x", 1)); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("a tampered view link: %v", err)
	}
	// A view link cannot unsubscribe, nor a request link show a page.
	if _, err := a.UnsubscribeByLink(ctx, views[0], false); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("a view link used to unsubscribe: %v, want ENOTFOUND", err)
	}
	if _, err := a.DigestOnline(ctx, tok); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("a request link used as a view link: %v, want ENOTFOUND", err)
	}
}

// TestDigestRendersWhatMembersWrite: names with markup and quotes, long
// texts, non-Latin scripts.
func TestDigestRendersWhatMembersWrite(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	ctx := context.Background()
	weird := `<script>alert("x")</script> O'Brien & "Sons" Shopify`
	long := "We build Shopify stores and apps for ecommerce brands. " + strings.Repeat("We also migrate catalogues, tune checkout speed and set up subscriptions. ", 40)
	addPost(t, a, weird, "hi@obrien.example", long[:1990], "An accountant or bookkeeper who understands Shopify payouts", "online store owners")
	addPost(t, a, "東京会計 — Ledger Tokyo", "hi@tokyo-ledger.example", "Bookkeeping and tax returns for Shopify stores and ecommerce brands: 会計と税務",
		"Shopify developers whose clients need an accountant", "online store owners")
	addPost(t, a, "Бухгалтерия Север", "hi@sever.example", "Bookkeeping for Shopify stores and ecommerce brands, по-русски и по-английски",
		"Shopify developers whose clients need a bookkeeper", "online store owners")
	if err := a.SetDigestNote(ctx, testQuarter, `Meetup <b>Thursday</b> & "drinks"`); err != nil {
		t.Fatal(err)
	}
	sendDigests(t, a, app.DigestOptions{})
	got := digestsByRecipient(t, srv)
	tokyo, ok := got["hi@tokyo-ledger.example"]
	if !ok {
		t.Fatalf("Ledger Tokyo got no digest (%d emails)", len(got))
	}
	if strings.Contains(tokyo.HTML, "<script>") || strings.Contains(tokyo.HTML, "<b>Thursday") {
		t.Errorf("the HTML part does not escape what members and the host wrote:\n%s", tokyo.HTML)
	}
	for _, want := range []string{"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; O&#39;Brien &amp; &#34;Sons&#34;", "&lt;b&gt;Thursday&lt;/b&gt;"} {
		if !strings.Contains(tokyo.HTML, want) {
			t.Errorf("the HTML part lacks %s", want)
		}
	}
	for _, want := range []string{weird, `Meetup <b>Thursday</b> & "drinks"`, "Hello 東京会計 — Ledger Tokyo,"} {
		if !strings.Contains(tokyo.Text, want) {
			t.Errorf("the text part lacks %q (it is plain text: nothing to escape)", want)
		}
	}
	if !strings.Contains(tokyo.HTML, "東京会計 — Ledger Tokyo") {
		t.Errorf("the HTML part lost the Japanese name")
	}
	// A long offer is shortened in the email, at a word, and whole online.
	if strings.Contains(tokyo.Text, long[:1990]) || !strings.Contains(tokyo.Text, "…") {
		t.Errorf("a 2,000-character offer is not shortened in the email")
	}
	for _, line := range strings.Split(tokyo.Text, "\n") {
		if len([]rune(line)) > 600 {
			t.Errorf("a text line of %d characters", len([]rune(line)))
		}
	}
	page, err := a.DigestOnline(ctx, links(tokyo.Text, "/digest")[0])
	if err != nil || !strings.Contains(page, strings.TrimSpace(long[1700:1990])) {
		t.Errorf("the online digest should show the whole offer: %v", err)
	}
	sever, ok := got["hi@sever.example"]
	if !ok || !strings.Contains(sever.Text, "Hello Бухгалтерия Север,") || !strings.Contains(sever.HTML, "Бухгалтерия Север") {
		t.Errorf("the Cyrillic name is garbled: %q", sever.Text)
	}
	// A non-Latin text cut mid-word stays valid UTF-8.
	cyrillic := strings.Repeat("Бухгалтерия", 300)
	if _, err := a.CreatePost(ctx, match.PostInput{Business: "Север Два", Email: "two@sever2.example", Offer: "Shopify stores built for ecommerce brands " + cyrillic[:1900],
		Seek: "An accountant who understands Shopify payouts", Customers: "online store owners", Quarter: testQuarter}); err != nil {
		t.Fatal(err)
	}
	// (The members sent their digest already preview what they got.)
	addPost(t, a, "Третий Учёт", "hi@third.example", "Bookkeeping and tax returns for Shopify stores and ecommerce brands",
		"Shopify developers whose clients need an accountant", "online store owners")
	preview, err := a.PreviewDigest(ctx, testQuarter, "hi@third.example", 0, true)
	if err != nil || !strings.Contains(preview, "Север Два") || !strings.Contains(preview, "…") || strings.ContainsRune(preview, '\uFFFD') {
		t.Errorf("preview with a long Cyrillic offer: %v\n%s", err, preview)
	}
}

func TestDigestPreviewAndDryRunWriteNothing(t *testing.T) {
	t.Parallel()
	a := openDigestApp(t, t.TempDir(), "")
	c := newCommunity(t, a)
	ctx := context.Background()
	html, err := a.PreviewDigest(ctx, testQuarter, c.ledger.Email, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(html, "Preview for the host") || strings.Contains(html, "token=") || !strings.Contains(html, "Storefront Forge") {
		t.Errorf("preview: want the partners, a banner and dead links:\n%s", html)
	}
	if n := strings.Count(html, "Ask the host to introduce us"); n != 2 {
		t.Errorf("preview with per_member 2 shows %d partners", n)
	}
	if _, err := a.PreviewDigest(ctx, testQuarter, c.violin.Email, 0, false); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("preview of a member with nobody new: %v, want ENOTFOUND", err)
	}
	if _, err := a.PreviewDigest(ctx, testQuarter, "nobody@nowhere.example", 0, false); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("preview of an unknown address: %v, want ENOTFOUND", err)
	}
	rep := sendDigests(t, a, app.DigestOptions{DryRun: true})
	if rep.Sent != 7 || rep.Skipped[domain.SkipNoNewMatches] != 1 || !rep.DryRun {
		t.Errorf("dry run: %+v", rep)
	}
	d, _, _ := a.DigestStatus(ctx, testQuarter)
	if d.StartedAt != nil || d.Counts[domain.DigestPending] != 0 || d.Counts[domain.DigestSent] != 0 {
		t.Errorf("a dry run recorded something: %+v", d)
	}
	files, _ := a.Mailer().(*mail.Outbox).Files()
	if len(files) != 0 {
		t.Errorf("a dry run wrote %d emails", len(files))
	}
}

func TestDigestShowsOnlyPartnersNewToTheMember(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	a := openDigestApp(t, t.TempDir(), srv.URL)
	c := newCommunity(t, a)
	ctx := context.Background()
	sendDigests(t, a, app.DigestOptions{})
	shown := map[string][]string{}
	for to, m := range digestsByRecipient(t, srv) {
		for _, line := range strings.Split(m.Text, "\n") {
			if n := regexp.MustCompile(`^\d\. (.+?)(?: — |$)`).FindStringSubmatch(line); n != nil {
				shown[to] = append(shown[to], n[1])
			}
		}
	}
	if len(shown) == 0 {
		t.Fatal("no partner read back from the Q3 digests: the test would check nothing")
	}
	// Next quarter the same posts run again (their owners moved them on):
	// partners shown in the Q3 digest are not new any more.
	for _, p := range []match.Post{c.ledger, c.forge, c.parcel, c.copy, c.dental, c.chairside, c.smiles, c.violin} {
		next := match.Quarter("2026-Q4")
		if _, err := a.UpdatePost(ctx, app.Who{Host: true}, p, match.PostPatch{Quarter: &next}); err != nil {
			t.Fatal(err)
		}
	}
	a.SetClock(func() time.Time { return time.Date(2026, 10, 2, 0, 0, 0, 0, time.UTC) })
	rep, err := a.SendDigests(ctx, "2026-Q4", app.DigestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, msg := range srv.Messages()[len(srv.Messages())-rep.Sent:] {
		m := parseEmail(t, msg.Data)
		for _, name := range shown[msg.To] {
			if strings.Contains(m.Text, ". "+name) {
				t.Errorf("%s was shown %s in Q3, and again in Q4", msg.To, name)
			}
		}
	}
	if rep.Skipped[domain.SkipNoNewMatches] < 4 {
		t.Errorf("Q4: %+v, want most members with nobody new (this community is small)", rep)
	}
}

// BenchmarkDigestDryRun measures planning and rendering every digest of a
// synthetic community (a dry run: nothing sent or written): the engine's
// whole-round Pairs, the exclusions, the per-member picks, then for each
// digest the reasons and both templates. Sizes come from
// MATCHMAKER_DIGEST_BENCH_N (default 10000), e.g.
//
//	MATCHMAKER_DIGEST_BENCH_N=10000,100000 go test ./app -run '^$' -bench DigestDryRun -benchtime 1x -timeout 2h
func BenchmarkDigestDryRun(b *testing.B) {
	sizes := strings.Split(cmp.Or(os.Getenv("MATCHMAKER_DIGEST_BENCH_N"), "10000"), ",")
	for _, s := range sizes {
		var n int
		if _, err := fmt.Sscan(strings.TrimSpace(s), &n); err != nil || n < 1 {
			b.Fatalf("MATCHMAKER_DIGEST_BENCH_N: %q is not a size", s)
		}
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			ctx := context.Background()
			a := openDigestApp(b, filepath.Join(b.TempDir(), "data"), "")
			var file bytes.Buffer
			if err := synth.Write(&file, synth.Options{N: n, Seed: 1, Quarter: testQuarter}); err != nil {
				b.Fatal(err)
			}
			if _, err := a.Import(ctx, &file, intake.FormatJSONL, nil); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			var rep app.DigestReport
			for range b.N {
				var err error
				if rep, err = a.SendDigests(ctx, testQuarter, app.DigestOptions{DryRun: true}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(rep.Recipients*b.N)/b.Elapsed().Seconds(), "members/s")
			b.ReportMetric(rep.PlanSeconds, "plan-s")
			b.ReportMetric(float64(rep.Sent), "digests")
			b.ReportMetric(float64(rep.Skipped[domain.SkipNoNewMatches]), "nobody-new")
		})
	}
}

// TestDigestLooksBeyondExcludedPartners: when the whole-round list of a
// member's post holds only partners they know already, the digest still
// finds the decent ones beyond it.
func TestDigestLooksBeyondExcludedPartners(t *testing.T) {
	t.Parallel()
	a := openDigestApp(t, t.TempDir(), "")
	ctx := context.Background()
	ledger := addPost(t, a, "Ledger Lane", "hi@ledger.example", "Bookkeeping and tax returns for Shopify stores and ecommerce brands",
		"Shopify developers whose clients need an accountant", "online store owners")
	for i := range 8 {
		addPost(t, a, fmt.Sprintf("Forge Studio %d", i), fmt.Sprintf("hi@forge%d.example", i), "We build Shopify stores and apps for ecommerce brands",
			"An accountant or bookkeeper who understands Shopify payouts", "online store owners")
	}
	// With one partner a digest, a plan asks the engine for 6 a post: Ledger
	// Lane says no to the best 6.
	best, err := a.Matches(ctx, ledger.ID, match.MatchOptions{Limit: 6})
	if err != nil || len(best) != 6 {
		t.Fatalf("Ledger Lane's best 6: %d, %v", len(best), err)
	}
	declined := map[string]bool{}
	for _, m := range best {
		if _, err := a.RecordInterest(ctx, ledger, m.Post.ID, domain.InterestNo, ""); err != nil {
			t.Fatal(err)
		}
		declined[m.Post.Business] = true
	}
	rep, err := a.SendDigests(ctx, testQuarter, app.DigestOptions{PerMember: 1})
	if err != nil {
		t.Fatal(err)
	}
	sent, err := a.Mailer().(*mail.Outbox).Messages()
	if err != nil {
		t.Fatal(err)
	}
	var got *mail.Message
	for i, m := range sent {
		if m.To == ledger.Email {
			got = &sent[i]
		}
	}
	if got == nil {
		t.Fatalf("Ledger Lane got no digest: %+v", rep)
	}
	name := regexp.MustCompile(`1\. (Forge Studio \d)`).FindStringSubmatch(got.Text)
	if name == nil || declined[name[1]] {
		t.Errorf("Ledger Lane's digest shows %v, want one of the two studios it did not decline:\n%s", name, got.Text)
	}
}
