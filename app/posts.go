package app

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/index"
	"github.com/matchmaker/matchmaker/match"
)

// CreatePost validates and stores a new post. It returns an EINVALID error
// naming the bad fields, or ECONFLICT for a taken external ID.
func (a *App) CreatePost(ctx context.Context, in match.PostInput) (match.Post, error) {
	in.Normalize()
	if err := match.Validate(&in); err != nil {
		return match.Post{}, err
	}
	p, err := a.Store.CreatePost(ctx, in.Post(a.Store.Now()))
	if err != nil {
		return match.Post{}, err
	}
	a.syncDerived(ctx)
	return p, nil
}

// UpdatePost validates and applies a partial update of post, as who
// changes it (see PostToChange); the owner hears of what the host did to
// it (moderated). It returns ENOTFOUND, EINVALID or ECONFLICT.
func (a *App) UpdatePost(ctx context.Context, who Who, post match.Post, patch match.PostPatch) (match.Post, error) {
	patch.Normalize()
	if err := match.Validate(&patch); err != nil {
		return match.Post{}, err
	}
	if patch.Empty() {
		return a.Store.Post(ctx, post.ID)
	}
	p, err := a.Store.UpdatePost(ctx, post.ID, patch)
	if err != nil {
		return match.Post{}, err
	}
	a.syncDerived(ctx)
	a.moderated(ctx, who, post, &p)
	return p, nil
}

// DeletePost deletes post, as who. It returns ENOTFOUND if there is none.
func (a *App) DeletePost(ctx context.Context, who Who, post match.Post) error {
	if err := a.Store.DeletePost(ctx, post.ID); err != nil {
		return err
	}
	a.syncDerived(ctx)
	a.moderated(ctx, who, post, nil)
	return nil
}

// SearchParams select a page of posts.
type SearchParams struct {
	Text     string // full-text query; empty lists newest first
	Statuses []match.Status
	Lane     match.Lane
	Quarter  match.Quarter
	Industry string
	Region   string
	// Near, when set, keeps posts whose region places them within
	// WithinKm (50 when zero) of this place: a town, a region or one of
	// the host's areas.
	Near     string
	WithinKm float64
	Cursor   string // from the previous page's NextCursor
	Limit    int
}

// Page is one page of posts and the cursor of the next ("" at the end).
type Page struct {
	Posts      []match.Post
	NextCursor string
}

// SearchPosts returns a page of the posts who may list: ranked by
// relevance when Text has words, newest first otherwise. Only the host
// lists posts that are not active (others asking get EFORBIDDEN; with no
// status asked for, they get the active ones). It returns EINVALID for a
// bad cursor.
func (a *App) SearchPosts(ctx context.Context, who Who, p SearchParams) (Page, error) {
	if !who.Host {
		if slices.ContainsFunc(p.Statuses, func(s match.Status) bool { return s != match.StatusActive }) {
			return Page{}, match.Errorf(match.EFORBIDDEN, "only the host can list posts that are not active")
		}
		p.Statuses = []match.Status{match.StatusActive}
	}
	p.Text = strings.TrimSpace(p.Text)
	c, err := decodeCursor(p.Cursor)
	if err != nil {
		return Page{}, err
	}
	if p.Text == "" && p.Near == "" {
		if c.ranked {
			return Page{}, badCursor()
		}
		return a.listPosts(ctx, p, c.id)
	}
	if p.Cursor != "" && !c.ranked {
		return Page{}, badCursor()
	}
	return a.searchPosts(ctx, p, c)
}

// rankedSlack is how far a ranked page looks around its offset for the
// previous page's last post. Relevance scores move with every write to the
// index, so a score cannot mark where a page ended; an offset can, and the
// last post's ID re-anchors it when writes in between shifted the ranking.
const rankedSlack = 10

