package api

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/domain"
)

// idempotencyHeader carries the client's key for a write. The same write
// sent again with the same key (a double click, a retry after a lost
// answer) gets the first answer, marked by replayedHeader, instead of
// acting twice: introducing a pair twice would email both members twice.
// This is the header Stripe and the IETF draft of the same name use.
const (
	idempotencyHeader = "Idempotency-Key"
	replayedHeader    = "Idempotent-Replayed"
)

// idempotent runs a write sent with an Idempotency-Key once per key and
// caller (see app.KeyedWrite), for the host and signed-in members; other
// requests pass through. It goes on the write routes only. Answers of every kind are kept, refusals too, but
// not the service's faults (5xx): a repeat of those runs again.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		key := req.Header.Get(idempotencyHeader)
		who := callerOf(c)
		if key == "" || (!who.host && who.member == nil) {
			return next(c)
		}
		body, err := io.ReadAll(req.Body) // limitBody has capped it
		if err != nil {
			return err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		w, err := app.KeyedWrite(who.app(), key, req.Method, req.URL.RequestURI(), body)
		if err != nil {
			return err
		}
		ctx := req.Context()
		claim, err := s.app.ClaimWrite(ctx, w)
		if err != nil {
			return err
		}
		res := c.Response()
		if !claim.Run {
			res.Header().Set(replayedHeader, "true")
			if claim.Answer.ContentType == "" {
				return c.NoContent(claim.Answer.Status)
			}
			return c.Blob(claim.Answer.Status, claim.Answer.ContentType, claim.Answer.Body)
		}
		rec := &recorder{ResponseWriter: res.Writer}
		res.Writer = rec
		if err := next(c); err != nil {
			c.Error(err) // written here, so that the answer kept is the one sent
		}
		// The answer is kept even when the caller has gone: the write ran.
		keep := context.WithoutCancel(ctx)
		if !res.Committed || res.Status >= http.StatusInternalServerError {
			if err := s.app.ReleaseWrite(keep, w); err != nil {
				s.log.Error("release idempotency key", "err", err)
			}
			return nil
		}
		ans := domain.StoredAnswer{Status: res.Status, Body: rec.body.Bytes()}
		if len(ans.Body) > 0 {
			ans.ContentType = res.Header().Get(echo.HeaderContentType)
		}
		if err := s.app.AnswerWrite(keep, w, ans); err != nil {
			s.log.Error("keep idempotent answer", "err", err)
		}
		return nil
	}
}

// recorder passes a response on and keeps a copy of its body.
type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (flushes,
// deadlines) through the recorder.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
