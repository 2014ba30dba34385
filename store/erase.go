package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/domain"
)

// keptForTheLaw are the tables an erasure does not rewrite: the ledger
// and payouts are bookkeeping records, which the law on accounts requires
// to be kept as written (UK: Companies Act 2006 s. 388 and HMRC, 6 years;
// Germany: HGB § 257 and AO § 147, 10 years), and the plan history is the
// other side's record of what was agreed. Their rows name sides (a, b),
// not addresses; the partnership they belong to loses the address.
var keptForTheLaw = map[string]bool{"ledger_entries": true, "payouts": true, "plan_edits": true}

// ErasedDomain is the domain of the placeholder address an erased member
// leaves in the partnerships and offers that the other side keeps.
const ErasedDomain = "erased.invalid"

// EraseMember erases everything the database holds about an address, in
// one transaction (GDPR Art. 17): its posts (their suggestions,
// introductions, meetings and digests go with them), the member, sessions,
// tokens, links, notice settings, digest records, the email the service
// owes or sent them, and the address wherever else text holds it (drafts,
// pasted threads, other members' emails), replaced by "[erased]".
// Partnerships and offers stay for the other side, the address replaced by
// a placeholder at ErasedDomain; the records keptForTheLaw stay as
// written. Deleted content is overwritten (the write connection's
// secure_delete) and the write-ahead log emptied, so that the address is
// not left in the file's free space either. It returns what it erased.
func (db *DB) EraseMember(ctx context.Context, email string) (domain.Erasure, error) {
	return db.EraseMembers(ctx, []string{email})
}

// EraseMembers erases each address as EraseMember does, all in one
// transaction: the text scrubbed in one pass, the log emptied once (a
// restore erasing again those erased since its backup).
func (db *DB) EraseMembers(ctx context.Context, emails []string) (domain.Erasure, error) {
	var out domain.Erasure
	for i, e := range emails {
		if emails[i] = strings.ToLower(strings.TrimSpace(e)); emails[i] == "" {
			return out, fmt.Errorf("erase: no address")
		}
	}
	if len(emails) == 0 {
		return out, nil
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		for _, email := range emails {
			if err := eraseAddress(ctx, tx, email, &out); err != nil {
				return err
			}
		}
		n, err := scrubText(ctx, tx, emails)
		out.TextsScrubbed = n
		return err
	})
	if err != nil {
		return domain.Erasure{}, err
	}
	out.LogEmptied, err = db.emptyLog(ctx)
	return out, err
}

// eraseAddress deletes and replaces what tx holds under one address.
func eraseAddress(ctx context.Context, tx *sql.Tx, email string, out *domain.Erasure) error {
	placeholder, err := placeholderAddress()
	if err != nil {
		return err
	}
	var ignored int64
	for _, s := range []struct {
		n     *int64
		query string
		args  []any
	}{
		{&out.Posts, "DELETE FROM posts WHERE email = ?", []any{email}},
		{&ignored, "UPDATE digest_recipients SET outbox_id = NULL WHERE outbox_id IN (SELECT id FROM outbox WHERE recipient = ?)", []any{email}},
		{&out.Emails, "DELETE FROM outbox WHERE recipient = ?", []any{email}},
		{&ignored, "DELETE FROM digest_recipients WHERE email = ?", []any{email}},
		{&ignored, "DELETE FROM digest_unsubscribes WHERE email = ?", []any{email}},
		{&ignored, "DELETE FROM email_links WHERE email = ?", []any{email}},
		{&ignored, "DELETE FROM notice_prefs WHERE email = ?", []any{email}},
		{&ignored, "DELETE FROM weekly_notices WHERE email = ?", []any{email}},
		{&ignored, "DELETE FROM idempotency_keys WHERE scope = ?", []any{"member:" + email}},
		{&out.Member, "DELETE FROM members WHERE email = ?", []any{email}}, // sessions and tokens go with it
		{&out.Partnerships, "UPDATE partnerships SET email_a = ? WHERE email_a = ?", []any{placeholder, email}},
		{&out.Partnerships, "UPDATE partnerships SET email_b = ? WHERE email_b = ?", []any{placeholder, email}},
		{&out.Offers, "UPDATE partnership_offers SET email_a = ? WHERE email_a = ?", []any{placeholder, email}},
		{&out.Offers, "UPDATE partnership_offers SET email_b = ? WHERE email_b = ?", []any{placeholder, email}},
	} {
		res, err := tx.ExecContext(ctx, s.query, s.args...)
		if err != nil {
			return fmt.Errorf("erase: %s: %w", strings.Fields(s.query)[2], err)
		}
		k, _ := res.RowsAffected()
		*s.n += k
	}
	return nil
}

