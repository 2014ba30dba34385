package mail_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
)

const (
	testUser     = "mm@example.com"
	testPassword = "p@ss:wörd/%1-s3cret" // needs URL encoding
	testFrom     = "Ματσμέικερ <matchmaker@localhost>"
)

// A message with everything that can go wrong in encoding: non-ASCII
// subject and bodies, a line that is only a dot (SMTP's end of data) and
// one that starts with a dot, long lines, extra headers.
var richMessage = mail.Message{
	To:      "Anna Ørsted <anna@example.com>",
	Subject: "Καλημέρα — こんにちは 🤝 a partner for Q3",
	Text: "Γεια σου Anna,\n\nこんにちは! We found a partner for you 🤝.\n.\n.hidden dot line\n" +
		strings.Repeat("A long line that needs soft breaks in quoted-printable. ", 5) + "\n",
	HTML: "<p>Γεια σου <b>Anna</b>,</p>\n<p>こんにちは! We found a partner for you 🤝.</p>\n" +
		`<p><a href="https://mm.example/intro?t=abc=def">Accept</a></p>`,
	Headers: map[string]string{
		"List-Unsubscribe":      "<https://mm.example/unsubscribe?t=0123456789abcdef>",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
	},
}

// testContext bounds everything a test does.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// --- the in-process SMTP server ---------------------------------------------

type serverMode int

const (
	startTLS    serverMode = iota // STARTTLS offered, AUTH PLAIN required (after TLS)
	implicitTLS                   // TLS from the first byte, AUTH PLAIN required
	plainRelay                    // no TLS, no AUTH: a local relay
)

// received is one message as the server saw it.
type received struct {
	From string
	To   []string
	Data []byte
	TLS  bool   // the session was encrypted when DATA came
	User string // who authenticated
}

type testServer struct {
	Addr  string
	Roots *x509.CertPool // trusts the server's certificate

	// onData, if set, runs after a message is read and before it is
	// accepted.
	onData func()

	mu           sync.Mutex
	messages     []received
	authAttempts int
}

func (s *testServer) Messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.messages...)
}

func (s *testServer) AuthAttempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authAttempts
}

// startServer runs a real SMTP server (emersion/go-smtp) on 127.0.0.1:0
// until the test ends.
func startServer(t *testing.T, mode serverMode, onData func()) *testServer {
	t.Helper()
	cert, roots := selfSignedCert(t)
	ts := &testServer{Roots: roots, onData: onData}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{srv: ts, conn: c, needAuth: mode != plainRelay}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.AllowInsecureAuth = false
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	switch mode {
	case startTLS:
		srv.TLSConfig = tlsConfig
	case implicitTLS:
		srv.TLSConfig = tlsConfig
		ln = tls.NewListener(ln, tlsConfig)
	}
	ts.Addr = ln.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		// Close may run before Serve has registered the listener (a test
		// that never connects ends at once); closing it ends Serve anyway.
		ln.Close()
		<-done
	})
	return ts
}

type session struct {
	srv      *testServer
	conn     *smtp.Conn
	needAuth bool
	user     string
	from     string
	to       []string
}

