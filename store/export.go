package store

import (
	"context"
	"database/sql"
	"strings"
)

// memberRows are the queries that find, table by table, the rows that
// concern a member, by address (?1). With notAboutMembers they name every
// table; TestMemberDataNamesEveryTable keeps them whole as tables are
// added.
var memberRows = []struct{ table, where string }{
	{"members", "email = ?1"},
	{"email_links", "email = ?1"},
	{"sessions", "member_id IN (SELECT id FROM members WHERE email = ?1)"},
	{"api_tokens", "member_id IN (SELECT id FROM members WHERE email = ?1)"},
	{"posts", "email = ?1"},
	{"suggestions", "post_a IN (SELECT id FROM posts WHERE email = ?1) OR post_b IN (SELECT id FROM posts WHERE email = ?1)"},
	{"introductions", "post_a IN (SELECT id FROM posts WHERE email = ?1) OR post_b IN (SELECT id FROM posts WHERE email = ?1)"},
	{"introduction_feedback", "introduction_id IN (SELECT id FROM introductions WHERE post_a IN (SELECT id FROM posts WHERE email = ?1) OR post_b IN (SELECT id FROM posts WHERE email = ?1))"},
	{"meetings", "introduction_id IN (SELECT id FROM introductions WHERE post_a IN (SELECT id FROM posts WHERE email = ?1) OR post_b IN (SELECT id FROM posts WHERE email = ?1))"},
	{"meeting_slots", "introduction_id IN (SELECT id FROM introductions WHERE post_a IN (SELECT id FROM posts WHERE email = ?1) OR post_b IN (SELECT id FROM posts WHERE email = ?1))"},
	{"post_interests", "post_id IN (SELECT id FROM posts WHERE email = ?1)"},
	{"match_feedback", "post_id IN (SELECT id FROM posts WHERE email = ?1)"},
	{"partnerships", "email_a = ?1 OR email_b = ?1"},
	{"partnership_offers", "email_a = ?1 OR email_b = ?1"},
	{"partnership_events", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"proposals", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"goals", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"deliverables", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"expectations", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"reviews", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"plan_edits", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"referral_terms", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"referrals", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"ledger_entries", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"payouts", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"tracking_links", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"conversions", "partnership_id IN (SELECT id FROM partnerships WHERE email_a = ?1 OR email_b = ?1)"},
	{"notice_prefs", "email = ?1"},
	{"weekly_notices", "email = ?1"},
	{"digest_recipients", "email = ?1"},
	{"digest_unsubscribes", "email = ?1"},
	{"drafts", "lower(email) = ?1"},
	{"outbox", "recipient = ?1"},
}

// notAboutMembers are the tables no row of which is a member's, with why.
var notAboutMembers = map[string]string{
	"areas":              "the host's named places",
	"digests":            "a quarter's digest run",
	"digest_spent_links": "hashes of used one-click links",
	"idempotency_keys":   "answers kept a day to refuse a repeated write",
	"intakes":            "the host's pasted threads (an erasure scrubs the address from them)",
	"skipped":            "replies of a pasted thread the host skipped (scrubbed likewise)",
	"introduction_links": "hashes of answer links",
	"learned_forgotten":  "relations between words the host told the matcher to forget",
	"post_changes":       "the change log's post IDs",
	"round_jobs":         "a round's computation",
	"rounds":             "a quarter's round",
	"settings":           "the service's settings",
	"link_clicks":        "clicks on tracking links: a link, a day and a visitor's salted hash, nobody's",
	"schema_migrations":  "the database's version",
}

// secretColumn reports whether a column holds what an export leaves out:
// the hashes of tokens and links, the emails' messages (their links carry
// live tokens) and the host's own import keys.
func secretColumn(name string) bool {
	return strings.Contains(name, "hash") || name == "message" || name == "external_id"
}

// otherMember stands in an export for another member's address (the other
// side of a partnership or an offer): theirs to give, not this member's.
const otherMember = "(the other member)"

// MemberData returns, table by table, every row that concerns an address
// (GDPR Art. 15 and 20), from one snapshot, each row a column → value map;
// secrets are left out (secretColumn), and other members' addresses too.
func (db *DB) MemberData(ctx context.Context, email string) (map[string][]map[string]any, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	return inSnapshot(ctx, db, func(tx *sql.Tx) (map[string][]map[string]any, error) {
		out := make(map[string][]map[string]any, len(memberRows))
		for _, t := range memberRows {
			rows, err := tx.QueryContext(ctx, `SELECT * FROM "`+t.table+`" WHERE `+t.where, email)
			if err != nil {
				return nil, err
			}
			list, err := rowMaps(rows, email)
			if err != nil {
				return nil, err
			}
			out[t.table] = list
		}
		return out, nil
	})
}

// rowMaps reads rows as column → value maps, text as text, for the
// member at email: secret columns left out, other members' addresses
// replaced by otherMember.
func rowMaps(rows *sql.Rows, email string) ([]map[string]any, error) {
	var cols []string
	list := []map[string]any{}
	err := eachRow(rows, func(c []string) error { cols = c; return nil }, func(values []any) error {
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			if secretColumn(c) {
				continue
			}
			if v, ok := values[i].(string); ok && strings.HasPrefix(c, "email") && v != email && v != "" {
				values[i] = otherMember
			}
			row[c] = values[i]
		}
		list = append(list, row)
		return nil
	})
	return list, err
}
