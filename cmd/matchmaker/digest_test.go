package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/matchmaker/matchmaker/app"
)

// holdingSMTP is a real SMTP relay (emersion/go-smtp) on 127.0.0.1 that
// keeps every message it reads and can hold one: the n-th message is
// recorded as received, then its DATA is not answered until release is
// closed, as a server does when the line drops mid-reply.
type holdingSMTP struct {
	addr     string
	holdAt   int
	held     chan struct{} // closed once the n-th message is read
	release  chan struct{}
	mu       sync.Mutex
	received map[string]int      // messages by recipient
	ids      map[string][]string // each recipient's messages' Message-IDs
	total    int
}

func startHoldingSMTP(t *testing.T, holdAt int) *holdingSMTP {
	t.Helper()
	return startHoldingSMTPAt(t, "127.0.0.1:0", holdAt)
}

// startHoldingSMTPAt is startHoldingSMTP on a given address.
func startHoldingSMTPAt(t *testing.T, addr string, holdAt int) *holdingSMTP {
	t.Helper()
	s := &holdingSMTP{holdAt: holdAt, held: make(chan struct{}), release: make(chan struct{}), received: map[string]int{}, ids: map[string][]string{}}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &holdingSession{srv: s}, nil }))
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	t.Cleanup(func() {
		s.Release()
		srv.Close()
		ln.Close()
		<-done
	})
	return s
}

func (s *holdingSMTP) Release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.release:
	default:
		close(s.release)
	}
}

func (s *holdingSMTP) counts() (map[string]int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for k, v := range s.received {
		out[k] = v
	}
	return out, s.total
}

type holdingSession struct {
	srv *holdingSMTP
	to  string
}

func (h *holdingSession) Mail(string, *smtp.MailOptions) error { return nil }
func (h *holdingSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	h.to = to
	return nil
}
func (h *holdingSession) Reset()        {}
func (h *holdingSession) Logout() error { return nil }

func (h *holdingSession) Data(r io.Reader) error {
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, msg.Body)
	s := h.srv
	s.mu.Lock()
	s.received[h.to]++
	s.ids[h.to] = append(s.ids[h.to], msg.Header.Get("Message-ID"))
	s.total++
	hold := s.total == s.holdAt
	s.mu.Unlock()
	if hold {
		close(s.held)
		<-s.release
	}
	return nil
}

// digestCommunity is eight posts of 2026-Q3: seven members with partners,
// one with none.
const digestCommunity = `{"business":"Ledger Lane","email":"hi@ledger.example","offer":"Bookkeeping and tax returns for Shopify stores and ecommerce brands","seek":"Shopify developers whose clients need an accountant","customers":"online store owners","quarter":"2026-Q3"}
{"business":"Storefront Forge","email":"hi@forge.example","offer":"We build Shopify stores and apps for ecommerce brands","seek":"An accountant or bookkeeper who understands Shopify payouts","customers":"online store owners","quarter":"2026-Q3"}
{"business":"Pixel Parcel","email":"hi@parcel.example","offer":"Product photography for Shopify stores and ecommerce brands","seek":"Shopify developers and copywriters who serve online stores","customers":"online store owners","quarter":"2026-Q3"}
{"business":"Cart Copy","email":"hi@cartcopy.example","offer":"Product descriptions and email copywriting for ecommerce brands","seek":"Product photographers and Shopify developers for online stores","customers":"online store owners","quarter":"2026-Q3"}
{"business":"Alpha Ledger","email":"ana@alpha-ledger.example","offer":"Bookkeeping and payroll for independent dental practices","seek":"A practice-management software vendor who serves dentists","customers":"dentists and dental practices","quarter":"2026-Q3"}
{"business":"Charlie Chairside","email":"cy@chairside.example","offer":"Practice-management software for dental clinics","seek":"Accountants and bookkeepers who serve dental practices","customers":"dentists and dental practices","quarter":"2026-Q3"}
{"business":"Delta Smiles Marketing","email":"di@smiles.example","offer":"Websites and patient marketing for dental practices","seek":"Bookkeepers and software vendors who serve dentists","customers":"dentists and dental practices","quarter":"2026-Q3"}
{"business":"Fiddlehead Luthiers","email":"luthier@fiddlehead.example","offer":"Bespoke violin repair and restoration","seek":"Concert hall acoustic engineers","customers":"orchestras","quarter":"2026-Q3"}
`

