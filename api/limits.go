package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
)

// What a request may send, route by route. A limit is enforced before the
// body is read: a declared length over it is refused at once (413) and the
// connection closed, and a body sent without a length is cut off at the
// limit. The limits follow what each kind of route takes:
const (
	// noBodyLimit is for GET, HEAD and DELETE, which take no body; a few
	// bytes are let through for clients that send an empty JSON object
	// anyway.
	noBodyLimit = 1 << 10
	// formLimit is for the pages emailed links open: their forms post a
	// token and an answer, a few hundred bytes.
	formLimit = 8 << 10
)

// bodyRule is what one route accepts as its body.
type bodyRule struct {
	limit int64
	// form routes are posted by HTML forms: the form is read (and its
	// size checked) before the handler runs, since a handler that reads
	// a field of a form too large sees only an empty field.
	form bool
	// none is for routes that take no body: what is sent is read (up to
	// the limit) and dropped before the handler runs, so that a request
	// carrying too much is refused before it does anything.
	none bool
	// tooLarge is the error a larger body gets.
	tooLarge func() error
}

func bodyTooLarge() error {
	return match.Errorf(match.ETOOLARGE, "the request body is too large for this endpoint")
}

// bodyRuleOf says what route r accepts: JSON API writes up to BodyLimit,
// imports up to ImportLimit, a pasted thread up to app.PasteLimit, the
// pages' forms up to formLimit, and nothing to speak of with GET, HEAD and
// DELETE.
func (s *Server) bodyRuleOf(r route) bodyRule {
	switch r.method {
	case http.MethodGet, http.MethodHead, http.MethodDelete:
		return bodyRule{limit: noBodyLimit, none: true, tooLarge: bodyTooLarge}
	}
	switch {
	case r.path == "/api/v1/import":
		return bodyRule{limit: s.cfg.ImportLimit, tooLarge: bodyTooLarge}
	case r.path == "/api/v1/drafts":
		return bodyRule{limit: app.PasteLimit, tooLarge: app.PasteTooLarge}
	case !strings.HasPrefix(r.path, "/api/"):
		return bodyRule{limit: formLimit, form: true, tooLarge: bodyTooLarge}
	}
	return bodyRule{limit: s.cfg.BodyLimit, tooLarge: bodyTooLarge}
}

// limitBody enforces rule on a route's requests (see bodyRule).
func limitBody(rule bodyRule) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.ContentLength > rule.limit {
				// Not read, so the connection cannot be reused.
				c.Response().Header().Set(echo.HeaderConnection, "close")
				return rule.tooLarge()
			}
			req.Body = http.MaxBytesReader(c.Response(), req.Body, rule.limit)
			var err error
			switch {
			case rule.none:
				_, err = io.Copy(io.Discard, req.Body)
			case rule.form && req.Method == http.MethodPost:
				err = parseForm(req, rule.limit)
			}
			if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
				return rule.tooLarge()
			} else if err != nil {
				return err
			}
			err = next(c)
			if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
				return rule.tooLarge()
			}
			return err
		}
	}
}

// parseForm reads a form body (URL-encoded or multipart) so that its size
// and shape are checked once, here; handlers then read fields with
// FormValue.
func parseForm(req *http.Request, limit int64) error {
	mediaType, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	var err error
	if mediaType == echo.MIMEMultipartForm {
		err = req.ParseMultipartForm(limit)
	} else {
		err = req.ParseForm()
	}
	var (
		tooBig  *http.MaxBytesError
		tooSlow *match.Error // from pacedBody
	)
	if err != nil && !errors.As(err, &tooBig) && !errors.As(err, &tooSlow) {
		return match.Invalid("the form could not be read: "+err.Error(), nil)
	}
	return err
}

// Reading a request must not let a client hold a connection open by
// sending slowly: the headers must arrive within headerTimeout
// (http.Server.ReadHeaderTimeout, set by serve), and a body must keep
// coming at a minimum pace. A whole-request timeout would instead cut off
// a real upload of a large file over a slow line, so the pace is what is
// enforced: in every window (Config.BodyWindow, 10 s), at least bodyPace
// bytes, or the connection is closed. A client sending a byte every few
// seconds is cut off after one window; an upload at a few hundred bytes a
// second carries on.
const (
	HeaderTimeout = 10 * time.Second
	bodyPace      = 1 << 10
)

// paceBodies wraps h so that every request body is read under the pace
// rule above.
func paceBodies(h http.Handler, window time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			rc := http.NewResponseController(w)
			// Where the connection has no deadlines (a test recorder),
			// the rule cannot apply.
			if rc.SetReadDeadline(time.Now().Add(window)) == nil {
				r.Body = &pacedBody{body: r.Body, rc: rc, window: window}
			}
		}
		h.ServeHTTP(w, r)
	})
}

// pacedBody moves the connection's read deadline one window on each time
// bodyPace more bytes have arrived. A read past the deadline fails, and the
// server closes the connection. The window starts again at the first read,
// so time a handler spends before it reads (waiting for the writer, say)
// is not counted against the client; once the body is read to its end the
// deadline is lifted, as the server's own check for a client that hangs up
// goes on reading the connection while the handler works.
type pacedBody struct {
	body     io.ReadCloser
	rc       *http.ResponseController
	window   time.Duration
	started  bool
	inWindow int64
}

func (b *pacedBody) Read(p []byte) (int, error) {
	if !b.started {
		b.started = true
		b.rc.SetReadDeadline(time.Now().Add(b.window))
	}
	n, err := b.body.Read(p)
	b.inWindow += int64(n)
	switch {
	case err == io.EOF:
		b.rc.SetReadDeadline(time.Time{})
	case errors.Is(err, os.ErrDeadlineExceeded):
		err = match.Errorf(codeTimeout, "the request body arrived too slowly: it must keep coming at %d bytes every %v or more", bodyPace, b.window)
	case err == nil && b.inWindow >= bodyPace:
		b.inWindow = 0
		b.rc.SetReadDeadline(time.Now().Add(b.window))
	}
	return n, err
}

func (b *pacedBody) Close() error { return b.body.Close() }