func (s *session) AuthMechanisms() []string {
	if !s.needAuth {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	s.srv.mu.Lock()
	s.srv.authAttempts++
	s.srv.mu.Unlock()
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != testUser || password != testPassword {
			return smtp.ErrAuthFailed
		}
		s.user = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.needAuth && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.srv.onData != nil {
		s.srv.onData()
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.srv.mu.Lock()
	s.srv.messages = append(s.srv.messages, received{From: s.from, To: s.to, Data: data, TLS: isTLS, User: s.user})
	s.srv.mu.Unlock()
	return nil
}

func (s *session) Reset() {
	s.from = ""
	s.to = nil
}

func (s *session) Logout() error { return nil }

// selfSignedCert returns a certificate for 127.0.0.1 and localhost and a
// pool that trusts it.
func selfSignedCert(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots
}

// smtpURL returns scheme://user:password@addr with the credentials
// URL-encoded, and query appended.
func smtpURL(scheme, user, password, addr, query string) string {
	u := url.URL{Scheme: scheme, Host: addr, RawQuery: query}
	if user != "" {
		u.User = url.UserPassword(user, password)
	}
	return u.String()
}

func newSMTPSender(t *testing.T, srv *testServer, rawURL string) mail.Sender {
	t.Helper()
	s, err := mail.New(mail.Config{From: testFrom, SMTPURL: rawURL, TLSConfig: &tls.Config{RootCAs: srv.Roots}})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func newOutbox(t *testing.T) *mail.Outbox {
	t.Helper()
	s, err := mail.New(mail.Config{From: testFrom, OutboxDir: filepath.Join(t.TempDir(), "data", "outbox")})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	o, ok := s.(*mail.Outbox)
	if !ok {
		t.Fatalf("New without SMTPURL returned %T, want *mail.Outbox", s)
	}
	return o
}

// --- checking a message -------------------------------------------------------

// checkMessage parses raw with net/mail and mime/multipart and checks it
// carries want: headers, and a text (and, if want.HTML is set, an HTML)
// part in UTF-8 that decode to want's bodies.
func checkMessage(t *testing.T, raw []byte, want mail.Message) {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("parse message: %v\n%s", err, raw)
	}
	h := msg.Header
	dec := new(mime.WordDecoder)
	if got, err := dec.DecodeHeader(h.Get("Subject")); err != nil || got != want.Subject {
		t.Errorf("Subject: got %q (%v), want %q", got, err, want.Subject)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "Ματσμέικερ" || from[0].Address != "matchmaker@localhost" {
		t.Errorf("From: got %v (%v), want Ματσμέικερ <matchmaker@localhost>", from, err)
	}
	wantTo, _ := netmail.ParseAddress(want.To)
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || *to[0] != *wantTo {
		t.Errorf("To: got %v (%v), want %v", to, err, wantTo)
	}
	if _, err := h.Date(); err != nil {
		t.Errorf("Date %q: %v", h.Get("Date"), err)
	}
	if id := h.Get("Message-Id"); !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, "@localhost>") {
		t.Errorf("Message-ID: got %q, want <…@localhost>", id)
	}
	if got := h.Get("Mime-Version"); got != "1.0" {
		t.Errorf("MIME-Version: got %q, want 1.0", got)
	}
	for name, value := range want.Headers {
		if strings.EqualFold(name, "Reply-To") {
			got, err := h.AddressList(name)
			want, _ := netmail.ParseAddressList(value)
			if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: got %v (%v), want %v", name, got, err, want)
			}
			continue
		}
		if got := h.Get(name); got != value {
			t.Errorf("%s: got %q, want %q", name, got, value)
		}
	}
	for _, name := range []string{"Bcc", "User-Agent", "X-Mailer"} {
		if got := h.Get(name); got != "" {
			t.Errorf("%s: got %q, want none", name, got)
		}
	}

	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		t.Fatalf("Content-Type %q: %v", h.Get("Content-Type"), err)
	}
	if want.HTML == "" {
		if mediaType != "text/plain" {
			t.Fatalf("Content-Type: got %s, want text/plain", mediaType)
		}
		checkBody(t, "text part", h, msg.Body, want.Text)
		return
	}
	if mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type: got %s, want multipart/alternative", mediaType)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	var types []string
	for {
		// NextRawPart leaves Content-Transfer-Encoding to us, so that the
		// test sees the encoding the message declares.
		part, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read part: %v", err)
		}
		partType, partParams, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("part Content-Type %q: %v", part.Header.Get("Content-Type"), err)
		}
		types = append(types, partType)
		if !strings.EqualFold(partParams["charset"], "utf-8") {
			t.Errorf("%s charset: got %q, want UTF-8", partType, partParams["charset"])
		}
		switch partType {
		case "text/plain":
			checkBody(t, partType, part.Header, part, want.Text)
		case "text/html":
			checkBody(t, partType, part.Header, part, want.HTML)
		}
	}
	// RFC 2046: alternatives in increasing order of preference.
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Errorf("parts: got %v, want [text/plain text/html]", types)
	}
}

