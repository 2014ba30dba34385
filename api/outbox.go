package api

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/domain"
)

// outboxRoutes are the host's view of the outbox: every email the service
// owes, and what became of it.
func (s *Server) outboxRoutes() []route {
	return []route{
		{http.MethodGet, "/api/v1/outbox", hostOnly, s.listOutbox, unlimited},
		{http.MethodPost, "/api/v1/outbox/:id/retry", hostOnly, s.retryMail, unlimited},
		{http.MethodPost, "/api/v1/outbox/:id/cancel", hostOnly, s.cancelMail, unlimited},
	}
}

type mailView struct {
	ID            int64      `json:"id"`
	Kind          string     `json:"kind"`
	To            string     `json:"to"`
	Subject       string     `json:"subject"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	LastError     string     `json:"last_error"`
	NextAttemptAt *time.Time `json:"next_attempt_at"` // while queued
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	SentAt        *time.Time `json:"sent_at"`
}

func viewMail(m domain.QueuedMail) mailView {
	v := mailView{ID: m.ID, Kind: m.Kind, To: m.Message.To, Subject: m.Message.Subject, Status: m.Status,
		Attempts: m.Attempts, LastError: m.LastError, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, SentAt: m.SentAt}
	if m.Status == domain.MailQueued {
		v.NextAttemptAt = &m.NextAttemptAt
	}
	return v
}

type outboxPage struct {
	Mails  []mailView     `json:"mails"`
	Counts map[string]int `json:"counts"` // every email in the outbox, by status
	// Before is the id to ask for the next, older page with; 0 at the end.
	Before int64 `json:"before"`
}

// listOutbox lists emails, newest first: ?status= queued, sent, failed or
// cancelled; ?limit= (default 50, at most 200); ?before= an id, for the
// page after.
func (s *Server) listOutbox(c echo.Context) error {
	q := newQueryParams(c.QueryParams(), "status", "limit", "before")
	f := domain.OutboxFilter{Status: c.QueryParam("status"), Limit: q.limit(50, 200)}
	if f.Status != "" && !slices.Contains([]string{domain.MailQueued, domain.MailSent, domain.MailFailed, domain.MailCancelled}, f.Status) {
		q.bad["status"] = "must be one of: queued, sent, failed, cancelled"
	}
	if v := c.QueryParam("before"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			q.bad["before"] = "must be a positive whole number"
		}
		f.Before = id
	}
	if err := q.err(); err != nil {
		return err
	}
	list, counts, err := s.app.Outbox(c.Request().Context(), f)
	if err != nil {
		return err
	}
	page := outboxPage{Mails: make([]mailView, len(list)), Counts: counts}
	for i, m := range list {
		page.Mails[i] = viewMail(m)
	}
	if len(list) == f.Limit {
		page.Before = list[len(list)-1].ID
	}
	return c.JSON(http.StatusOK, page)
}

// retryMail queues a failed or cancelled email again.
func (s *Server) retryMail(c echo.Context) error {
	id, err := positiveParam(c, "id", "email id")
	if err != nil {
		return err
	}
	m, err := s.app.RetryMail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewMail(m))
}

// cancelMail gives up a queued or failed email.
func (s *Server) cancelMail(c echo.Context) error {
	id, err := positiveParam(c, "id", "email id")
	if err != nil {
		return err
	}
	m, err := s.app.CancelMail(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, viewMail(m))
}
