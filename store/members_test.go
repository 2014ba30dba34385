package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

func TestEmailLinksWorkOnceAndExpire(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	p := samplePost(1)
	p.Status = match.StatusPending
	p, _ = db.CreatePost(ctx, p)
	exp := db.Now().Add(time.Hour)
	if err := db.CreateEmailLink(ctx, "h-confirm", domain.EmailLink{Purpose: domain.LinkConfirmPost, Email: p.Email, PostID: p.ID}, exp); err != nil {
		t.Fatal(err)
	}
	// A link of one purpose does not serve another.
	if _, err := db.SignIn(ctx, "h-confirm", "s1", exp); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("a confirmation link signed in: %v", err)
	}
	got, err := db.ConfirmPost(ctx, "h-confirm")
	if err != nil || got.Status != match.StatusActive {
		t.Fatalf("confirm: %+v %v", got, err)
	}
	if _, err := db.ConfirmPost(ctx, "h-confirm"); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("a used link worked again: %v", err)
	}
	// Confirming made the address a member.
	db.CreateEmailLink(ctx, "h-signin", domain.EmailLink{Purpose: domain.LinkSignIn, Email: p.Email}, exp)
	m, err := db.SignIn(ctx, "h-signin", "session-hash", db.Now().Add(time.Hour))
	if err != nil || m.Email != p.Email {
		t.Fatalf("sign in: %+v %v", m, err)
	}
	if got, err := db.MemberBySession(ctx, "session-hash"); err != nil || got.ID != m.ID {
		t.Errorf("member by session: %+v %v", got, err)
	}

	// An expired link and an expired session are refused.
	db.CreateEmailLink(ctx, "h-old", domain.EmailLink{Purpose: domain.LinkSignIn, Email: p.Email}, db.Now().Add(time.Minute))
	later := time.Now().UTC().Add(2 * time.Hour)
	db.SetClock(func() time.Time { return later })
	if _, err := db.SignIn(ctx, "h-old", "s2", later.Add(time.Hour)); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("an expired link signed in: %v", err)
	}
	if _, err := db.MemberBySession(ctx, "session-hash"); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("an expired session still works: %v", err)
	}
}

func TestAPITokensBelongToTheirMember(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	exp := db.Now().Add(time.Hour)
	var members []domain.Member
	for i, addr := range []string{"a@one.example", "b@two.example"} {
		db.CreateEmailLink(ctx, "link"+addr, domain.EmailLink{Purpose: domain.LinkSignIn, Email: addr}, exp)
		m, err := db.SignIn(ctx, "link"+addr, "session"+addr, exp)
		if err != nil {
			t.Fatalf("member %d: %v", i, err)
		}
		members = append(members, m)
	}
	tok, err := db.CreateAPIToken(ctx, members[0].ID, "script", "token-hash")
	if err != nil {
		t.Fatal(err)
	}
	if m, err := db.MemberByAPIToken(ctx, "token-hash"); err != nil || m.ID != members[0].ID {
		t.Errorf("member by token: %+v %v", m, err)
	}
	if list, _ := db.APITokens(ctx, members[0].ID); len(list) != 1 || list[0].LastUsedAt == nil {
		t.Errorf("tokens of the owner: %+v; want one, with its last use recorded", list)
	}
	if list, _ := db.APITokens(ctx, members[1].ID); len(list) != 0 {
		t.Errorf("another member sees %d tokens", len(list))
	}
	if err := db.DeleteAPIToken(ctx, members[1].ID, tok.ID); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("another member revoked the token: %v", err)
	}
	if err := db.DeleteAPIToken(ctx, members[0].ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MemberByAPIToken(ctx, "token-hash"); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("a revoked token still works: %v", err)
	}
}

func TestConfirmationNeedsTheSameAddress(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	p := samplePost(1)
	p.Status = match.StatusPending
	p, _ = db.CreatePost(ctx, p)
	db.CreateEmailLink(ctx, "h", domain.EmailLink{Purpose: domain.LinkConfirmPost, Email: p.Email, PostID: p.ID}, db.Now().Add(time.Hour))
	other := "someone@else.example"
	if _, err := db.UpdatePost(ctx, p.ID, match.PostPatch{Email: &other}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ConfirmPost(ctx, "h"); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("a link sent to the old address published the post: %v", err)
	}
	if got, _ := db.Post(ctx, p.ID); got.Status != match.StatusPending {
		t.Errorf("status %s, want pending", got.Status)
	}
}