// checkBody decodes body by its Content-Transfer-Encoding and compares it
// with want; line ends are compared as LF (MIME text uses CRLF).
func checkBody(t *testing.T, what string, header map[string][]string, body io.Reader, want string) {
	t.Helper()
	var cte string
	for k, v := range header {
		if strings.EqualFold(k, "Content-Transfer-Encoding") && len(v) > 0 {
			cte = strings.ToLower(v[0])
		}
	}
	switch cte {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "7bit", "8bit", "":
	default:
		t.Fatalf("%s: unexpected Content-Transfer-Encoding %q", what, cte)
	}
	got, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("%s: decode: %v", what, err)
	}
	norm := func(s string) string { return strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n") }
	if norm(string(got)) != norm(want) {
		t.Errorf("%s: got\n%q\nwant\n%q", what, got, want)
	}
}

// --- configuration ------------------------------------------------------------

func TestNewValidatesConfig(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name    string
		cfg     mail.Config
		wantErr string // a part of the error text
	}{
		{"no From", mail.Config{OutboxDir: dir}, "From address is required"},
		{"bad From", mail.Config{From: "not an address", OutboxDir: dir}, "invalid From"},
		{"From with a line break", mail.Config{From: "a@b.c\r\nBcc: x@y.z", OutboxDir: dir}, "line break"},
		{"nowhere to send", mail.Config{From: testFrom}, "neither"},
		{"unknown scheme", mail.Config{From: testFrom, SMTPURL: "http://u:s3cret@host"}, `scheme "http"`},
		{"unparsable URL", mail.Config{From: testFrom, SMTPURL: "smtp://u:s3cret@host:port"}, "invalid SMTP URL"},
		{"bad escape", mail.Config{From: testFrom, SMTPURL: "smtp://u:s3cret%zz@host"}, "invalid SMTP URL"},
		{"no host", mail.Config{From: testFrom, SMTPURL: "smtp://u:s3cret@:25"}, "smtp://host:port"},
		{"opaque", mail.Config{From: testFrom, SMTPURL: "smtp:host:25"}, "smtp://host:port"},
		{"port out of range", mail.Config{From: testFrom, SMTPURL: "smtp://u:s3cret@host:70000"}, "not a port"},
		{"path", mail.Config{From: testFrom, SMTPURL: "smtp://u:s3cret@host/x"}, "path"},
		{"unknown parameter", mail.Config{From: testFrom, SMTPURL: "smtp://u:s3cret@host?tsl=none"}, `"tsl"`},
		{"unknown tls value", mail.Config{From: testFrom, SMTPURL: "smtp://host?tls=maybe"}, `tls="maybe"`},
		{"smtps with tls parameter", mail.Config{From: testFrom, SMTPURL: "smtps://host?tls=none"}, "always uses TLS"},
		{"credentials without TLS", mail.Config{From: testFrom, SMTPURL: "smtp://u:s3cret@host:25?tls=none"}, "without TLS"},
		{"password without user", mail.Config{From: testFrom, SMTPURL: "smtp://:s3cret@host"}, "no user name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := mail.New(tt.cfg)
			if err == nil {
				t.Fatalf("New: got %T, want an error containing %q", s, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New: got %q, want it to contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("New: error %q reveals the password", err)
			}
		})
	}
}

func TestNewChoosesSender(t *testing.T) {
	tests := []struct {
		url, wantServer string
	}{
		{"smtp://u:p@mail.example", "mail.example:587"},
		{"smtps://u:p@mail.example", "mail.example:465"},
		{"smtp://mail.example:25?tls=none", "mail.example:25"},
		{"smtp://u:p@mail.example:2525/?tls=starttls", "mail.example:2525"},
		{"smtp://[::1]:25?tls=none", "[::1]:25"},
	}
	for _, tt := range tests {
		s, err := mail.New(mail.Config{From: testFrom, SMTPURL: tt.url, OutboxDir: t.TempDir()})
		if err != nil {
			t.Errorf("New(%s): %v", tt.url, err)
			continue
		}
		sm, ok := s.(*mail.SMTP)
		if !ok {
			t.Errorf("New(%s): got %T, want *mail.SMTP", tt.url, s)
			continue
		}
		if got := sm.Server(); got != tt.wantServer {
			t.Errorf("New(%s).Server(): got %s, want %s", tt.url, got, tt.wantServer)
		}
	}
}

// --- SMTP -----------------------------------------------------------------------