// TestDigestKilledMidRun kills the digest command (SIGKILL) while the SMTP
// server holds its third email, then runs it again: the digests the run
// had queued in the outbox go out, the rest are sent, and everyone gets
// their digest once. The one email the server had read but not answered
// when the process died may come twice, with the same Message-ID, which
// mail systems use to drop the repeat: the outbox's one documented window.
func TestDigestKilledMidRun(t *testing.T) {
	bin := binary(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	file := filepath.Join(dir, "community.jsonl")
	if err := os.WriteFile(file, []byte(digestCommunity), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := runCommand(t, commandTimeout, nil, "import", "--data", data, file); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	srv := startHoldingSMTP(t, 3)
	smtpEnv := []string{"MATCHMAKER_SMTP_URL=smtp://" + srv.addr + "?tls=none"}
	args := []string{"digest", "--data", data, "--quarter", "2026-Q3", "--rate", "0", "--base-url", "https://partners.example.org"}

	cmd := exec.Command(bin, args...)
	cmd.Env = env(smtpEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.held:
	case <-time.After(commandTimeout):
		cmd.Process.Kill()
		t.Fatalf("the third email never came:\n%s", out.String())
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred code runs
		t.Fatal(err)
	}
	cmd.Wait()
	srv.Release()
	if _, total := srv.counts(); total != 3 {
		t.Fatalf("%d emails before the kill, want 3", total)
	}

	// Started again: what was queued goes out, the rest are sent.
	r := runCommand(t, commandTimeout, smtpEnv, append(args, "--json")...)
	if r.code != 0 {
		t.Fatalf("the run after the kill: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	var rep app.DigestReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("report: %v\n%s", err, r.stdout)
	}
	if rep.Sent+rep.AlreadySent+rep.InOutbox != 7 || rep.Unknown != 0 || rep.Skipped["no_new_matches"] != 1 {
		t.Errorf("the run after the kill: %+v, want the 7 sent, sent before or in the outbox, 1 with nobody new", rep)
	}
	srv.mu.Lock()
	repeats := 0
	for to, ids := range srv.ids {
		switch {
		case len(ids) == 2 && ids[0] == ids[1] && ids[0] != "":
			repeats++ // the one in flight at the kill, sent again as itself
		case len(ids) != 1:
			t.Errorf("%s received %d digests (%q), want one, or the one in flight twice with one Message-ID", to, len(ids), ids)
		}
	}
	if len(srv.ids) != 7 || repeats > 1 {
		t.Errorf("%d members got a digest (%d repeated), want 7 (at most 1 repeated)", len(srv.ids), repeats)
	}
	srv.mu.Unlock()
	_, before := srv.counts()
	// A third run sends nothing more.
	r = runCommand(t, commandTimeout, smtpEnv, args...)
	if r.code != 0 || strings.Contains(r.stdout, "unknown") || !strings.Contains(r.stdout, "sent by earlier runs   7") {
		t.Errorf("a third run's summary (exit %d):\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if _, total := srv.counts(); total != before {
		t.Errorf("a third run sent again: %d in all, %d before", total, before)
	}
}

func TestDigestCommandFlags(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	for _, c := range []struct {
		args []string
		env  []string
		want string
	}{
		{[]string{"digest", "--data", data}, nil, "--quarter must be a quarter like 2026-Q3"},
		{[]string{"digest", "--data", data, "--quarter", "2026-Q3", "--per-member", "0"}, nil, "--per-member must be from 1 to 20"},
		{[]string{"digest", "--data", data, "--quarter", "2026-Q3", "--limit", "-1"}, nil, "--limit must be 0 or more"},
		{[]string{"digest", "--data", data, "--quarter", "2026-Q3"}, []string{"MATCHMAKER_SMTP_URL=smtp://127.0.0.1:1?tls=none"}, "set --base-url"},
		{[]string{"digest", "--data", data, "--quarter", "2026-Q3", "extra"}, nil, "digest takes no arguments"},
	} {
		r := runCommand(t, commandTimeout, c.env, c.args...)
		if r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("matchmaker %s: exit %d, stderr %q, want an error saying %q", strings.Join(c.args, " "), r.code, r.stderr, c.want)
		}
	}
	// A dry run on an empty folder: nothing to send, a summary all the same.
	r := runCommand(t, commandTimeout, nil, "digest", "--data", data, "--quarter", "2026-Q3", "--dry-run")
	if r.code != 0 || !strings.Contains(r.stdout, "Digest 2026-Q3: 0 members") || !strings.Contains(r.stdout, "would be sent") {
		t.Errorf("dry run: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}
