package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// sendTimeout bounds dialling and each exchange with the server, whatever
// the caller's context says.
const sendTimeout = 30 * time.Second

// SMTP sends each message over its own connection to an SMTP server. TLS is
// mandatory (implicit, or STARTTLS) unless the URL says tls=none, and then
// no credentials are sent.
type SMTP struct {
	host        string
	port        int
	implicitTLS bool // smtps://
	noTLS       bool // smtp://…?tls=none
	username    string
	password    string
	tlsConfig   *tls.Config
	from        *netmail.Address
	timeout     time.Duration
}

// Server returns the server's host:port, to say where mail goes.
func (s *SMTP) Server() string { return net.JoinHostPort(s.host, strconv.Itoa(s.port)) }

// newSMTP parses rawURL. Its errors never include the password: url.Parse's
// own errors quote the whole URL, so only their inner error is kept.
func newSMTP(rawURL string, tlsConfig *tls.Config, from *netmail.Address) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, fmt.Errorf("mail: invalid SMTP URL: %v", err)
	}
	s := &SMTP{from: from, timeout: sendTimeout}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.implicitTLS = true
		s.port = 465
	default:
		return nil, fmt.Errorf("mail: SMTP URL scheme %q is not supported (use smtp or smtps)", u.Scheme)
	}
	if u.Opaque != "" || u.Hostname() == "" {
		return nil, fmt.Errorf("mail: SMTP URL must look like %s://host:port", u.Scheme)
	}
	s.host = u.Hostname()
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("mail: SMTP URL port %q is not a port number", p)
		}
		s.port = n
	}
	if u.Path != "" && u.Path != "/" {
		return nil, fmt.Errorf("mail: SMTP URL must not have a path")
	}
	for key, values := range u.Query() {
		if key != "tls" {
			return nil, fmt.Errorf("mail: SMTP URL parameter %q is not known (only tls=none)", key)
		}
		switch v := values[len(values)-1]; {
		case u.Scheme == "smtps":
			return nil, errors.New("mail: smtps:// always uses TLS; drop the tls parameter")
		case v == "none":
			s.noTLS = true
		case v == "starttls":
		default:
			return nil, fmt.Errorf("mail: SMTP URL parameter tls=%q is not known (use tls=none or tls=starttls)", v)
		}
	}
	if u.User != nil {
		s.username = u.User.Username()
		s.password, _ = u.User.Password()
		if s.username == "" {
			return nil, errors.New("mail: SMTP URL has a password but no user name")
		}
		if s.noTLS {
			return nil, errors.New("mail: refusing to send SMTP credentials without TLS (the URL says tls=none)")
		}
	}

	if tlsConfig != nil {
		s.tlsConfig = tlsConfig.Clone()
	} else {
		s.tlsConfig = &tls.Config{}
	}
	if s.tlsConfig.ServerName == "" {
		s.tlsConfig.ServerName = s.host
	}
	if s.tlsConfig.MinVersion == 0 {
		s.tlsConfig.MinVersion = tls.VersionTLS12
	}
	return s, nil
}

// Send delivers m over a new connection. It returns once the server has
// accepted the message, or with an error naming the server; when ctx ends
// first the connection is closed and the error wraps ctx.Err().
func (s *SMTP) Send(ctx context.Context, m Message) (err error) {
	msg, err := build(s.from, m)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = &sendError{server: s.Server(), err: err, ctx: ctx.Err(), secret: s.password}
		}
	}()
	if err := ctx.Err(); err != nil {
		return err
	}

	// go-mail honours ctx while dialling only; closing the connection when
	// ctx ends stops the rest of the conversation too.
	stop := func() bool { return false }
	defer func() { stop() }()
	dial := func(dialCtx context.Context, network, addr string) (net.Conn, error) {
		dialer := &net.Dialer{}
		var conn net.Conn
		var err error
		if s.implicitTLS {
			// go-mail sees a *tls.Conn and so knows the session is encrypted.
			conn, err = (&tls.Dialer{NetDialer: dialer, Config: s.tlsConfig}).DialContext(dialCtx, network, addr)
		} else {
			conn, err = dialer.DialContext(dialCtx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		stop = context.AfterFunc(ctx, func() { conn.Close() })
		return conn, nil
	}

	opts := []gomail.Option{
		gomail.WithPort(s.port),
		gomail.WithTimeout(s.timeout),
		gomail.WithTLSConfig(s.tlsConfig),
		gomail.WithDialContextFunc(dial),
		gomail.WithoutNoop(), // a new connection needs no check
	}
	switch {
	case s.implicitTLS:
		opts = append(opts, gomail.WithSSL()) // TLS is done by dial
	case s.noTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.username != "" {
		// PLAIN refuses to run on a connection without TLS (go-mail checks).
		opts = append(opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthPlain),
			gomail.WithUsername(s.username),
			gomail.WithPassword(s.password))
	}
	client, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return err
	}
	return client.DialAndSendWithContext(ctx, msg)
}

// sendError names the server, wraps ctx's error when ctx ended (the
// underlying error is then only the closed connection), and keeps the
// password out of the text should a server or library ever echo it.
type sendError struct {
	server string
	err    error
	ctx    error
	secret string
}

func (e *sendError) Error() string {
	msg := e.err.Error()
	if e.ctx != nil && !errors.Is(e.err, e.ctx) {
		msg = e.ctx.Error() + " (" + msg + ")"
	}
	// Replacing a password of a character or two would garble the text
	// more than it would protect.
	if len(e.secret) >= 4 {
		msg = strings.ReplaceAll(msg, e.secret, "[password]")
		msg = strings.ReplaceAll(msg, url.QueryEscape(e.secret), "[password]")
	}
	return "mail: send via " + e.server + ": " + msg
}

func (e *sendError) Unwrap() []error {
	if e.ctx != nil {
		return []error{e.ctx, e.err}
	}
	return []error{e.err}
}
