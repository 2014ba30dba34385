package app

import (
	"context"
	"strings"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/mail"
	"github.com/matchmaker/matchmaker/match"
)

// MemberExport is everything the service holds about an address, as one
// file a member can keep or take elsewhere (GDPR Art. 15 and 20): every
// row of every table that concerns them, by table, secrets left out.
type MemberExport struct {
	Email      string                      `json:"email"`
	ExportedAt time.Time                   `json:"exported_at"`
	About      string                      `json:"about"`
	Tables     map[string][]map[string]any `json:"tables"`
}

const exportAbout = "Everything Matchmaker holds about this address, table by table, as stored. " +
	"Left out: hashes of tokens and links, and the text of emails (their links carry live tokens). " +
	"A partnership's ledger is also in its statement, as CSV: GET /api/v1/partnerships/{id}/statement?format=csv."

// memberSignIns are the tables of how a member signs in, left out of the
// host's copy of their export.
var memberSignIns = []string{"sessions", "api_tokens", "email_links"}

// mayActFor reports whether who may export or erase the address's data:
// the member themselves, or the host on their request.
func mayActFor(who Who, email string) error {
	if who.Host || (who.Email != "" && who.Email == email) {
		return nil
	}
	return match.Errorf(match.EFORBIDDEN, "only the member or the host may do this")
}

func cleanAddress(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if !match.ValidEmail(email) {
		return "", match.Invalid("some fields are not valid", map[string]string{"email": "must be an email address"})
	}
	return email, nil
}

// ExportMember returns everything the service holds about email.
func (a *App) ExportMember(ctx context.Context, who Who, email string) (MemberExport, error) {
	email, err := cleanAddress(email)
	if err != nil {
		return MemberExport{}, err
	}
	if err := mayActFor(who, email); err != nil {
		return MemberExport{}, err
	}
	tables, err := a.Store.MemberData(ctx, email)
	if err != nil {
		return MemberExport{}, err
	}
	about := exportAbout
	if who.Host {
		// How a member signs in is theirs alone, even on their request.
		for _, t := range memberSignIns {
			delete(tables, t)
		}
		about += " Made by the host: the member's sessions, personal tokens and sign-in links are theirs to download."
	}
	return MemberExport{Email: email, ExportedAt: a.db.Now(), About: about, Tables: tables}, nil
}

// EraseMember erases email's data (GDPR Art. 17; see store.EraseMember for
// what goes and what the law keeps), once confirm repeats the address: it
// cannot be undone. The search index and the matching engine drop the
// posts at once. Nothing held about the address is ENOTFOUND.
func (a *App) EraseMember(ctx context.Context, who Who, email, confirm string) (domain.Erasure, error) {
	email, err := cleanAddress(email)
	if err != nil {
		return domain.Erasure{}, err
	}
	if err := mayActFor(who, email); err != nil {
		return domain.Erasure{}, err
	}
	if strings.ToLower(strings.TrimSpace(confirm)) != email {
		return domain.Erasure{}, match.Invalid("erasing cannot be undone: confirm it by giving the address again",
			map[string]string{"confirm_email": "must be the address to erase"})
	}
	e, err := a.Store.EraseMember(ctx, email)
	if err != nil {
		return e, err
	}
	// Without a mail server, the emails are files in the data folder.
	if files, ok := a.Mailer().(*mail.Outbox); ok {
		n, err := files.Forget(email)
		e.Emails += int64(n)
		if err != nil {
			return e, err
		}
	}
	if e == (domain.Erasure{LogEmptied: e.LogEmptied}) {
		return e, match.Errorf(match.ENOTFOUND, "nothing is held about this address")
	}
	a.syncDerived(ctx)
	// Restoring a backup from before this must not bring them back.
	if err := recordErasure(a.dataDir, email); err != nil {
		return e, err
	}
	// The address is not logged: it is what was erased.
	a.Log.Info("member erased", "by_host", who.Host, "posts", e.Posts, "partnerships_kept", e.Partnerships, "texts_scrubbed", e.TextsScrubbed)
	return e, nil
}
