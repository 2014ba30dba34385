package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

type bigBody struct {
	prefix string
	n      int64
	suffix string
}

func (b bigBody) reader() io.Reader {
	return io.MultiReader(strings.NewReader(b.prefix), io.LimitReader(fill('a'), b.n), strings.NewReader(b.suffix))
}

func (b bigBody) size() int64 { return int64(len(b.prefix)) + b.n + int64(len(b.suffix)) }

type fill byte

func (f fill) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(f)
	}
	return len(p), nil
}

func encoding(chunked bool) string {
	if chunked {
		return "chunked"
	}
	return "with Content-Length"
}

// exchange sends one request over a new connection, with Content-Length
// or chunked, and reads the answer while the body is still going out: a
// server may refuse a body before it has read it all, answer and close.
func (s *server) exchange(t *testing.T, method, path string, h http.Header, body bigBody, chunked bool) (*http.Response, []byte) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", s.addr(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(probeWait))
	go func() {
		// Write errors are expected once the server has answered and closed.
		w := bufio.NewWriterSize(conn, 64<<10)
		fmt.Fprintf(w, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n", method, path, s.addr())
		h.Write(w)
		if chunked {
			io.WriteString(w, "Transfer-Encoding: chunked\r\n\r\n")
			cw := httputil.NewChunkedWriter(w)
			io.Copy(cw, body.reader())
			cw.Close()
			io.WriteString(w, "\r\n")
		} else {
			fmt.Fprintf(w, "Content-Length: %d\r\n\r\n", body.size())
			io.Copy(w, body.reader())
		}
		w.Flush()
	}()
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s with a %d-byte body (%s): no answer: %v", method, path, body.size(), encoding(chunked), err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return res, b
}

// linkForms are the forms the pages of emailed links post, each with a
// made-up token, so the usual answer is "this link does not work".
var linkForms = map[string]url.Values{
	"/confirm":        {"token": {"made-up-token"}},
	"/signin":         {"token": {"made-up-token"}},
	"/introduction":   {"token": {"made-up-token"}, "answer": {"accept"}},
	"/feedback":       {"token": {"made-up-token"}, "answer": {"no"}},
	"/digest/request": {"token": {"made-up-token"}, "answer": {"yes"}},
	"/unsubscribe":    {"token": {"made-up-token"}},
}

// TestProbeBodyLimits: a body bigger than a route takes is refused with
// 413, however it is sent, while usual bodies still get their usual answer.
func TestProbeBodyLimits(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"/unsubscribe", "/confirm", "/signin", "/feedback", "/introduction", "/digest/request"} {
		t.Run("form "+path, func(t *testing.T) {
			t.Parallel()
			s := probeServer(t)
			big := bigBody{"token=", 8 << 20, ""}
			for _, chunked := range []bool{false, true} {
				res, body := s.exchange(t, http.MethodPost, path, headers("Content-Type", formType), big, chunked)
				if res.StatusCode != http.StatusRequestEntityTooLarge {
					t.Errorf("POST %s with an 8 MiB form (%s): got %d %.200q, want 413", path, encoding(chunked), res.StatusCode, body)
				}
			}
			form := linkForms[path].Encode()
			res, body := s.send(t, http.MethodPost, path, headers("Content-Type", formType), form)
			if res.StatusCode < 400 || res.StatusCode >= 500 || res.StatusCode == http.StatusRequestEntityTooLarge {
				t.Errorf("POST %s with the small form %q: got %d %.200q, want the usual 4xx for a made-up token", path, form, res.StatusCode, body)
			}
		})
	}
	t.Run("api", func(t *testing.T) {
		t.Parallel()
		s := probeServer(t)
		p := s.createPost(t, probeToken, probePost("Body Limit Ltd"))
		postPath := fmt.Sprintf("/api/v1/posts/%d", p.ID)
		bigPost := bigBody{`{"business":"Big Body Ltd","email":"big@example.com","seek":"Anyone who reads this far","offer":"`, 2 << 20, `"}`}
		junk := bigBody{"", 2 << 20, ""}
		asJSON := headers("Content-Type", jsonType)
		for _, c := range []struct {
			method, path string
			h            http.Header
			body         bigBody
			chunked      bool
		}{
			{http.MethodPost, "/api/v1/posts", asJSON, bigPost, false},
			{http.MethodPost, "/api/v1/posts", asJSON, bigPost, true},
			{http.MethodPost, "/api/v1/posts", hostAuth("Content-Type", jsonType), bigPost, false},
			{http.MethodPost, "/api/v1/auth/sign-in-link", asJSON, bigBody{`{"email":"`, 2 << 20, `@example.com"}`}, false},
			{http.MethodGet, "/api/v1/posts", nil, junk, false},
			{http.MethodGet, "/api/v1/posts", nil, junk, true},
			{http.MethodGet, postPath, nil, junk, false},
			{http.MethodGet, "/api/v1/drafts", hostAuth(), junk, false},
			{http.MethodDelete, postPath, hostAuth(), junk, false},
			{http.MethodDelete, postPath, hostAuth(), junk, true},
		} {
			who := "anonymous"
			if c.h.Get("Authorization") != "" {
				who = "host"
			}
			sent := fmt.Sprintf("%s %s (%s) with a 2 MiB body (%s)", c.method, c.path, who, encoding(c.chunked))
			res, body := s.exchange(t, c.method, c.path, c.h, c.body, c.chunked)
			if res.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("%s: got %d %.200q, want 413", sent, res.StatusCode, body)
				continue
			}
			var reply errorReply
			if err := json.Unmarshal(body, &reply); err != nil || reply.Error.Code != "too_large" || reply.Error.Message == "" {
				t.Errorf("%s: 413 body %.300q, want the JSON error envelope with code too_large and a message", sent, body)
			}
		}
		if status, body := s.do(t, http.MethodGet, postPath, probeToken, ""); status != http.StatusOK {
			t.Errorf("GET %s after the refused DELETEs with big bodies: got %d %s, want 200 (the post kept)", postPath, status, body)
		}
		if status, body := s.do(t, http.MethodPost, "/api/v1/posts", probeToken, mustJSON(probePost("Small Body Ltd"))); status != http.StatusCreated {
			t.Errorf("POST /api/v1/posts (host) with a small valid body: got %d %s, want 201", status, body)
		}
		if status, body := s.do(t, http.MethodPost, "/api/v1/posts", "", mustJSON(probePost("Small Submission Ltd"))); status != http.StatusAccepted {
			t.Errorf("POST /api/v1/posts (anonymous) with a small valid body: got %d %s, want 202", status, body)
		}
	})
}