func TestSMTPSendsOverSTARTTLSWithAuth(t *testing.T) {
	srv := startServer(t, startTLS, nil)
	s := newSMTPSender(t, srv, smtpURL("smtp", testUser, testPassword, srv.Addr, ""))
	if err := s.Send(testContext(t), richMessage); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages, want 1", len(msgs))
	}
	got := msgs[0]
	if got.From != "matchmaker@localhost" {
		t.Errorf("envelope From: got %q, want matchmaker@localhost", got.From)
	}
	if len(got.To) != 1 || got.To[0] != "anna@example.com" {
		t.Errorf("envelope To: got %q, want [anna@example.com]", got.To)
	}
	if !got.TLS {
		t.Error("the message came over a connection without TLS, want STARTTLS")
	}
	if got.User != testUser {
		t.Errorf("authenticated user: got %q, want %q", got.User, testUser)
	}
	checkMessage(t, got.Data, richMessage)
}

func TestSMTPSendsOverImplicitTLS(t *testing.T) {
	srv := startServer(t, implicitTLS, nil)
	s := newSMTPSender(t, srv, smtpURL("smtps", testUser, testPassword, srv.Addr, ""))
	m := richMessage
	m.HTML = "" // text only: a single text/plain part
	if err := s.Send(testContext(t), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages, want 1", len(msgs))
	}
	if !msgs[0].TLS || msgs[0].User != testUser {
		t.Errorf("got TLS %v, user %q; want TLS, user %q", msgs[0].TLS, msgs[0].User, testUser)
	}
	checkMessage(t, msgs[0].Data, m)
}

func TestSMTPSendsToPlainRelay(t *testing.T) {
	srv := startServer(t, plainRelay, nil)
	s := newSMTPSender(t, srv, "smtp://"+srv.Addr+"?tls=none")
	if err := s.Send(testContext(t), richMessage); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages, want 1", len(msgs))
	}
	if msgs[0].TLS {
		t.Error("got a TLS session, want plain (tls=none)")
	}
	checkMessage(t, msgs[0].Data, richMessage)
}

// A digest's List-Unsubscribe holds a signed link longer than a header
// line: folded, it must read back as the very same URL (a fold inside it
// would break RFC 8058's one-click POST), and no line may pass 998 bytes.
func TestLongListHeadersSurviveFolding(t *testing.T) {
	srv := startServer(t, plainRelay, nil)
	s := newSMTPSender(t, srv, "smtp://"+srv.Addr+"?tls=none")
	m := richMessage
	m.Headers = map[string]string{
		"List-Unsubscribe":      "<https://partners.example.org/unsubscribe?token=mmd_" + strings.Repeat("dQBhbmFAYWxwaGEtbGVkZ2Vy", 8) + "." + strings.Repeat("w", 43) + ">",
		"List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
		"List-Id":               "Matchmaker quarterly digest <digest.partners.example.org>",
	}
	if err := s.Send(testContext(t), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages, want 1", len(msgs))
	}
	checkMessage(t, msgs[0].Data, m)
	for _, line := range bytes.Split(msgs[0].Data, []byte("\r\n")) {
		if len(line) > 998 {
			t.Errorf("a line of %d bytes: %.80s…", len(line), line)
		}
	}
}

// Every way the server or the connection can refuse: the message is not
// delivered, the error names the server and never shows the password.
func TestSMTPRefused(t *testing.T) {
	const wrongPassword = "wrong-pass-s3cret"
	tests := []struct {
		name      string
		mode      serverMode
		user      string
		password  string
		untrusted bool // the client does not trust the server's certificate
		wantAuths int  // AUTH attempts the server may see
	}{
		{name: "wrong password", mode: startTLS, user: testUser, password: wrongPassword, wantAuths: 1},
		{name: "wrong password, implicit TLS", mode: implicitTLS, user: testUser, password: wrongPassword, wantAuths: 1},
		{name: "no credentials where auth is required", mode: startTLS},
		// The server offers no STARTTLS: the client must not fall back to
		// plain text, and so never sends the password.
		{name: "server without STARTTLS", mode: plainRelay, user: testUser, password: testPassword},
		{name: "untrusted certificate", mode: startTLS, user: testUser, password: testPassword, untrusted: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startServer(t, tt.mode, nil)
			scheme := "smtp"
			if tt.mode == implicitTLS {
				scheme = "smtps"
			}
			cfg := mail.Config{From: testFrom, SMTPURL: smtpURL(scheme, tt.user, tt.password, srv.Addr, "")}
			if !tt.untrusted {
				cfg.TLSConfig = &tls.Config{RootCAs: srv.Roots}
			}
			s, err := mail.New(cfg)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			err = s.Send(testContext(t), richMessage)
			if err == nil {
				t.Fatal("Send: got no error, want one")
			}
			t.Logf("Send: %v", err)
			checkSendError(t, err, srv.Addr, tt.password)
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server received %d messages, want 0", n)
			}
			if n := srv.AuthAttempts(); n != tt.wantAuths {
				t.Errorf("server saw %d AUTH attempts, want %d", n, tt.wantAuths)
			}
		})
	}
}

