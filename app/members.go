package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/auth"
	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// How long links and sessions last.
const (
	confirmLinkTTL = 72 * time.Hour
	signInLinkTTL  = 15 * time.Minute
	sessionTTL     = 30 * 24 * time.Hour
)

// Token prefixes make a leaked secret recognisable.
const (
	prefixLink    = "mml_"
	prefixSession = "mms_"
	prefixAPI     = "mmp_"
)

// SubmitPost stores a post sent by someone who is not signed in. It stays
// pending until its owner clicks the confirmation link mailed to its address.
func (a *App) SubmitPost(ctx context.Context, in match.PostInput) (match.Post, error) {
	in.Normalize()
	if in.Status != "" {
		return match.Post{}, match.Invalid("some fields are not valid", map[string]string{"status": "is set by the service for submitted posts"})
	}
	if err := match.Validate(&in); err != nil {
		return match.Post{}, err
	}
	p := in.Post(a.Store.Now())
	p.Status = match.StatusPending
	p, err := a.Store.CreatePost(ctx, p)
	if err != nil {
		return match.Post{}, err
	}
	a.syncDerived(ctx)
	// The link and the email that carries it are stored together.
	token := auth.NewToken(prefixLink)
	owing, err := a.owe(ctx, "confirm_post", p.Email, "Confirm your Matchmaker post", map[string]string{
		"Business": p.Business, "Link": a.link("/confirm", token), "Valid": "3 days",
	})
	if err != nil {
		return match.Post{}, err
	}
	if err := a.Store.CreateEmailLink(owing, auth.Hash(token), domain.EmailLink{Purpose: domain.LinkConfirmPost, Email: p.Email, PostID: p.ID},
		a.Store.Now().Add(confirmLinkTTL)); err != nil {
		return match.Post{}, err
	}
	a.kickMail()
	return p, nil
}

// ConfirmPost makes a pending post active by the token of its confirmation
// link. It returns ENOTFOUND for an unknown, used or expired link.
func (a *App) ConfirmPost(ctx context.Context, token string) (match.Post, error) {
	p, err := a.Store.ConfirmPost(ctx, auth.Hash(token))
	if err != nil {
		return match.Post{}, err
	}
	a.syncDerived(ctx)
	return p, nil
}

// RequestSignIn emails a sign-in link to an address that has posts here. It
// behaves the same whether or not the address is known, and mails in the
// background, so that neither its answer nor its timing tells who posted.
func (a *App) RequestSignIn(ctx context.Context, address string) error {
	parsed, err := mail.ParseAddress(strings.TrimSpace(address))
	if err != nil || parsed.Name != "" || len(parsed.Address) > 254 {
		return match.Invalid("some fields are not valid", map[string]string{"email": "must be a valid email address"})
	}
	email := strings.ToLower(parsed.Address)
	a.background(func(ctx context.Context) {
		if err := a.sendSignInLink(ctx, email); err != nil {
			a.Log.Error("send sign-in link", "err", err)
		}
	})
	return nil
}

func (a *App) sendSignInLink(ctx context.Context, address string) error {
	known, err := a.Store.HasPostsFor(ctx, address)
	if err != nil || !known {
		return err
	}
	token := auth.NewToken(prefixLink)
	owing, err := a.owe(ctx, "sign_in", address, "Your Matchmaker sign-in link", map[string]string{
		"Link": a.link("/signin", token), "Valid": "15 minutes",
	})
	if err != nil {
		return err
	}
	if err := a.Store.CreateEmailLink(owing, auth.Hash(token), domain.EmailLink{Purpose: domain.LinkSignIn, Email: address},
		a.Store.Now().Add(signInLinkTTL)); err != nil {
		return err
	}
	a.kickMail()
	return nil
}

// SignIn spends a sign-in link and opens a session. It returns the
// session's token, for a cookie, or ENOTFOUND for a bad link.
func (a *App) SignIn(ctx context.Context, linkToken string) (string, domain.Member, error) {
	session := auth.NewToken(prefixSession)
	m, err := a.Store.SignIn(ctx, auth.Hash(linkToken), auth.Hash(session), a.Store.Now().Add(sessionTTL))
	if err != nil {
		return "", domain.Member{}, err
	}
	return session, m, nil
}

// SessionTTL is how long a session lasts, for the cookie's Max-Age.
func (a *App) SessionTTL() time.Duration { return sessionTTL }

// MemberBySession returns the member of a session token, or EUNAUTHORIZED.
func (a *App) MemberBySession(ctx context.Context, session string) (domain.Member, error) {
	m, err := a.Store.MemberBySession(ctx, auth.Hash(session))
	if errors.Is(err, match.ErrNotFound) {
		return domain.Member{}, match.Errorf(match.EUNAUTHORIZED, "the session has expired: sign in again")
	}
	return m, err
}

// SignOut ends a session.
func (a *App) SignOut(ctx context.Context, session string) error {
	return a.Store.DeleteSession(ctx, auth.Hash(session))
}

// MemberByAPIToken returns the member of a personal API token, or
// EUNAUTHORIZED.
func (a *App) MemberByAPIToken(ctx context.Context, token string) (domain.Member, error) {
	m, err := a.Store.MemberByAPIToken(ctx, auth.Hash(token))
	if errors.Is(err, match.ErrNotFound) {
		return domain.Member{}, match.Errorf(match.EUNAUTHORIZED, "the bearer token is not valid")
	}
	return m, err
}

// IsAPIToken reports whether a bearer token has the shape of a personal API
// token (not whether it is valid).
func IsAPIToken(token string) bool { return strings.HasPrefix(token, prefixAPI) }

// CreateAPIToken makes a personal API token for a member; the token is
// returned this once and only its hash is kept.
func (a *App) CreateAPIToken(ctx context.Context, m domain.Member, name string) (string, domain.APIToken, error) {
	name = match.OneLine(name)
	if name == "" || len([]rune(name)) > 80 {
		return "", domain.APIToken{}, match.Invalid("some fields are not valid", map[string]string{"name": "must be 1 to 80 characters"})
	}
	if !match.IsCleanName(name) {
		return "", domain.APIToken{}, match.Invalid("some fields are not valid", map[string]string{"name": match.NameRule})
	}
	token := auth.NewToken(prefixAPI)
	t, err := a.Store.CreateAPIToken(ctx, m.ID, name, auth.Hash(token))
	return token, t, err
}

// CSRFToken returns the token a session's state-changing requests must
// carry: an HMAC of the session token, so nothing more is stored and it
// cannot be forged without the session.
func (a *App) CSRFToken(session string) string {
	mac := hmac.New(sha256.New, a.signingKey)
	mac.Write([]byte("csrf\x00" + session))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// CheckCSRF reports, in constant time, whether token is the session's.
func (a *App) CheckCSRF(session, token string) bool {
	return hmac.Equal([]byte(a.CSRFToken(session)), []byte(token))
}

// link returns an absolute link into the web UI carrying a token.
func (a *App) link(path, token string) string {
	return fmt.Sprintf("%s%s?token=%s", a.baseURL, path, url.QueryEscape(token))
}