// TestProbeBoundedMetrics: made-up methods and paths do not become label
// values, so nobody can grow the metrics without bound.

const (
	slowCutoff = 30 * time.Second
	slowSlack  = 5 * time.Second
	slowDrip   = 3 * time.Second
)

// dribble sends prompt at once, then drip a byte every slowDrip, until the
// server answers or closes the connection, or probeWait passes. It returns
// how long after the prompt that took and what the server did ("" if
// nothing).
func dribble(addr, prompt, drip string) (time.Duration, string) {
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		return 0, "refused the connection: " + err.Error()
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, prompt); err != nil {
		return 0, "closed before the prompt was sent: " + err.Error()
	}
	start := time.Now()
	conn.SetReadDeadline(start.Add(probeWait))
	ended := make(chan string, 1)
	go func() {
		buf := make([]byte, 512)
		n, err := conn.Read(buf)
		switch {
		case n > 0:
			line, _, _ := strings.Cut(string(buf[:n]), "\r\n")
			ended <- "answered " + strconv.Quote(line)
		case errors.Is(err, os.ErrDeadlineExceeded):
			ended <- ""
		default:
			ended <- "closed the connection (" + err.Error() + ")"
		}
	}()
	tick := time.NewTicker(slowDrip)
	defer tick.Stop()
	for i := 0; ; {
		select {
		case what := <-ended:
			return time.Since(start), what
		case <-tick.C:
			if i < len(drip) {
				conn.Write([]byte{drip[i]}) // an error shows as the read ending
				i++
			}
		}
	}
}

// throttled hands out at most step bytes every interval.
type throttled struct {
	r        io.Reader
	step     int
	interval time.Duration
	next     time.Time
}

func (t *throttled) Read(p []byte) (int, error) {
	time.Sleep(time.Until(t.next))
	t.next = time.Now().Add(t.interval)
	return t.r.Read(p[:min(len(p), t.step)])
}

