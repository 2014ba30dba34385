package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/matchmaker/matchmaker/intake"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

// IntakeThread splits a pasted comment thread into drafts for the host.
func (a *App) IntakeThread(ctx context.Context, text string) ([]store.Draft, error) {
	if strings.TrimSpace(text) == "" {
		return nil, match.Invalid("paste the text of a comment thread", nil)
	}
	if !match.IsCleanText(text) {
		return nil, match.Invalid("the text must be plain UTF-8 without control characters", nil)
	}
	return a.saveDrafts(ctx, intake.ParseThread(text))
}

// IntakeCSV reads a spreadsheet of replies into drafts for the host.
func (a *App) IntakeCSV(ctx context.Context, r io.Reader) ([]store.Draft, error) {
	drafts, err := intake.ReadDraftsCSV(r)
	if err != nil {
		return nil, err
	}
	return a.saveDrafts(ctx, drafts)
}

func (a *App) saveDrafts(ctx context.Context, drafts []intake.Draft) ([]store.Draft, error) {
	if len(drafts) == 0 {
		return nil, match.Invalid("no replies found: each starts with the commenter's name on a line of its own", nil)
	}
	out := make([]store.Draft, len(drafts))
	for i, d := range drafts {
		out[i] = store.Draft{Name: d.Name, Business: d.Business, Email: d.Email, Website: d.Website, Offer: d.Offer,
			Seek: d.Seek, Source: d.Source, Problems: d.Problems}
	}
	return a.Store.CreateDrafts(ctx, out)
}

// DraftPatch corrects a draft's fields; nil leaves one as it is.
type DraftPatch struct {
	Name      *string `json:"name"`
	Business  *string `json:"business"`
	Email     *string `json:"email"`
	Website   *string `json:"website"`
	Offer     *string `json:"offer"`
	Seek      *string `json:"seek"`
	Customers *string `json:"customers"`
}

// UpdateDraft corrects a draft and lists again what it still needs.
func (a *App) UpdateDraft(ctx context.Context, id int64, p DraftPatch) (store.Draft, error) {
	d, err := a.Store.Draft(ctx, id)
	if err != nil {
		return store.Draft{}, err
	}
	for _, f := range []struct {
		dst *string
		src *string
	}{{&d.Name, p.Name}, {&d.Business, p.Business}, {&d.Email, p.Email}, {&d.Website, p.Website},
		{&d.Offer, p.Offer}, {&d.Seek, p.Seek}, {&d.Customers, p.Customers}} {
		if f.src != nil {
			if len([]rune(*f.src)) > 2000 || !match.IsCleanText(*f.src) {
				return store.Draft{}, match.Invalid("some fields are not valid", nil)
			}
			*f.dst = strings.TrimSpace(*f.src)
		}
	}
	r := intake.Review(intake.Draft{Name: d.Name, Business: d.Business, Email: d.Email, Offer: d.Offer, Seek: d.Seek, Problems: d.Problems})
	d.Problems = r.Problems
	return a.Store.SaveDraft(ctx, d)
}

// PublishDraft makes a draft a live post, validated like any post. The
// post's external ID names the draft, so publishing twice (say, after a
// crash between the two writes) is refused rather than duplicated.
func (a *App) PublishDraft(ctx context.Context, id int64) (match.Post, store.Draft, error) {
	d, err := a.Store.Draft(ctx, id)
	if err != nil {
		return match.Post{}, store.Draft{}, err
	}
	if d.Status != store.DraftOpen {
		return match.Post{}, store.Draft{}, match.Errorf(match.ECONFLICT, "this draft is %s already", d.Status)
	}
	p, err := a.CreatePost(ctx, match.PostInput{Business: d.Business, Email: d.Email, Website: d.Website,
		Offer: d.Offer, Seek: d.Seek, Customers: d.Customers, ExternalID: fmt.Sprintf("draft-%d", d.ID)})
	if err != nil {
		return match.Post{}, store.Draft{}, err
	}
	d.Status, d.PostID = store.DraftPublished, p.ID
	d, err = a.Store.SaveDraft(ctx, d)
	return p, d, err
}

// DiscardDraft sets a draft aside.
func (a *App) DiscardDraft(ctx context.Context, id int64) (store.Draft, error) {
	d, err := a.Store.Draft(ctx, id)
	if err != nil {
		return store.Draft{}, err
	}
	d.Status = store.DraftDiscarded
	return a.Store.SaveDraft(ctx, d)
}
