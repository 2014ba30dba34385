package main

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestLoadConnKeepsAliveAndNeverResends runs the load generator's
// connection against a real HTTP server: requests share one connection; a
// connection the server closed while idle is replaced before the next
// request goes out; a connection the server asks to close is closed; and
// a request that reached the server before it failed is an error, not
// sent again.
func TestLoadConnKeepsAliveAndNeverResends(t *testing.T) {
	var posts, conns atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method == http.MethodPost {
			posts.Add(1)
		}
		switch r.URL.Path {
		case "/close":
			w.Header().Set("Connection", "close")
		case "/fail":
			// Fail after reading the request, before any answer.
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return
		}
		w.Write([]byte(strings.Repeat("x", 20000) + string(body)))
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := newLoadConn(srv.Listener.Addr().String(), "token")
	c.idleCheck = 0 // check before every request, not only after a second idle
	defer c.close()
	all := func(int) bool { return true }

	for i := range 3 {
		status, b, err := c.do(http.MethodPost, "/ok", `{"n":1}`, all)
		if err != nil || status != http.StatusOK || len(b) != 20000+len(`{"n":1}`) {
			t.Fatalf("request %d: %d, %d bytes, %v", i, status, len(b), err)
		}
	}
	// A drained body leaves the connection fit for the next request.
	if status, b, err := c.do(http.MethodGet, "/ok", "", func(int) bool { return false }); err != nil || status != http.StatusOK || b != nil {
		t.Fatalf("drained request: %d, %v, %v", status, b, err)
	}
	if conns.Load() != 1 {
		t.Fatalf("4 requests used %d connections, want 1", conns.Load())
	}

	// The server closes the idle connection: the next request goes out
	// once, on a new one.
	srv.CloseClientConnections()
	if status, _, err := c.do(http.MethodPost, "/ok", `{}`, all); err != nil || status != http.StatusOK {
		t.Fatalf("after the server closed the connection: %d, %v", status, err)
	}
	if posts.Load() != 4 || conns.Load() != 2 {
		t.Fatalf("after a stale connection: %d posts on %d connections, want 4 on 2", posts.Load(), conns.Load())
	}

	// Connection: close is honoured.
	if _, _, err := c.do(http.MethodGet, "/close", "", all); err != nil || c.conn != nil {
		t.Fatalf("after Connection: close: err %v, connection kept %v", err, c.conn != nil)
	}

	// A request the server read and then failed is an error, not a retry.
	before := posts.Load()
	if _, _, err := c.do(http.MethodPost, "/ok", `{}`, all); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.do(http.MethodPost, "/fail", `{}`, all); err == nil {
		t.Fatal("a request the server dropped after reading it reported no error")
	}
	if got := posts.Load() - before; got != 2 {
		t.Fatalf("the server saw %d posts, want 2: the failed one was sent again", got)
	}
}