// slowImport uploads file to /api/v1/import at about 25 KB/s and returns
// a description of the answer and whether it is the usual 200 with n posts
// created.
func slowImport(s *server, file, contentType string, n int, chunked bool) (string, bool) {
	body := &throttled{r: strings.NewReader(file), step: 2500, interval: 100 * time.Millisecond}
	req, err := http.NewRequest(http.MethodPost, s.URL+"/api/v1/import", body)
	if err != nil {
		return err.Error(), false
	}
	req.ContentLength = int64(len(file))
	if chunked {
		req.ContentLength = -1
	}
	req.Header.Set("Authorization", "Bearer "+probeToken)
	req.Header.Set("Content-Type", contentType)
	start := time.Now()
	res, err := probeClient.Do(req)
	if err != nil {
		return fmt.Sprintf("after %v: %v", time.Since(start).Round(time.Millisecond), err), false
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	var report struct{ Created, Rejected int }
	json.Unmarshal(got, &report)
	what := fmt.Sprintf("after %v: %d %.300s", time.Since(start).Round(time.Millisecond), res.StatusCode, got)
	return what, res.StatusCode == http.StatusOK && report.Created == n && report.Rejected == 0
}

// importPosts returns n posts as JSON Lines or CSV, about 300 bytes each.
func importPosts(n int, csv bool, prefix string) string {
	var b strings.Builder
	if csv {
		b.WriteString("external_id,business,email,offer,seek,lane\n")
	}
	for i := range n {
		id, business, email := fmt.Sprintf("%s-%04d", prefix, i), fmt.Sprintf("Oak Works %s %d", prefix, i), fmt.Sprintf("oak%d@%s.example", i, prefix)
		offer := fmt.Sprintf("Hand-built oak furniture, beds and wardrobes, for boutique hotels and guest houses; commission %04d", i)
		seek := "Interior designers and hotel owners who refurbish their rooms every few years"
		if csv {
			fmt.Fprintf(&b, "%s,%s,%s,%q,%q,either\n", id, business, email, offer, seek)
		} else {
			b.WriteString(mustJSON(map[string]string{"external_id": id, "business": business, "email": email, "offer": offer, "seek": seek, "lane": "either"}) + "\n")
		}
	}
	return b.String()
}

// TestProbeSlowClients: a client that holds a connection open by sending
// its request a byte at a time is cut off, while an honest slow upload
// still goes through. The cases run at once, since each takes up to
// probeWait.
func TestProbeSlowClients(t *testing.T) {
	t.Parallel()
	s := probeServer(t)
	host := s.addr()
	body := `{"business":"Slow Body Ltd","email":"slow@example.com","offer":"` + strings.Repeat("a", 200) // never all sent
	type dribbleCase struct{ name, prompt, drip string }
	dribbles := []dribbleCase{
		{"slow body: POST /api/v1/posts (anonymous)",
			"POST /api/v1/posts HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n", body},
		{"slow body: POST /api/v1/posts (host)",
			"POST /api/v1/posts HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + probeToken + "\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n", body},
		{"slow body: POST /signin",
			"POST /signin HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: " + formType + "\r\nContent-Length: 200\r\n\r\n", "token=" + strings.Repeat("a", 194)},
		{"slow headers: GET /healthz", "G",
			"ET /healthz HTTP/1.1\r\nHost: " + host + "\r\nX-Padding: " + strings.Repeat("a", 100) + "\r\n\r\n"},
		{"slow headers: POST /api/v1/posts", "P",
			"OST /api/v1/posts HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nX-Padding: " + strings.Repeat("a", 100) + "\r\n\r\n"},
		{"slow header lines after a prompt request line: GET /healthz", "GET /healthz HTTP/1.1\r\n",
			"Host: " + host + "\r\nX-Padding: " + strings.Repeat("a", 100) + "\r\n\r\n"},
	}
	type upload struct {
		name, file, contentType string
		n                       int
		chunked                 bool
	}
	const n = 1000
	uploads := []upload{
		{"slow upload: JSON Lines with Content-Length", importPosts(n, false, "jsonl"), "application/x-ndjson", n, false},
		{"slow upload: CSV, chunked", importPosts(n, true, "csv"), "text/csv", n, true},
	}

	type outcome struct {
		took time.Duration
		what string
		ok   bool
	}
	dribbled := make([]outcome, len(dribbles))
	uploaded := make([]outcome, len(uploads))
	var wg sync.WaitGroup
	for i, c := range dribbles {
		wg.Go(func() {
			took, what := dribble(host, c.prompt, c.drip)
			dribbled[i] = outcome{took: took, what: what}
		})
	}
	for i, u := range uploads {
		wg.Go(func() {
			what, ok := slowImport(s, u.file, u.contentType, u.n, u.chunked)
			uploaded[i] = outcome{what: what, ok: ok}
		})
	}
	wg.Wait()

	for i, c := range dribbles {
		t.Run(c.name, func(t *testing.T) {
			o := dribbled[i]
			switch {
			case o.what == "":
				t.Errorf("sent %q, then a byte every %v: the connection was still open after %v; want it cut off within %v", c.prompt, slowDrip, probeWait, slowCutoff)
			case o.took > slowCutoff+slowSlack:
				t.Errorf("sent %q, then a byte every %v: the server %s only after %v; want within %v", c.prompt, slowDrip, o.what, o.took.Round(time.Millisecond), slowCutoff)
			default:
				t.Logf("the server %s after %v", o.what, o.took.Round(time.Millisecond))
			}
		})
	}
	for i, u := range uploads {
		t.Run(u.name, func(t *testing.T) {
			o := uploaded[i]
			if !o.ok {
				t.Errorf("POST /api/v1/import of %d posts (%d KB) at about 25 KB/s: %s; want 200 with %d created, none rejected", u.n, len(u.file)>>10, o.what, u.n)
			} else {
				t.Logf("%d KB: %s", len(u.file)>>10, o.what)
			}
		})
	}
}
