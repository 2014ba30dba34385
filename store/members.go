package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// CreateEmailLink stores a link by its token's hash, valid until expires.
func (db *DB) CreateEmailLink(ctx context.Context, tokenHash string, l domain.EmailLink, expires time.Time) error {
	var postID any
	if l.PostID != 0 {
		postID = l.PostID
	}
	_, err := db.exec(ctx, `INSERT INTO email_links (token_hash, purpose, email, post_id, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, tokenHash, string(l.Purpose), l.Email, postID, formatTime(db.Now()), formatTime(expires))
	return err
}

// UseEmailLink marks the link with this token hash and purpose used, and
// returns it. It returns ENOTFOUND for an unknown, used or expired link (the
// three are not told apart, so a link reveals nothing once spent).
func (db *DB) UseEmailLink(ctx context.Context, tokenHash string, purpose domain.LinkPurpose) (domain.EmailLink, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.EmailLink, error) {
		l, err := useEmailLink(ctx, tx, tokenHash, purpose, db.Now())
		if err != nil {
			return domain.EmailLink{}, err
		}
		return l, nil
	})
}

func useEmailLink(ctx context.Context, tx *sql.Tx, tokenHash string, purpose domain.LinkPurpose, now time.Time) (domain.EmailLink, error) {
	var (
		l      domain.EmailLink
		postID sql.NullInt64
	)
	err := tx.QueryRowContext(ctx, `UPDATE email_links SET used_at = ?
		WHERE token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
		RETURNING purpose, email, post_id`, formatTime(now), tokenHash, string(purpose), formatTime(now)).
		Scan(&l.Purpose, &l.Email, &postID)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.EmailLink{}, match.Errorf(match.ENOTFOUND, "this link is not valid: it may have expired or been used already")
	}
	l.PostID = postID.Int64
	return l, err
}

// ConfirmPost uses a confirmation link and makes its post active, in one
// transaction; it returns the post. It returns ENOTFOUND for a bad link.
func (db *DB) ConfirmPost(ctx context.Context, tokenHash string) (match.Post, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) (match.Post, error) {
		now := db.Now()
		l, err := useEmailLink(ctx, tx, tokenHash, domain.LinkConfirmPost, now)
		if err != nil {
			return match.Post{}, err
		}
		p, err := postByID(ctx, tx, l.PostID)
		if err != nil {
			return match.Post{}, err
		}
		// The link proves the address it was sent to; if the post's address
		// changed since, it proves nothing about this post.
		if p.Email != l.Email {
			return match.Post{}, match.Errorf(match.ENOTFOUND, "this link is not valid: it may have expired or been used already")
		}
		if p.Status == match.StatusPending {
			p.Status, p.UpdatedAt = match.StatusActive, now
			if err := updatePost(ctx, tx, p); err != nil {
				return match.Post{}, err
			}
		}
		if _, err := ensureMember(ctx, tx, p.Email, now); err != nil {
			return match.Post{}, err
		}
		return p, nil
	})
}

func ensureMember(ctx context.Context, tx *sql.Tx, email string, now time.Time) (domain.Member, error) {
	if _, err := tx.ExecContext(ctx, "INSERT OR IGNORE INTO members (email, created_at) VALUES (?, ?)", email, formatTime(now)); err != nil {
		return domain.Member{}, err
	}
	return scanMember(tx.QueryRowContext(ctx, "SELECT id, email, created_at, time_zone FROM members WHERE email = ?", email))
}

func scanMember(row rowScanner) (domain.Member, error) {
	var (
		m       domain.Member
		created string
	)
	if err := row.Scan(&m.ID, &m.Email, &created, &m.TimeZone); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return domain.Member{}, match.Errorf(match.ENOTFOUND, "member not found")
		}
		return domain.Member{}, err
	}
	var err error
	m.CreatedAt, err = parseTime(created)
	return m, err
}

// SignIn uses a sign-in link, makes its address a member if it is not one
// yet, and opens a session stored by sessionHash until expires. It returns
// ENOTFOUND for a bad link.
func (db *DB) SignIn(ctx context.Context, linkHash, sessionHash string, expires time.Time) (domain.Member, error) {
	return inWrite(ctx, db, func(tx *sql.Tx) (domain.Member, error) {
		now := db.Now()
		l, err := useEmailLink(ctx, tx, linkHash, domain.LinkSignIn, now)
		if err != nil {
			return domain.Member{}, err
		}
		m, err := ensureMember(ctx, tx, l.Email, now)
		if err != nil {
			return domain.Member{}, err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO sessions (token_hash, member_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
			sessionHash, m.ID, formatTime(now), formatTime(expires)); err != nil {
			return domain.Member{}, err
		}
		return m, nil
	})
}

// MemberBySession returns the member of a live session, or ENOTFOUND.
func (db *DB) MemberBySession(ctx context.Context, sessionHash string) (domain.Member, error) {
	return scanMember(db.read.QueryRowContext(ctx, `SELECT m.id, m.email, m.created_at, m.time_zone
		FROM sessions s JOIN members m ON m.id = s.member_id
		WHERE s.token_hash = ? AND s.expires_at > ?`, sessionHash, formatTime(db.Now())))
}

// DeleteSession ends a session (signing out); ending an unknown one is no error.
func (db *DB) DeleteSession(ctx context.Context, sessionHash string) error {
	_, err := db.exec(ctx, "DELETE FROM sessions WHERE token_hash = ?", sessionHash)
	return err
}

// HasPostsFor reports whether any post carries the address.
func (db *DB) HasPostsFor(ctx context.Context, email string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM posts WHERE email = ? LIMIT 1", email).Scan(&n)
	return n > 0, err
}

// PostsOf returns the posts carrying the address, newest first.
func (db *DB) PostsOf(ctx context.Context, email string) ([]match.Post, error) {
	posts, err := queryPosts(ctx, db.read, "SELECT "+postColumns+" FROM posts WHERE email = ? ORDER BY id DESC", email)
	if posts == nil {
		posts = []match.Post{}
	}
	return posts, err
}

// CreateAPIToken stores a new token for a member by its hash.
func (db *DB) CreateAPIToken(ctx context.Context, memberID int64, name, tokenHash string) (domain.APIToken, error) {
	now := db.Now()
	res, err := db.exec(ctx, "INSERT INTO api_tokens (member_id, name, token_hash, created_at) VALUES (?, ?, ?, ?)",
		memberID, name, tokenHash, formatTime(now))
	if err != nil {
		return domain.APIToken{}, err
	}
	id, err := res.LastInsertId()
	return domain.APIToken{ID: id, Name: name, CreatedAt: now}, err
}

// APITokens lists a member's tokens, newest first.
func (db *DB) APITokens(ctx context.Context, memberID int64) ([]domain.APIToken, error) {
	return queryAll(ctx, db.read, scanAPIToken,
		"SELECT id, name, created_at, last_used_at FROM api_tokens WHERE member_id = ? ORDER BY id DESC", memberID)
}

func scanAPIToken(row rowScanner) (domain.APIToken, error) {
	var (
		t        domain.APIToken
		created  string
		lastUsed sql.NullString
	)
	err := row.Scan(&t.ID, &t.Name, &created, &lastUsed)
	if err != nil {
		return domain.APIToken{}, err
	}
	if t.CreatedAt, err = parseTime(created); err != nil {
		return domain.APIToken{}, err
	}
	if lastUsed.Valid {
		u, err := parseTime(lastUsed.String)
		if err != nil {
			return domain.APIToken{}, err
		}
		t.LastUsedAt = &u
	}
	return t, nil
}

// DeleteAPIToken revokes one of a member's tokens; ENOTFOUND if the member
// has no such token.
func (db *DB) DeleteAPIToken(ctx context.Context, memberID, tokenID int64) error {
	res, err := db.exec(ctx, "DELETE FROM api_tokens WHERE id = ? AND member_id = ?", tokenID, memberID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return match.Errorf(match.ENOTFOUND, "token %d not found", tokenID)
	}
	return nil
}

// MemberByAPIToken returns the member owning a token and records its use,
// or ENOTFOUND.
func (db *DB) MemberByAPIToken(ctx context.Context, tokenHash string) (domain.Member, error) {
	m, err := scanMember(db.read.QueryRowContext(ctx, `SELECT m.id, m.email, m.created_at, m.time_zone
		FROM api_tokens t JOIN members m ON m.id = t.member_id WHERE t.token_hash = ?`, tokenHash))
	if err != nil {
		return domain.Member{}, err
	}
	// Recording the last use is bookkeeping: at most once a minute, so that
	// busy scripts do not queue writes, and a failure does not refuse the call.
	now := db.Now()
	db.exec(ctx, "UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ? AND (last_used_at IS NULL OR last_used_at < ?)",
		formatTime(now), tokenHash, formatTime(now.Add(-time.Minute)))
	return m, nil
}
