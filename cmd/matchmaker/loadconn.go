package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// loadConn is one keep-alive HTTP/1.1 connection that a single load worker
// uses in turn: write a request, read its answer, again. The load
// generator shares the two cores with the server it measures, and
// net/http's client hands every request between three goroutines (the
// caller, and a reader and a writer per connection); a worker that owns
// its connection spends none of that, which leaves the server about a
// tenth of a core more. Answers are parsed by net/http's own reader.
type loadConn struct {
	addr  string // host:port to dial
	head  string // the headers every request carries (Host, Authorization)
	conn  net.Conn
	br    *bufio.Reader
	buf   []byte // the request being written, reused
	fresh bool   // conn has carried no request yet
}

func newLoadConn(addr, token string) *loadConn {
	return &loadConn{addr: addr, head: "Host: " + addr + "\r\nAuthorization: Bearer " + token + "\r\n"}
}

// loadTimeout bounds a whole request, answer included.
const loadTimeout = 30 * time.Second

// do sends one request and returns the answer's status. The body is
// returned when keep says so for that status, and otherwise drained, so
// that the connection can carry the next request.
func (c *loadConn) do(method, path, body string, keep func(status int) bool) (int, []byte, error) {
	status, b, err := c.try(method, path, body, keep)
	if err != nil && !c.fresh && isStale(err) {
		// The server closed a connection that sat idle; net/http's
		// client retries such a request once on a new connection too.
		c.close()
		status, b, err = c.try(method, path, body, keep)
	}
	if err != nil {
		c.close()
	}
	return status, b, err
}

func (c *loadConn) try(method, path, body string, keep func(int) bool) (int, []byte, error) {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
		if err != nil {
			return 0, nil, err
		}
		c.conn, c.fresh = conn, true
		if c.br == nil {
			c.br = bufio.NewReaderSize(conn, 16<<10)
		} else {
			c.br.Reset(conn)
		}
	} else {
		c.fresh = false
	}
	// The method and path come from the load generator itself, never
	// from outside, so they need no escaping beyond what built them.
	c.buf = append(c.buf[:0], method...)
	c.buf = append(c.buf, ' ')
	c.buf = append(c.buf, path...)
	c.buf = append(c.buf, " HTTP/1.1\r\n"...)
	c.buf = append(c.buf, c.head...)
	if body != "" {
		c.buf = append(c.buf, "Content-Type: application/json\r\nContent-Length: "...)
		c.buf = strconv.AppendInt(c.buf, int64(len(body)), 10)
		c.buf = append(c.buf, "\r\n"...)
	}
	c.buf = append(c.buf, "\r\n"...)
	c.buf = append(c.buf, body...)
	if err := c.conn.SetDeadline(time.Now().Add(loadTimeout)); err != nil {
		return 0, nil, err
	}
	if _, err := c.conn.Write(c.buf); err != nil {
		return 0, nil, err
	}
	res, err := http.ReadResponse(c.br, nil)
	if err != nil {
		return 0, nil, err
	}
	var b []byte
	if keep(res.StatusCode) {
		b, err = io.ReadAll(io.LimitReader(res.Body, 64<<20))
	} else {
		_, err = io.Copy(io.Discard, res.Body)
	}
	res.Body.Close()
	if err == nil && res.Close {
		c.close() // the server asked for it
	}
	return res.StatusCode, b, err
}

// isStale reports whether err is how a connection the server has closed
// fails on its next request.
func isStale(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

func (c *loadConn) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}
