package api

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/matchmaker/matchmaker/match"
)

// queryParams reads query parameters and collects what is wrong with them,
// by parameter name, so that one response reports every problem.
type queryParams struct {
	values url.Values
	bad    map[string]string
}

// newQueryParams refuses parameters not in known, so that a typo does not
// silently widen a query.
func newQueryParams(values url.Values, known ...string) *queryParams {
	q := &queryParams{values: values, bad: map[string]string{}}
	for name := range values {
		if !slices.Contains(known, name) {
			q.bad[name] = "is not a known parameter"
		}
	}
	return q
}

// limit returns the limit parameter, def when absent.
func (q *queryParams) limit(def, most int) int {
	l := q.values.Get("limit")
	if l == "" {
		return def
	}
	n, err := strconv.Atoi(l)
	if err != nil || n < 1 || n > most {
		q.bad["limit"] = fmt.Sprintf("must be a whole number from 1 to %d", most)
	}
	return n
}

// offset returns the offset parameter, 0 when absent.
func (q *queryParams) offset() int {
	o := q.values.Get("offset")
	if o == "" {
		return 0
	}
	n, err := strconv.Atoi(o)
	if err != nil || n < 0 || n > 1_000_000 {
		q.bad["offset"] = "must be a whole number from 0 to 1000000"
	}
	return n
}

func (q *queryParams) lane() match.Lane {
	l := match.Lane(q.values.Get("lane"))
	if l != "" && !l.Valid() {
		q.bad["lane"] = "must be one of: strategic, referral, either"
	}
	return l
}

func (q *queryParams) quarter() match.Quarter {
	v := match.Quarter(q.values.Get("quarter"))
	if v != "" && !v.Valid() {
		q.bad["quarter"] = "must be a quarter like 2026-Q3"
	}
	return v
}

// format returns the format parameter of an answer that may come as CSV:
// "json" (the default) or "csv".
func (q *queryParams) format() string {
	switch f := q.values.Get("format"); f {
	case "", "json":
		return "json"
	case "csv":
		return f
	}
	q.bad["format"] = "must be json or csv"
	return ""
}

// err returns the EINVALID error naming every bad parameter, or nil.
func (q *queryParams) err() error {
	if len(q.bad) == 0 {
		return nil
	}
	return match.Invalid("some query parameters are not valid", q.bad)
}
