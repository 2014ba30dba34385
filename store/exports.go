package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/matchmaker/matchmaker/match"
)

// exports are the host's CSV exports: for each, a query whose column names
// are the file's. They are kept stable: spreadsheets and scripts read them
// by name. Amounts are minor units beside their currency; times are UTC.
var exports = map[string]string{
	"posts": `SELECT id, business, email, website, offer, seek, customers, industry, region,
		(SELECT COALESCE(group_concat(value, '; '), '') FROM json_each(posts.tags)) AS tags, lane, quarter, status,
		COALESCE(external_id, '') AS external_id, created_at, updated_at FROM posts ORDER BY id`,
	"members": `SELECT id, email, created_at AS member_since, time_zone FROM members ORDER BY id`,
	"suggestions": `SELECT s.id, r.quarter, s.post_a, s.post_b, s.score, s.status, s.source, s.note, s.created_at, s.updated_at
		FROM suggestions s JOIN rounds r ON r.id = s.round_id ORDER BY s.id`,
	"introductions": `SELECT id, suggestion_id, post_a, post_b, status, COALESCE(answer_a, '') AS answer_a, COALESCE(answer_b, '') AS answer_b,
		created_at, expires_at, updated_at FROM introductions ORDER BY id`,
	"partnerships": `SELECT id, lane, status, started_on, COALESCE(ended_on, '') AS ended_on, COALESCE(introduction_id, '') AS introduction_id,
		email_a, business_a, email_b, business_b, created_at, updated_at FROM partnerships ORDER BY id`,
	"referrals": `SELECT id, partnership_id, from_side, lead_name, company, status, COALESCE(sale_amount, '') AS sale_amount_minor,
		COALESCE(sale_currency, '') AS sale_currency, COALESCE(decided_at, '') AS decided_at, created_at, updated_at FROM referrals ORDER BY id`,
	"payouts": `SELECT id, partnership_id, payer, amount AS amount_minor, currency, paid_on, reference, recorded_by, created_at FROM payouts ORDER BY id`,
}

// ExportKinds are the exports there are, in the order a page lists them.
var ExportKinds = []string{"posts", "members", "suggestions", "introductions", "partnerships", "referrals", "payouts"}

// EachExportRow calls header with an export's column names, then row with
// each of its rows as text, from one snapshot of the database, a row at a
// time: a million rows are never held at once. An unknown kind is
// ENOTFOUND; an error from row stops it.
func (db *DB) EachExportRow(ctx context.Context, kind string, header func([]string) error, row func([]string) error) error {
	query, ok := exports[kind]
	if !ok {
		return match.Errorf(match.ENOTFOUND, "no export %q; there are %s", kind, strings.Join(ExportKinds, ", "))
	}
	return db.inSnapshot(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		var text []string
		return eachRow(rows, func(cols []string) error {
			text = make([]string, len(cols))
			return header(cols)
		}, func(values []any) error {
			for i, v := range values {
				text[i] = cellText(v)
			}
			return row(text)
		})
	})
}

// eachRow reads rows of any query: head gets the column names, then fn
// each row's values, text as string (the slice is reused: fn copies what
// it keeps). It closes rows.
func eachRow(rows *sql.Rows, head func([]string) error, fn func([]any) error) error {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	if err := head(cols); err != nil {
		return err
	}
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range values {
			if b, ok := v.([]byte); ok {
				values[i] = string(b)
			}
		}
		if err := fn(values); err != nil {
			return err
		}
	}
	return rows.Err()
}

// cellText writes a database value as a CSV cell's text.
func cellText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}