func checkSendError(t *testing.T, err error, server, password string) {
	t.Helper()
	if !strings.Contains(err.Error(), server) {
		t.Errorf("error %q does not name the server %s", err, server)
	}
	if password != "" && (strings.Contains(err.Error(), password) || strings.Contains(err.Error(), url.QueryEscape(password))) {
		t.Errorf("error %q reveals the password", err)
	}
}

func TestSMTPServerDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	s, err := mail.New(mail.Config{From: testFrom, SMTPURL: smtpURL("smtp", testUser, testPassword, addr, "")})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	err = s.Send(testContext(t), richMessage)
	if err == nil {
		t.Fatal("Send: got no error, want one")
	}
	checkSendError(t, err, addr, testPassword)
}

func TestSMTPContextCancelledBeforeSend(t *testing.T) {
	srv := startServer(t, startTLS, nil)
	s := newSMTPSender(t, srv, smtpURL("smtp", testUser, testPassword, srv.Addr, ""))
	ctx, cancel := context.WithCancel(testContext(t))
	cancel()
	err := s.Send(ctx, richMessage)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Send: got %v, want context.Canceled", err)
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d messages, want 0", n)
	}
}

// Cancelling ctx while the client waits for the server to accept the data
// ends Send at once, not after the 30-second timeout.
func TestSMTPContextCancelledDuringSend(t *testing.T) {
	reached := make(chan struct{})
	release := make(chan struct{})
	srv := startServer(t, startTLS, func() {
		close(reached)
		<-release
	})
	t.Cleanup(func() { close(release) }) // runs before the server stops
	s := newSMTPSender(t, srv, smtpURL("smtp", testUser, testPassword, srv.Addr, ""))

	testCtx := testContext(t)
	ctx, cancel := context.WithCancel(testCtx)
	defer cancel()
	result := make(chan error, 1)
	go func() { result <- s.Send(ctx, richMessage) }()
	select {
	case <-reached:
	case err := <-result:
		t.Fatalf("Send returned before the server had the data: %v", err)
	case <-testCtx.Done():
		t.Fatal("the server never got the data")
	}
	cancel()
	select {
	case err := <-result:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Send: got %v, want context.Canceled", err)
		}
		checkSendError(t, err, srv.Addr, testPassword)
	case <-testCtx.Done():
		t.Fatal("Send did not return after its context was cancelled")
	}
}

// --- validation ------------------------------------------------------------------

