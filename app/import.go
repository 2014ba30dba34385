package app

import (
	"context"
	"io"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/match"
)

// maxReportedErrors bounds the line errors an import report lists; the
// count of rejected lines is always exact.
const maxReportedErrors = 1000

// ImportReport says what an import did, line by line for the rejected ones.
type ImportReport struct {
	domain.ImportCounts
	Lines         int         `json:"lines"`
	Rejected      int         `json:"rejected"`
	Errors        []LineError `json:"errors"`
	ErrorsOmitted int         `json:"errors_omitted,omitempty"`
}

// LineError is why one line of an import file was not stored.
type LineError struct {
	Line    int               `json:"line"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

func (r *ImportReport) reject(line int, err error) {
	r.Rejected++
	if len(r.Errors) >= maxReportedErrors {
		r.ErrorsOmitted++
		return
	}
	le := LineError{Line: line, Message: match.ErrorMessage(err)}
	if e, ok := err.(*match.Error); ok {
		le.Fields = e.Fields
	}
	r.Errors = append(r.Errors, le)
}

// Import stores the valid posts of an import file and reports the rest by
// line. The valid posts are written in one transaction: if the file cannot
// be read to the end, or the context is cancelled, nothing is stored.
// progress, if not nil, is called with the number of lines read so far
// every 1,000 lines.
func (a *App) Import(ctx context.Context, r io.Reader, format intake.Format, progress func(lines int)) (ImportReport, error) {
	report := ImportReport{Errors: []LineError{}}
	inputs := func(yield func(match.PostInput, error) bool) {
		for rec, err := range intake.Read(r, format) {
			if err != nil {
				yield(match.PostInput{}, err)
				return
			}
			report.Lines++
			a.Metrics.ImportLines.WithLabelValues("read").Inc()
			if progress != nil && report.Lines%1000 == 0 {
				progress(report.Lines)
			}
			if rec.Err != nil {
				report.reject(rec.Line, rec.Err)
				continue
			}
			if !yield(rec.Input, nil) {
				return
			}
		}
	}
	counts, err := a.Store.ImportPosts(ctx, inputs)
	if err != nil {
		return ImportReport{}, err
	}
	report.ImportCounts = counts
	a.Metrics.ImportLines.WithLabelValues("stored").Add(float64(counts.Created + counts.Updated + counts.Unchanged))
	a.Metrics.ImportLines.WithLabelValues("rejected").Add(float64(report.Rejected))
	if progress != nil {
		progress(report.Lines)
	}
	if counts.Created+counts.Updated > 0 {
		a.syncDerived(ctx)
	}
	return report, nil
}