func (a *App) searchPosts(ctx context.Context, p SearchParams, c cursor) (Page, error) {
	from := max(0, c.offset-rankedSlack)
	q := index.Query{Text: p.Text, Statuses: p.Statuses, Lane: p.Lane,
		Quarter: p.Quarter, Industry: p.Industry, Region: p.Region,
		From: from, Limit: c.offset - from + p.Limit + 1 + rankedSlack}
	if p.Near != "" {
		place, err := a.PlaceNamed(ctx, p.Near)
		if err != nil {
			return Page{}, err
		}
		km := p.WithinKm
		if km == 0 {
			km = 50
		}
		q.Near = &index.Near{Lat: place.Lat, Lon: place.Lon, Km: km + place.RadiusKm}
	}
	hits, err := a.Index.Search(ctx, q)
	if err != nil {
		return Page{}, err
	}
	start := min(c.offset-from, len(hits))
	if c.id > 0 {
		for i, h := range hits {
			if h.ID == c.id {
				start = i + 1
				break
			}
		}
	}
	hits = hits[start:]
	more := len(hits) > p.Limit
	hits = hits[:min(len(hits), p.Limit)]
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	byID, err := a.Store.PostsByID(ctx, ids)
	if err != nil {
		return Page{}, err
	}
	page := Page{Posts: make([]match.Post, 0, len(hits))}
	for _, h := range hits {
		// The index can trail the database for a moment: a post deleted
		// since, or no longer of a wanted status, is left out.
		if post, ok := byID[h.ID]; ok && (len(p.Statuses) == 0 || slices.Contains(p.Statuses, post.Status)) {
			page.Posts = append(page.Posts, post)
		}
	}
	if more && len(hits) > 0 {
		page.NextCursor = cursor{ranked: true, offset: from + start + len(hits), id: hits[len(hits)-1].ID}.encode()
	}
	return page, nil
}

func (a *App) listPosts(ctx context.Context, p SearchParams, beforeID int64) (Page, error) {
	posts, err := a.Store.ListPosts(ctx, domain.PostFilter{
		Statuses: p.Statuses, Lane: p.Lane, Quarter: p.Quarter, Industry: p.Industry,
		Region: p.Region, BeforeID: beforeID, Limit: p.Limit + 1,
	})
	if err != nil {
		return Page{}, err
	}
	page := Page{Posts: posts}
	if len(posts) > p.Limit {
		page.Posts = posts[:p.Limit]
		page.NextCursor = cursor{id: page.Posts[p.Limit-1].ID}.encode()
	}
	if page.Posts == nil {
		page.Posts = []match.Post{}
	}
	return page, nil
}

// cursor is where a page ends: the last post's ID and, for ranked results,
// how many results came before the next page. It is opaque to callers.
type cursor struct {
	ranked bool
	offset int
	id     int64
}

func (c cursor) encode() string {
	s := "n:" + strconv.FormatInt(c.id, 10)
	if c.ranked {
		s = "r:" + strconv.Itoa(c.offset) + ":" + strconv.FormatInt(c.id, 10)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeCursor(s string) (cursor, error) {
	if s == "" {
		return cursor{}, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return cursor{}, badCursor()
	}
	parts := strings.Split(string(raw), ":")
	var c cursor
	switch {
	case len(parts) == 2 && parts[0] == "n":
	case len(parts) == 3 && parts[0] == "r":
		c.ranked = true
		// Deep offsets make Bleve collect every hit before them; people do
		// not page that far, so neither do cursors.
		if c.offset, err = strconv.Atoi(parts[1]); err != nil || c.offset < 0 || c.offset > 10000 {
			return cursor{}, badCursor()
		}
	default:
		return cursor{}, badCursor()
	}
	if c.id, err = strconv.ParseInt(parts[len(parts)-1], 10, 64); err != nil || c.id <= 0 {
		return cursor{}, badCursor()
	}
	return c, nil
}

func badCursor() error {
	return match.Invalid("the cursor is not valid for this query", map[string]string{"cursor": "is not a cursor this query returned"})
}

// Reindex rebuilds the search index from the database.
func (a *App) Reindex(ctx context.Context) error {
	if err := a.Index.Rebuild(ctx, a.Store); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	return nil
}