func TestSendRefusesBadMessages(t *testing.T) {
	ok := mail.Message{To: "anna@example.com", Subject: "Hello", Text: "Hi"}
	with := func(change func(*mail.Message)) mail.Message {
		m := ok
		m.Headers = map[string]string{}
		change(&m)
		return m
	}
	tests := []struct {
		name string
		msg  mail.Message
	}{
		{"CRLF in To", with(func(m *mail.Message) { m.To = "anna@example.com\r\nBcc: eve@example.com" })},
		{"LF in To", with(func(m *mail.Message) { m.To = "anna@example.com\nBcc: eve@example.com" })},
		{"CR in To name", with(func(m *mail.Message) { m.To = "\"Anna\r\" <anna@example.com>" })},
		{"bad To", with(func(m *mail.Message) { m.To = "anna at example.com" })},
		{"two recipients", with(func(m *mail.Message) { m.To = "anna@example.com, eve@example.com" })},
		{"empty To", with(func(m *mail.Message) { m.To = "" })},
		{"CRLF in Subject", with(func(m *mail.Message) { m.Subject = "Hello\r\nBcc: eve@example.com" })},
		{"LF in Subject", with(func(m *mail.Message) { m.Subject = "Hello\nBcc: eve@example.com" })},
		{"CRLF in header value", with(func(m *mail.Message) {
			m.Headers["List-Unsubscribe"] = "<https://x.example>\r\nBcc: eve@example.com"
		})},
		{"LF in header value", with(func(m *mail.Message) { m.Headers["X-Tag"] = "a\nBcc: eve@example.com" })},
		{"CR in header value", with(func(m *mail.Message) { m.Headers["X-Tag"] = "a\rb" })},
		{"NUL in header value", with(func(m *mail.Message) { m.Headers["X-Tag"] = "a\x00b" })},
		{"CRLF in header name", with(func(m *mail.Message) { m.Headers["X-Tag\r\nBcc"] = "eve@example.com" })},
		{"colon in header name", with(func(m *mail.Message) { m.Headers["Bcc: eve@example.com\r\nX"] = "y" })},
		{"space in header name", with(func(m *mail.Message) { m.Headers["X Tag"] = "y" })},
		{"empty header name", with(func(m *mail.Message) { m.Headers[""] = "y" })},
		{"header set by the mailer", with(func(m *mail.Message) { m.Headers["bcc"] = "eve@example.com" })},
		{"Content-Type header", with(func(m *mail.Message) { m.Headers["Content-Type"] = "text/html" })},
		{"header twice", with(func(m *mail.Message) { m.Headers["X-Tag"] = "a"; m.Headers["x-tag"] = "b" })},
		{"bad Reply-To", with(func(m *mail.Message) { m.Headers["Reply-To"] = "not an address" })},
		{"no text", with(func(m *mail.Message) { m.Text = ""; m.HTML = "<p>Hi</p>" })},
	}
	srv := startServer(t, startTLS, nil)
	senders := map[string]mail.Sender{
		"smtp":   newSMTPSender(t, srv, smtpURL("smtp", testUser, testPassword, srv.Addr, "")),
		"outbox": newOutbox(t),
	}
	for kind, s := range senders {
		for _, tt := range tests {
			t.Run(kind+"/"+tt.name, func(t *testing.T) {
				err := s.Send(testContext(t), tt.msg)
				if !errors.Is(err, match.ErrInvalid) {
					t.Fatalf("Send: got %v, want an error matching match.ErrInvalid", err)
				}
			})
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d messages, want 0", n)
	}
	if files, err := senders["outbox"].(*mail.Outbox).Files(); err != nil || len(files) != 0 {
		t.Errorf("outbox holds %v (%v), want nothing", files, err)
	}

	// The good message goes through both, with a Reply-To header.
	good := with(func(m *mail.Message) { m.Headers["Reply-To"] = "Ben <ben@example.com>" })
	for kind, s := range senders {
		if err := s.Send(testContext(t), good); err != nil {
			t.Errorf("%s: Send(good message): %v", kind, err)
		}
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server received %d messages, want 1", len(msgs))
	}
	checkMessage(t, msgs[0].Data, good)
}

// --- outbox ------------------------------------------------------------------------

func TestOutboxWritesEML(t *testing.T) {
	o := newOutbox(t)
	if info, err := os.Stat(o.Dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("outbox folder: got %v (%v), want mode 0700", info.Mode(), err)
	}
	if err := o.Send(testContext(t), richMessage); err != nil {
		t.Fatalf("Send: %v", err)
	}
	files, err := o.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 {
		t.Fatalf("Files: got %v, want one file", files)
	}
	info, err := os.Stat(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("file mode: got %v, want 0600", info.Mode().Perm())
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	checkMessage(t, raw, richMessage)
	checkOnlyEML(t, o.Dir, 1)
}

func TestOutboxCreatesMissingFolder(t *testing.T) {
	o := newOutbox(t)
	if err := os.Remove(o.Dir); err != nil {
		t.Fatal(err)
	}
	if files, err := o.Files(); err != nil || files != nil {
		t.Fatalf("Files of a missing folder: got %v, %v; want nothing, no error", files, err)
	}
	if err := o.Send(testContext(t), richMessage); err != nil {
		t.Fatalf("Send: %v", err)
	}
	checkOnlyEML(t, o.Dir, 1)
}

func TestOutboxFilesOldestFirst(t *testing.T) {
	o := newOutbox(t)
	ctx := testContext(t)
	const n = 5
	for i := range n {
		m := richMessage
		m.Subject = fmt.Sprintf("message %d", i)
		if err := o.Send(ctx, m); err != nil {
			t.Fatalf("Send %d: %v", i, err)
		}
	}
	files, err := o.Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != n {
		t.Fatalf("Files: got %d files, want %d", len(files), n)
	}
	for i, path := range files {
		if got, want := subjectOf(t, path), fmt.Sprintf("message %d", i); got != want {
			t.Errorf("file %d (%s): got subject %q, want %q", i, filepath.Base(path), got, want)
		}
	}
}

func TestOutboxContextCancelled(t *testing.T) {
	o := newOutbox(t)
	ctx, cancel := context.WithCancel(testContext(t))
	cancel()
	if err := o.Send(ctx, richMessage); !errors.Is(err, context.Canceled) {
		t.Fatalf("Send: got %v, want context.Canceled", err)
	}
	checkOnlyEML(t, o.Dir, 0)
}

// A bare Outbox lists files but cannot send: it has no From.
func TestBareOutboxCannotSend(t *testing.T) {
	o := &mail.Outbox{Dir: t.TempDir()}
	if err := o.Send(testContext(t), richMessage); err == nil {
		t.Fatal("Send on an Outbox not made by New: got no error, want one")
	}
	checkOnlyEML(t, o.Dir, 0)
}

// checkOnlyEML checks dir holds exactly n .eml files and nothing else: no
// temporary files are left behind.
func checkOnlyEML(t *testing.T, dir string, n int) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	count := 0
	for _, name := range names {
		if !strings.HasSuffix(name, ".eml") || strings.HasPrefix(name, ".") {
			t.Errorf("outbox holds %q, want only .eml files (all: %v)", name, names)
		} else {
			count++
		}
	}
	if count != n {
		t.Errorf("outbox holds %d .eml files, want %d", count, n)
	}
}

func subjectOf(t *testing.T, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	msg, err := netmail.ReadMessage(f)
	if err != nil {
		t.Fatalf("parse %s: %v", path, err)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode subject of %s: %v", path, err)
	}
	return subject
}

// --- concurrency ------------------------------------------------------------------

func TestConcurrentSends(t *testing.T) {
	const n = 20
	srv := startServer(t, startTLS, nil)
	o := newOutbox(t)
	senders := map[string]mail.Sender{
		"smtp":   newSMTPSender(t, srv, smtpURL("smtp", testUser, testPassword, srv.Addr, "")),
		"outbox": o,
	}
	for kind, s := range senders {
		t.Run(kind, func(t *testing.T) {
			ctx := testContext(t)
			errs := make(chan error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					m := richMessage
					m.Subject = fmt.Sprintf("message %02d", i)
					m.To = fmt.Sprintf("member%02d@example.com", i)
					errs <- s.Send(ctx, m)
				})
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Errorf("Send: %v", err)
				}
			}
		})
	}

	want := map[string]bool{}
	for i := range n {
		want[fmt.Sprintf("message %02d", i)] = true
	}
	check := func(kind string, subjects []string) {
		t.Helper()
		got := map[string]bool{}
		for _, s := range subjects {
			if got[s] {
				t.Errorf("%s: %q delivered twice", kind, s)
			}
			got[s] = true
		}
		if len(got) != n {
			t.Errorf("%s: got %d distinct messages, want %d", kind, len(got), n)
		}
		for s := range want {
			if !got[s] {
				t.Errorf("%s: %q missing", kind, s)
			}
		}
	}

	var subjects []string
	for _, m := range srv.Messages() {
		msg, err := netmail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		subjects = append(subjects, msg.Header.Get("Subject"))
		if wantTo := "member" + strings.TrimPrefix(msg.Header.Get("Subject"), "message ") + "@example.com"; len(m.To) != 1 || m.To[0] != wantTo {
			t.Errorf("envelope To of %q: got %v, want [%s]", msg.Header.Get("Subject"), m.To, wantTo)
		}
	}
	check("smtp", subjects)

	files, err := o.Files()
	if err != nil {
		t.Fatal(err)
	}
	subjects = subjects[:0]
	for _, path := range files {
		subjects = append(subjects, subjectOf(t, path))
	}
	check("outbox", subjects)
	checkOnlyEML(t, o.Dir, n)
}

