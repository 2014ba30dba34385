package api

import (
	"bufio"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/match"
)

// importPosts takes a JSON Lines or CSV file as the request body. The
// format comes from ?format=, else the Content-Type, else the first byte.
func (s *Server) importPosts(c echo.Context) error {
	for name := range c.QueryParams() {
		if name != "format" {
			return match.Invalid("unknown query parameter", map[string]string{name: "is not a known parameter"})
		}
	}
	body := bufio.NewReader(c.Request().Body) // capped by its route's limit
	format, err := importFormat(c, body)
	if err != nil {
		return err
	}
	report, err := s.app.Import(c.Request().Context(), body, format, nil)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, report)
}

func importFormat(c echo.Context, body *bufio.Reader) (intake.Format, error) {
	switch f := c.QueryParam("format"); f {
	case "csv", "jsonl":
		return intake.Format(f), nil
	case "":
	default:
		return "", match.Invalid("unknown format", map[string]string{"format": "must be csv or jsonl"})
	}
	mediaType, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	switch mediaType {
	case "text/csv":
		return intake.FormatCSV, nil
	case "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/json":
		return intake.FormatJSONL, nil
	}
	head, _ := body.Peek(512)
	return intake.DetectFormat("", head), nil
}
