package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/intake/thread"
	"github.com/matchmaker/matchmaker/match"
)

// IntakeResult is a paste as stored: how it was read, its drafts, and the
// items that are not drafts with why.
type IntakeResult struct {
	Intake  domain.Intake
	Drafts  []domain.Draft
	Skipped []domain.Skipped
}

// ReadPaste reads what the host pasted (a comment thread, an e-mail chain,
// a chat export, a form's spreadsheet) into drafts and skipped items, and
// stores it all in one transaction. format is "" to detect it, or what the
// upload said (thread.CSV, thread.TSV). A paste that holds nothing
// readable is refused and nothing is stored.
func (a *App) ReadPaste(ctx context.Context, text string, format thread.Format) (IntakeResult, error) {
	text = match.CleanPasted(text)
	if err := checkPaste(text); err != nil {
		return IntakeResult{}, err
	}
	res := thread.Read(text, thread.Options{Format: format})
	if len(res.Drafts) == 0 && len(res.Skipped) == 0 {
		return IntakeResult{}, match.Invalid("found no replies in the paste: copy the whole thread, comments included", nil)
	}
	in, drafts, skipped, err := a.Store.CreateIntake(ctx, storedRead(text, res))
	return IntakeResult{in, drafts, skipped}, err
}

// checkPaste refuses a paste that is empty, too large or not plain text.
func checkPaste(text string) error {
	switch {
	case len(text) > thread.MaxBytes:
		return PasteTooLarge()
	case strings.TrimSpace(text) == "":
		return match.Invalid("paste the text of a comment thread, or send a spreadsheet", nil)
	case !match.IsCleanText(text):
		return match.Invalid("the paste must be plain UTF-8 text without control characters", nil)
	}
	return nil
}

// PasteTooLarge says how much a paste may hold and what to do instead.
func PasteTooLarge() error {
	return match.Errorf(match.ETOOLARGE, "a paste may hold at most %d MiB (about 5,000 comments): paste the thread in parts, one after another", thread.MaxBytes>>20)
}

// PasteLimit is the largest body a paste may arrive in.
const PasteLimit = thread.MaxBytes

// storedRead turns a reading into what the store keeps.
func storedRead(text string, res thread.Result) domain.IntakeRead {
	r := domain.IntakeRead{
		Intake: domain.Intake{Format: string(res.Format), Notice: res.Notice, Host: res.Host, Columns: res.Columns, Body: text},
		Drafts: make([]domain.Draft, len(res.Drafts)),
	}
	for i, d := range res.Drafts {
		r.Drafts[i] = draftOf(d)
	}
	for _, s := range res.Skipped {
		r.Skipped = append(r.Skipped, domain.Skipped{Name: s.Name, Reason: s.Reason, Text: s.Text, IntoID: int64(s.Into)})
	}
	return r
}

// draftOf is a read draft as the store keeps it.
func draftOf(d thread.Draft) domain.Draft {
	return domain.Draft{Name: d.Name, Business: d.Business, Email: d.Email, Website: d.Website, Offer: d.Offer, Seek: d.Seek,
		Customers: d.Customers, Lane: d.Lane, Area: d.Area, Source: d.Source, Problems: d.Problems, Origins: d.Origins,
		Uncertainty: thread.Uncertainty(d)}
}

// Intake returns a stored paste with its drafts and the items still skipped.
func (a *App) Intake(ctx context.Context, id int64) (IntakeResult, error) {
	in, err := a.Store.Intake(ctx, id)
	if err != nil {
		return IntakeResult{}, err
	}
	drafts, err := a.Store.Drafts(ctx, domain.DraftFilter{IntakeID: id})
	if err != nil {
		return IntakeResult{}, err
	}
	skipped, err := a.Store.SkippedItems(ctx, id)
	return IntakeResult{in, drafts, skipped}, err
}

// ReadColumnsAgain reads a stored spreadsheet again with the host's column
// mapping (header → field, "" to ignore a column), replacing the paste's
// drafts and skipped items.
func (a *App) ReadColumnsAgain(ctx context.Context, id int64, columns map[string]string) (IntakeResult, error) {
	in, err := a.Store.Intake(ctx, id)
	if err != nil {
		return IntakeResult{}, err
	}
	format := thread.Format(in.Format)
	if format != thread.CSV && format != thread.TSV {
		return IntakeResult{}, match.Invalid("only a spreadsheet has columns to map; this paste was read as "+in.Format, nil)
	}
	bad := map[string]string{}
	for header, field := range columns {
		if !slices.ContainsFunc(in.Columns, func(c thread.Column) bool { return c.Header == header }) {
			bad[header] = "is not a column of this spreadsheet"
		} else if field != "" && !slices.Contains(thread.SheetFields, field) {
			bad[header] = "must be one of: " + strings.Join(thread.SheetFields, ", ") + ", or empty to ignore the column"
		}
	}
	if len(bad) > 0 {
		return IntakeResult{}, match.Invalid("some columns cannot be mapped so", bad)
	}
	res := thread.Read(in.Body, thread.Options{Columns: columns, Format: format})
	in, drafts, skipped, err := a.Store.ReplaceRead(ctx, id, storedRead(in.Body, res))
	return IntakeResult{in, drafts, skipped}, err
}

// DraftFromSkipped turns a skipped item into a draft of its own: the host
// saw an offer the reading missed.
func (a *App) DraftFromSkipped(ctx context.Context, id int64) (domain.Draft, error) {
	s, err := a.Store.SkippedItem(ctx, id)
	if err != nil {
		return domain.Draft{}, err
	}
	return a.Store.DraftFromSkipped(ctx, id, draftOf(thread.DraftOf(s.Name, s.Text)))
}

