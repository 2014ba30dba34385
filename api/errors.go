package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/match"
)

// statusOf is the one place that maps domain error codes to HTTP statuses.
var statusOf = map[string]int{
	match.EINVALID:      http.StatusBadRequest,
	match.EUNAUTHORIZED: http.StatusUnauthorized,
	match.EFORBIDDEN:    http.StatusForbidden,
	match.ENOTFOUND:     http.StatusNotFound,
	match.ECONFLICT:     http.StatusConflict,
	match.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	match.ERATELIMITED:  http.StatusTooManyRequests,
	match.EUNAVAILABLE:  http.StatusServiceUnavailable,
	match.EINTERNAL:     http.StatusInternalServerError,
	codeMethod:          http.StatusMethodNotAllowed,
	codeTimeout:         http.StatusRequestTimeout,
}

// codeMethod is the code for a known path called with the wrong method; it
// is an HTTP matter, not a domain one.
const codeMethod = "method_not_allowed"

// codeTimeout is the code for a request whose body came too slowly (see
// paceBodies); an HTTP matter too.
const codeTimeout = "request_timeout"

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// handleError writes every error as the one JSON envelope. Internal errors
// are logged with the request ID and shown only as "internal error".
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	detail := errorDetail{Code: match.ErrorCode(err), Message: match.ErrorMessage(err)}
	var (
		domain  *match.Error
		httpErr *echo.HTTPError
		tooBig  *http.MaxBytesError
	)
	switch {
	case errors.As(err, &domain):
		detail.Fields = domain.Fields
	case errors.As(err, &tooBig):
		detail = errorDetail{Code: match.ETOOLARGE, Message: "the request body is too large"}
	case errors.As(err, &httpErr):
		detail = echoErrorDetail(httpErr)
	}
	status, ok := statusOf[detail.Code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if status == http.StatusInternalServerError {
		s.log.Error("internal error", "err", err, "method", c.Request().Method,
			"path", c.Path(), "request_id", c.Response().Header().Get(echo.HeaderXRequestID))
		detail = errorDetail{Code: match.EINTERNAL, Message: "internal error"}
	}
	if status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "5")
	}
	if c.Request().Method == http.MethodHead {
		err = c.NoContent(status)
	} else {
		err = c.JSON(status, errorBody{Error: detail})
	}
	if err != nil {
		s.log.Warn("write error response", "err", err)
	}
}

// echoErrorDetail translates the errors Echo's router and middleware raise.
func echoErrorDetail(he *echo.HTTPError) errorDetail {
	switch he.Code {
	case http.StatusNotFound:
		return errorDetail{Code: match.ENOTFOUND, Message: "no such endpoint"}
	case http.StatusMethodNotAllowed:
		return errorDetail{Code: codeMethod, Message: "this endpoint does not take that method"}
	case http.StatusRequestEntityTooLarge:
		return errorDetail{Code: match.ETOOLARGE, Message: "the request body is too large"}
	case http.StatusUnauthorized:
		return errorDetail{Code: match.EUNAUTHORIZED, Message: "authentication required"}
	case http.StatusTooManyRequests:
		return errorDetail{Code: match.ERATELIMITED, Message: "too many requests; try again later"}
	}
	if he.Code >= 400 && he.Code < 500 {
		return errorDetail{Code: match.EINVALID, Message: http.StatusText(he.Code)}
	}
	return errorDetail{Code: match.EINTERNAL, Message: "internal error"}
}