// emptyLog empties the write-ahead log, whose older frames hold pages as
// they were before an erasure: copied into the file (zeroed where erased)
// and truncated. A reader holding an older snapshot keeps it from
// emptying; it is tried a few times, then reported (false).
func (db *DB) emptyLog(ctx context.Context) (bool, error) {
	for try := 0; ; try++ {
		var busy, logged, moved int
		if err := db.write.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logged, &moved); err != nil {
			return false, err
		}
		if busy == 0 || try == 4 {
			return busy == 0, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// scrubText replaces the addresses, in any case, by "[erased]" in every
// text column of every table but those keptForTheLaw, and returns how many
// values it changed. It reads the schema, so that a table added later is
// scrubbed too.
func scrubText(ctx context.Context, tx *sql.Tx, emails []string) (int64, error) {
	tables, err := queryAll(ctx, tx, func(r rowScanner) (string, error) {
		var name string
		return name, r.Scan(&name)
	}, `SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE '%WITHOUT ROWID%'`)
	if err != nil {
		return 0, err
	}
	quoted := make([]string, len(emails))
	found := make([]string, len(emails))
	args := make([]any, len(emails))
	for i, e := range emails {
		quoted[i], found[i], args[i] = regexp.QuoteMeta(e), "instr(lower(%[1]q), ?) > 0", e
	}
	pattern := regexp.MustCompile("(?i)" + strings.Join(quoted, "|"))
	where := strings.Join(found, " OR ")
	var changed int64
	for _, table := range tables {
		if keptForTheLaw[table] {
			continue
		}
		columns, err := queryAll(ctx, tx, func(r rowScanner) (string, error) {
			var name, kind string
			err := r.Scan(&name, &kind)
			if !strings.Contains(strings.ToUpper(kind), "TEXT") {
				name = ""
			}
			return name, err
		}, `SELECT name, type FROM pragma_table_info(?)`, table)
		if err != nil {
			return 0, err
		}
		for _, col := range columns {
			if col == "" {
				continue
			}
			q := fmt.Sprintf(`SELECT rowid, %[1]q FROM %[2]q WHERE `+where, col, table)
			type hit struct {
				rowid int64
				text  string
			}
			hits, err := queryAll(ctx, tx, func(r rowScanner) (hit, error) {
				var h hit
				return h, r.Scan(&h.rowid, &h.text)
			}, q, args...)
			if err != nil {
				return 0, err
			}
			for _, h := range hits {
				if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %q SET %q = ? WHERE rowid = ?`, table, col),
					pattern.ReplaceAllLiteralString(h.text, "[erased]"), h.rowid); err != nil {
					return 0, fmt.Errorf("erase: scrub %s.%s: %w", table, col, err)
				}
				changed++
			}
		}
	}
	return changed, nil
}

// placeholderAddress is a new address at ErasedDomain: unique, so that
// the partnerships' rules (two different sides, one open partnership a
// pair) still hold.
func placeholderAddress() (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "former-member-" + hex.EncodeToString(b) + "@" + ErasedDomain, nil
}

// Addresses returns every member address the database holds, once each.
func (db *DB) Addresses(ctx context.Context) ([]string, error) {
	return queryAll(ctx, db.read, func(r rowScanner) (string, error) {
		var a string
		return a, r.Scan(&a)
	}, `SELECT email FROM posts UNION SELECT email FROM members UNION SELECT email_a FROM partnerships UNION SELECT email_b FROM partnerships
		UNION SELECT email_a FROM partnership_offers UNION SELECT email_b FROM partnership_offers UNION SELECT recipient FROM outbox
		UNION SELECT email FROM email_links UNION SELECT email FROM digest_recipients UNION SELECT email FROM notice_prefs
		UNION SELECT email FROM weekly_notices UNION SELECT email FROM digest_unsubscribes`)
}
