package main

import (
	"encoding/json"
	"net"
	"net/http"
	"testing"
	"time"
)

type outboxView struct {
	Mails []struct {
		ID        int64  `json:"id"`
		Kind      string `json:"kind"`
		To        string `json:"to"`
		Status    string `json:"status"`
		Attempts  int    `json:"attempts"`
		LastError string `json:"last_error"`
	} `json:"mails"`
	Counts map[string]int `json:"counts"`
}

func (s *server) outbox(t *testing.T) outboxView {
	t.Helper()
	status, body := s.do(t, http.MethodGet, "/api/v1/outbox", crashToken, "")
	if status != http.StatusOK {
		t.Fatalf("GET /api/v1/outbox: %d %s", status, body)
	}
	var v outboxView
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestMailWaitsOutAKilledServerAndADownMailServer runs the built binary
// with its SMTP server down: a member's submission and a sign-in request
// are answered at once and their emails wait in the outbox. The server is
// killed (SIGKILL); with the SMTP server up, the next start sends each
// email exactly once and shows it sent.
func TestMailWaitsOutAKilledServerAndADownMailServer(t *testing.T) {
	// An address nothing listens on, for now.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	smtpAddr := ln.Addr().String()
	ln.Close()
	data := t.TempDir()
	env := []string{"MATCHMAKER_HOST_TOKEN=" + crashToken, "MATCHMAKER_SMTP_URL=smtp://" + smtpAddr + "?tls=none"}

	s := startServer(t, data, env...)
	s.createPost(t, crashToken, map[string]any{"business": "Host Listed", "email": "listed@outbox.example",
		"offer": "Bookkeeping for dental practices", "seek": "Dental software vendors"})
	body := `{"business":"Member Submitted","email":"member@outbox.example","offer":"Websites for dental practices","seek":"Bookkeepers who serve dentists"}`
	if status, res := s.do(t, http.MethodPost, "/api/v1/posts", "", body); status != http.StatusAccepted {
		t.Fatalf("a member's submission with the mail server down: %d %s, want 202", status, res)
	}
	if status, res := s.do(t, http.MethodPost, "/api/v1/auth/sign-in-link", "", `{"email":"listed@outbox.example"}`); status != http.StatusAccepted {
		t.Fatalf("a sign-in request with the mail server down: %d %s, want 202", status, res)
	}
	// Both emails are queued, and tried once in vain.
	deadline := time.Now().Add(20 * time.Second)
	for {
		v := s.outbox(t)
		tried := 0
		for _, m := range v.Mails {
			if m.Status == "queued" && m.Attempts >= 1 && m.LastError != "" {
				tried++
			}
		}
		if len(v.Mails) == 2 && tried == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the outbox after the first attempts: %+v", v)
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.kill(t)

	mailServer := startHoldingSMTPAt(t, smtpAddr, 0)
	s = startServer(t, data, env...)
	deadline = time.Now().Add(20 * time.Second)
	for {
		if _, total := mailServer.counts(); total >= 2 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Time for a second, wrong delivery to show, were there one.
	time.Sleep(time.Second)
	got, total := mailServer.counts()
	if total != 2 || got["member@outbox.example"] != 1 || got["listed@outbox.example"] != 1 {
		t.Fatalf("after the restart the mail server got %v (%d in all), want one email to each address", got, total)
	}
	v := s.outbox(t)
	if v.Counts["sent"] != 2 || v.Counts["queued"] != 0 {
		t.Errorf("the outbox after delivery: %+v", v)
	}
	kinds := map[string]bool{}
	for _, m := range v.Mails {
		kinds[m.Kind] = true
	}
	if !kinds["confirm_post"] || !kinds["sign_in"] {
		t.Errorf("kinds in the outbox: %v, want confirm_post and sign_in", kinds)
	}
	s.stop(t)
}
