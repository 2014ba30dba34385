package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
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
	addr string // host:port to dial
	head string // the headers every request carries (Host, Authorization)
	conn net.Conn
	br   *bufio.Reader
	buf  []byte    // the request being written, reused
	last time.Time // when the connection last carried an answer

	// idleCheck is how long a connection may sit idle before it is
	// checked for a close by the server (see do).
	idleCheck time.Duration
}

func newLoadConn(addr, token string) *loadConn {
	return &loadConn{addr: addr, head: "Host: " + addr + "\r\nAuthorization: Bearer " + token + "\r\n", idleCheck: time.Second}
}

// loadTimeout bounds a whole request, answer included.
const loadTimeout = 30 * time.Second

// do sends one request and returns the answer's status. The body is
// returned when keep says so for that status, and otherwise drained, so
// that the connection can carry the next request.
//
// No request is ever sent twice: on the wire, a server that closed an
// idle connection looks like one that read the request and failed, and a
// write must not be counted twice. Instead a connection idle for a while
// is checked before it is used, and replaced if the server closed it.
func (c *loadConn) do(method, path, body string, keep func(status int) bool) (int, []byte, error) {
	if c.conn != nil && time.Since(c.last) >= c.idleCheck && c.closedByServer() {
		c.close()
	}
	status, b, err := c.try(method, path, body, keep)
	if err != nil {
		c.close()
	} else {
		c.last = time.Now()
	}
	return status, b, err
}

// closedByServer reports whether the server has closed the connection (or
// sent something unasked), waiting at most a millisecond. (A deadline
// already past would not even try the read.)
func (c *loadConn) closedByServer() bool {
	if err := c.conn.SetReadDeadline(time.Now().Add(time.Millisecond)); err != nil {
		return true
	}
	_, err := c.br.Peek(1)
	var timeout net.Error
	return !errors.As(err, &timeout) || !timeout.Timeout()
}

func (c *loadConn) try(method, path, body string, keep func(int) bool) (int, []byte, error) {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
		if err != nil {
			return 0, nil, err
		}
		c.conn = conn
		if c.br == nil {
			c.br = bufio.NewReaderSize(conn, 16<<10)
		} else {
			c.br.Reset(conn)
		}
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
	}
	// Close reads what is left of the body, so that the connection can
	// carry the next request, and says whether it could.
	if cerr := res.Body.Close(); err == nil {
		err = cerr
	}
	if err == nil && res.Close {
		c.close() // the server asked for it
	}
	return res.StatusCode, b, err
}

func (c *loadConn) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}
