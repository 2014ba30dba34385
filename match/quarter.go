package match

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Quarter names a calendar quarter as "YYYY-Qn", e.g. "2026-Q3".
// Matchmaking rounds, posts and digests are organised by quarter.
type Quarter string

var quarterPattern = regexp.MustCompile(`^(\d{4})-Q([1-4])$`)

// ParseQuarter returns the quarter named by s, or an EINVALID error.
func ParseQuarter(s string) (Quarter, error) {
	if !quarterPattern.MatchString(s) {
		return "", Errorf(EINVALID, "quarter %q must look like 2026-Q3", s)
	}
	return Quarter(s), nil
}

// QuarterOf returns the quarter that contains t (in UTC).
func QuarterOf(t time.Time) Quarter {
	t = t.UTC()
	return Quarter(fmt.Sprintf("%04d-Q%d", t.Year(), (int(t.Month())-1)/3+1))
}

// Valid reports whether q is well formed.
func (q Quarter) Valid() bool { return quarterPattern.MatchString(string(q)) }

// Year and Number return the parts of a valid quarter (zero if invalid).
func (q Quarter) Year() int {
	m := quarterPattern.FindStringSubmatch(string(q))
	if m == nil {
		return 0
	}
	y, _ := strconv.Atoi(m[1])
	return y
}

func (q Quarter) Number() int {
	m := quarterPattern.FindStringSubmatch(string(q))
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[2])
	return n
}

// Start returns the first instant of the quarter in UTC.
func (q Quarter) Start() time.Time {
	return time.Date(q.Year(), time.Month((q.Number()-1)*3+1), 1, 0, 0, 0, 0, time.UTC)
}

// Next returns the quarter after q.
func (q Quarter) Next() Quarter { return QuarterOf(q.Start().AddDate(0, 3, 0)) }