// DismissSkipped forgets the items of a paste the host has looked at.
func (a *App) DismissSkipped(ctx context.Context, intakeID int64) (int64, error) {
	return a.Store.DismissSkipped(ctx, intakeID)
}

// ReadComment reads one comment a member pasted into the post form: the
// fields it fills in, for them to check. Nothing is stored.
func ReadComment(text string) (thread.Draft, error) {
	text = match.CleanPasted(text)
	switch {
	case strings.TrimSpace(text) == "":
		return thread.Draft{}, match.Invalid("paste the comment you wrote", map[string]string{"text": "is required"})
	case utf8.RuneCountInString(text) > MaxComment:
		return thread.Draft{}, match.Invalid(fmt.Sprintf("a comment may hold at most %d characters", MaxComment), map[string]string{"text": "is too long"})
	case !match.IsCleanText(text):
		return thread.Draft{}, match.Invalid("the comment must be plain text", map[string]string{"text": "has control characters"})
	}
	return thread.DraftOf("", text), nil
}

// MaxComment is the longest comment a member may paste.
const MaxComment = 20000

// DraftPatch corrects a draft's fields; nil leaves one as it is.
type DraftPatch struct {
	Name      *string `json:"name"`
	Business  *string `json:"business"`
	Email     *string `json:"email"`
	Website   *string `json:"website"`
	Offer     *string `json:"offer"`
	Seek      *string `json:"seek"`
	Customers *string `json:"customers"`
	Lane      *string `json:"lane"`
	Area      *string `json:"area"`
}

// UpdateDraft corrects a draft and lists again what it still needs. A
// field the host set is no longer a guess.
func (a *App) UpdateDraft(ctx context.Context, id int64, p DraftPatch) (domain.Draft, error) {
	d, err := a.Store.Draft(ctx, id)
	if err != nil {
		return domain.Draft{}, err
	}
	if p.Lane != nil && !slices.Contains([]string{thread.LaneStrategic, thread.LaneReferral, thread.LaneEither}, *p.Lane) {
		return domain.Draft{}, match.Invalid("some fields are not valid", map[string]string{"lane": "must be one of: strategic, referral, either"})
	}
	if d.Origins == nil {
		d.Origins = map[string]thread.Origin{}
	}
	for _, f := range []struct {
		name     string
		dst, src *string
	}{{thread.FieldName, &d.Name, p.Name}, {thread.FieldBusiness, &d.Business, p.Business}, {thread.FieldEmail, &d.Email, p.Email},
		{thread.FieldWebsite, &d.Website, p.Website}, {thread.FieldOffer, &d.Offer, p.Offer}, {thread.FieldSeek, &d.Seek, p.Seek},
		{thread.FieldCustomers, &d.Customers, p.Customers}, {thread.FieldLane, &d.Lane, p.Lane}, {thread.FieldArea, &d.Area, p.Area}} {
		if f.src == nil {
			continue
		}
		clean, rule := match.IsCleanText, "must be plain text of at most 2,000 characters"
		if f.name == thread.FieldName || f.name == thread.FieldBusiness {
			clean, rule = match.IsCleanName, match.NameRule
		}
		if len([]rune(*f.src)) > 2000 {
			return domain.Draft{}, match.Invalid("some fields are not valid", map[string]string{f.name: "must be at most 2,000 characters"})
		}
		if !clean(*f.src) {
			return domain.Draft{}, match.Invalid("some fields are not valid", map[string]string{f.name: rule})
		}
		*f.dst = strings.TrimSpace(*f.src)
		if f.name == thread.FieldEmail {
			*f.dst = strings.ToLower(*f.dst)
		}
		if *f.dst == "" {
			delete(d.Origins, f.name)
		} else {
			d.Origins[f.name] = thread.Origin{From: "host"}
		}
	}
	checked := thread.Check(thread.Draft{Name: d.Name, Business: d.Business, Email: d.Email, Website: d.Website, Offer: d.Offer,
		Seek: d.Seek, Customers: d.Customers, Lane: d.Lane, Area: d.Area, Origins: d.Origins})
	d.Problems, d.Uncertainty = checked.Problems, thread.Uncertainty(checked)
	return a.Store.SaveDraft(ctx, d)
}

// PublishDraft makes a draft a post, validated like any post. The post
// waits for its member: it goes live when they click the link mailed to
// its address, as any post they send, so that nobody is listed without
// saying yes. The post's external ID names the draft, so publishing twice
// (say, after a crash between the two writes) is refused rather than
// duplicated.
func (a *App) PublishDraft(ctx context.Context, id int64) (match.Post, domain.Draft, error) {
	d, err := a.Store.Draft(ctx, id)
	if err != nil {
		return match.Post{}, domain.Draft{}, err
	}
	if d.Status != domain.DraftOpen {
		return match.Post{}, domain.Draft{}, match.Errorf(match.ECONFLICT, "this draft is %s already", d.Status)
	}
	p, err := a.SubmitPost(ctx, match.PostInput{Business: d.Business, Email: d.Email, Website: d.Website,
		Offer: d.Offer, Seek: d.Seek, Customers: d.Customers, Region: d.Area, Lane: match.Lane(d.Lane),
		ExternalID: fmt.Sprintf("draft-%d", d.ID)})
	if err != nil {
		return match.Post{}, domain.Draft{}, err
	}
	d.Status, d.PostID = domain.DraftPublished, p.ID
	d, err = a.Store.SaveDraft(ctx, d)
	return p, d, err
}

// DiscardDraft sets a draft aside.
func (a *App) DiscardDraft(ctx context.Context, id int64) (domain.Draft, error) {
	d, err := a.Store.Draft(ctx, id)
	if err != nil {
		return domain.Draft{}, err
	}
	d.Status = domain.DraftDiscarded
	return a.Store.SaveDraft(ctx, d)
}
