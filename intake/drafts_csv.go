package intake

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/matchmaker/matchmaker/match"
)

// draftColumns are the columns a drafts spreadsheet may have.
var draftColumns = []string{"name", "business", "email", "website", "offer", "seek", "customers", "comment"}

// ReadDraftsCSV reads a spreadsheet of replies into drafts: a header row
// naming some of name, business, email, website, offer, seek, customers and
// comment; a row with a comment but no offer or seek is read like a thread
// comment. A header naming other columns is an EINVALID error.
func ReadDraftsCSV(r io.Reader) ([]Draft, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, match.Invalid("the CSV file is empty: it needs a header row", nil)
	}
	if err != nil {
		return nil, match.Invalid("cannot read the CSV header: "+err.Error(), nil)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		known := false
		for _, c := range draftColumns {
			known = known || c == h
		}
		if !known {
			return nil, match.Invalid(fmt.Sprintf("column %q is not one of %s", h, strings.Join(draftColumns, ", ")), nil)
		}
		col[h] = i
	}
	var drafts []Draft
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return drafts, nil
		}
		if err != nil {
			return nil, match.Invalid("malformed CSV: "+err.Error(), nil)
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		d := Draft{Name: get("name"), Business: get("business"), Email: strings.ToLower(get("email")), Website: get("website"),
			Offer: get("offer"), Seek: get("seek"), Source: get("comment")}
		if d.Offer == "" && d.Seek == "" && d.Source != "" {
			c := DraftFromComment(d.Name, d.Business, d.Source)
			c.Email, c.Website = first(d.Email, c.Email), first(d.Website, c.Website)
			d = Review(c)
		} else {
			if d.Source == "" {
				d.Source = strings.Join(row, " | ")
			}
			if d.Business == "" {
				d.Business = d.Name
			}
			d = Review(d)
		}
		if d.Name == "" && d.Business == "" && d.Offer == "" && d.Seek == "" {
			continue // a blank row
		}
		drafts = append(drafts, d)
	}
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
