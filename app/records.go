package app

// What the API reads and changes of the records the store keeps, through
// the app like everything else: the API never reaches the store itself.

import (
	"context"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// APITokens returns a member's API tokens (never the tokens themselves).
func (a *App) APITokens(ctx context.Context, memberID int64) ([]domain.APIToken, error) {
	return a.Store.APITokens(ctx, memberID)
}

// Areas returns the host's areas, by name.
func (a *App) Areas(ctx context.Context) ([]domain.Area, error) {
	return a.Store.Areas(ctx)
}

// DeleteAPIToken revokes one of a member's API tokens.
func (a *App) DeleteAPIToken(ctx context.Context, memberID, tokenID int64) error {
	return a.Store.DeleteAPIToken(ctx, memberID, tokenID)
}

// DeleteIntake forgets a paste the host read, with its open drafts and skipped items.
func (a *App) DeleteIntake(ctx context.Context, id int64) error {
	return a.Store.DeleteIntake(ctx, id)
}

// Drafts returns the drafts the filter selects.
func (a *App) Drafts(ctx context.Context, f domain.DraftFilter) ([]domain.Draft, error) {
	return a.Store.Drafts(ctx, f)
}

// Figures returns how a quarter's introductions went.
func (a *App) Figures(ctx context.Context, quarter match.Quarter) (domain.RoundFigures, error) {
	return a.Store.Figures(ctx, quarter)
}

// Intakes returns the pastes the host has read, newest first.
func (a *App) Intakes(ctx context.Context) ([]domain.Intake, error) {
	return a.Store.Intakes(ctx)
}

// ListFeedback returns a page of the answers about a post's matches.
func (a *App) ListFeedback(ctx context.Context, post int64, limit, offset int) (domain.FeedbackPage, error) {
	return a.Store.ListFeedback(ctx, post, limit, offset)
}

// PostsByID returns the posts with the given IDs that exist.
func (a *App) PostsByID(ctx context.Context, ids []int64) (map[int64]match.Post, error) {
	return a.Store.PostsByID(ctx, ids)
}

// PostsOf returns the posts of an address, newest first.
func (a *App) PostsOf(ctx context.Context, email string) ([]match.Post, error) {
	return a.Store.PostsOf(ctx, email)
}

// Round returns a quarter's stored round, or ENOTFOUND.
func (a *App) Round(ctx context.Context, quarter match.Quarter) (domain.Round, error) {
	return a.Store.Round(ctx, quarter)
}

// Rounds returns the stored rounds.
func (a *App) Rounds(ctx context.Context) ([]domain.Round, error) {
	return a.Store.Rounds(ctx)
}

// SkippedItems returns what reading a paste skipped, with the reasons.
func (a *App) SkippedItems(ctx context.Context, intakeID int64) ([]domain.Skipped, error) {
	return a.Store.SkippedItems(ctx, intakeID)
}

// Suggestion returns one suggestion of a quarter's round.
func (a *App) Suggestion(ctx context.Context, quarter match.Quarter, id int64) (domain.Suggestion, error) {
	return a.Store.Suggestion(ctx, quarter, id)
}

// Suggestions returns a quarter's suggestions, of one status or all.
func (a *App) Suggestions(ctx context.Context, quarter match.Quarter, status string) ([]domain.Suggestion, error) {
	return a.Store.Suggestions(ctx, quarter, status)
}

// SuggestionsByID returns the suggestions with the given IDs.
func (a *App) SuggestionsByID(ctx context.Context, ids []int64) (map[int64]domain.Suggestion, error) {
	return a.Store.SuggestionsByID(ctx, ids)
}

// UpdateSuggestion sets a suggestion's status or note.
func (a *App) UpdateSuggestion(ctx context.Context, quarter match.Quarter, id int64, status, note *string) (domain.Suggestion, error) {
	return a.Store.UpdateSuggestion(ctx, quarter, id, status, note)
}
