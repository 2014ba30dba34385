package app

import (
	"context"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// Who is who asks: the host, the member with this (proven) address, or
// nobody (the zero Who). Who may see or change what is decided here, in
// the app, whatever door the request came in by.
type Who struct {
	Host  bool
	Email string
}

// Owns reports whether who may act on p as its owner.
func (w Who) Owns(p match.Post) bool { return w.Email != "" && w.Email == p.Email }

// Sees reports whether who may see p at all: its owner and the host see it
// whatever its status, others only while it is active.
func (w Who) Sees(p match.Post) bool {
	return w.Host || w.Owns(p) || p.Status == match.StatusActive
}

// PostFor returns the post with the ID as who may see it; a post who may
// not see is ENOTFOUND, as if it did not exist.
func (a *App) PostFor(ctx context.Context, who Who, id int64) (match.Post, error) {
	p, err := a.Store.Post(ctx, id)
	if err != nil {
		return match.Post{}, err
	}
	if !who.Sees(p) {
		return match.Post{}, match.Errorf(match.ENOTFOUND, "post %d not found", id)
	}
	return p, nil
}

// PostToChange returns the post with the ID for who to act on: the host
// and its owner may. Others get ENOTFOUND for a post they cannot see (its
// existence is none of their business) and EFORBIDDEN for one they can.
func (a *App) PostToChange(ctx context.Context, who Who, id int64) (match.Post, error) {
	p, err := a.PostFor(ctx, who, id)
	if err != nil {
		return match.Post{}, err
	}
	if !who.Host && !who.Owns(p) {
		return match.Post{}, match.Errorf(match.EFORBIDDEN, "only the post's owner and the host may do this")
	}
	return p, nil
}

// PostFrom stores a post sent by who: the host's posts, and a member's
// under their own proven address, are live at once (live is true);
// anyone else's waits for its owner to confirm by email. Only the host
// sets a post's status and import key: an import key set by someone else
// could be probed (409) or hijacked by the next import.
func (a *App) PostFrom(ctx context.Context, who Who, in match.PostInput) (p match.Post, live bool, err error) {
	if err := hostOnlyFields(who, in); err != nil {
		return match.Post{}, false, err
	}
	in.Normalize()
	if who.Host || (who.Email != "" && who.Email == in.Email) {
		p, err = a.CreatePost(ctx, in)
		return p, true, err
	}
	p, err = a.SubmitPost(ctx, in)
	return p, false, err
}

// IntroductionsFor returns the introductions who may see: all of them for
// the host, a member's own (those of their posts) for a member, none for
// nobody.
func (a *App) IntroductionsFor(ctx context.Context, who Who) ([]domain.Introduction, error) {
	switch {
	case who.Host:
		return a.Store.IntroductionsOf(ctx, "")
	case who.Email != "":
		return a.Store.IntroductionsOf(ctx, who.Email)
	}
	return []domain.Introduction{}, nil
}

// hostOnlyFields refuses a post's fields that only the host sets.
func hostOnlyFields(who Who, in match.PostInput) error {
	if who.Host {
		return nil
	}
	fields := map[string]string{}
	if in.Status != "" {
		fields["status"] = "is set by the service for posts from members"
	}
	if in.ExternalID != "" {
		fields["external_id"] = "is set by the host"
	}
	if len(fields) > 0 {
		return match.Invalid("some fields are not valid", fields)
	}
	return nil
}

// CheckPost checks a post as PostFrom takes it from who, storing nothing:
// the post form asks, so that a member sees every mistake in one pass.
func CheckPost(who Who, in match.PostInput) error {
	if err := hostOnlyFields(who, in); err != nil {
		return err
	}
	in.Normalize()
	return match.Validate(in)
}