// Read gives back what Send put in: through the outbox, both parts,
// non-Latin subject and bodies.
func TestReadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s, err := mail.New(mail.Config{From: "Matchmaker <mm@example.org>", OutboxDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	sent := mail.Message{To: "Ana <ana@example.org>", Subject: "Γειά σου — 日本語 ✓", Text: "Line one\nΚαλημέρα 日本語\n", HTML: "<p>Καλημέρα <b>日本語</b></p>"}
	if err := s.Send(context.Background(), sent); err != nil {
		t.Fatal(err)
	}
	files, err := s.(*mail.Outbox).Files()
	if err != nil || len(files) != 1 {
		t.Fatalf("files %v %v", files, err)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := mail.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	if got.To != "ana@example.org" || got.Subject != sent.Subject || strings.TrimRight(got.Text, "\n") != strings.TrimRight(sent.Text, "\n") || !strings.Contains(got.HTML, "<b>日本語</b>") {
		t.Errorf("read back %+v, want %+v", got, sent)
	}
}

// An attachment goes out as its own part, after the bodies, and reads back
// byte for byte with its media type's parameters (a calendar invitation's
// method is one).
func TestAttachmentRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s, err := mail.New(mail.Config{From: "Matchmaker <mm@example.org>", OutboxDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ics := []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n")
	sent := mail.Message{To: "ana@example.org", Subject: "Invitation", Text: "See the invitation.\n", HTML: "<p>See the invitation.</p>",
		Attachments: []mail.Attachment{{Name: "invite.ics", ContentType: "text/calendar; method=REQUEST; charset=UTF-8", Data: ics}}}
	if err := s.Send(context.Background(), sent); err != nil {
		t.Fatal(err)
	}
	msgs, err := s.(*mail.Outbox).Messages()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("messages %v %v", msgs, err)
	}
	got := msgs[0]
	if len(got.Attachments) != 1 {
		t.Fatalf("got %d attachments, want 1", len(got.Attachments))
	}
	a := got.Attachments[0]
	mediaType, params, err := mime.ParseMediaType(a.ContentType)
	if a.Name != "invite.ics" || err != nil || mediaType != "text/calendar" || params["method"] != "REQUEST" || !bytes.Equal(a.Data, ics) {
		t.Errorf("got attachment %q %q %q, want invite.ics, text/calendar with method=REQUEST, %q", a.Name, a.ContentType, a.Data, ics)
	}
	if strings.TrimSpace(got.Text) != "See the invitation." || !strings.Contains(got.HTML, "See the invitation.") {
		t.Errorf("bodies %q %q lost beside the attachment", got.Text, got.HTML)
	}
}

func TestSendRefusesBadAttachments(t *testing.T) {
	s, err := mail.New(mail.Config{From: "Matchmaker <mm@example.org>", OutboxDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for name, a := range map[string]mail.Attachment{
		"no name":          {ContentType: "text/calendar", Data: []byte("x")},
		"a path":           {Name: "../invite.ics", ContentType: "text/calendar", Data: []byte("x")},
		"a line break":     {Name: "invite.ics\r\nBcc: x@example.org", ContentType: "text/calendar", Data: []byte("x")},
		"a bad media type": {Name: "invite.ics", ContentType: "text/calendar; method", Data: []byte("x")},
		"no data":          {Name: "invite.ics", ContentType: "text/calendar"},
		"more than a MiB":  {Name: "invite.ics", ContentType: "text/calendar", Data: make([]byte, 1<<20+1)},
	} {
		err := s.Send(context.Background(), mail.Message{To: "ana@example.org", Subject: "x", Text: "x", Attachments: []mail.Attachment{a}})
		if !errors.Is(err, match.ErrInvalid) {
			t.Errorf("%s: got %v, want an error matching match.ErrInvalid", name, err)
		}
	}
}
