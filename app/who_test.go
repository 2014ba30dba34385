package app_test

import (
	"context"
	"errors"
	"testing"

	"github.com/matchmaker/matchmaker/app"
	"github.com/matchmaker/matchmaker/match"
)

// TestWhoMaySeeAndChangeAPost: the host and the owner see and change a
// post whatever its status; others see it only while active and change it
// never (403 when they can see it, 404 when they cannot); a member's post
// under their own address is live at once, anyone else's waits for the
// owner's confirmation; only the host sets a status or an import key.
func TestWhoMaySeeAndChangeAPost(t *testing.T) {
	ctx := context.Background()
	a := mustOpen(t, t.TempDir())
	host, owner, other, nobody := app.Who{Host: true}, app.Who{Email: "ana@alpha.example"}, app.Who{Email: "bo@bravo.example"}, app.Who{}
	in := match.PostInput{Business: "Alpha Ledger", Email: "ana@alpha.example", Offer: "Bookkeeping for dentists", Seek: "Dental software vendors"}

	p, live, err := a.PostFrom(ctx, owner, in)
	if err != nil || !live || p.Status != match.StatusActive {
		t.Fatalf("the owner's post: %+v live %v %v", p, live, err)
	}
	if _, live, err := a.PostFrom(ctx, other, in); err != nil || live {
		t.Errorf("someone else's post under the owner's address: live %v %v, want it to wait for the owner", live, err)
	}
	withStatus := in
	withStatus.Status = match.StatusHidden
	for _, who := range []app.Who{owner, nobody} {
		if _, _, err := a.PostFrom(ctx, who, withStatus); !errors.Is(err, match.ErrInvalid) {
			t.Errorf("%+v sets a status: %v, want invalid", who, err)
		}
	}

	for _, c := range []struct {
		who    app.Who
		change error
	}{{host, nil}, {owner, nil}, {other, match.ErrForbidden}, {nobody, match.ErrForbidden}} {
		if _, err := a.PostFor(ctx, c.who, p.ID); err != nil {
			t.Errorf("%+v sees the active post: %v", c.who, err)
		}
		if _, err := a.PostToChange(ctx, c.who, p.ID); (c.change == nil) != (err == nil) || (c.change != nil && !errors.Is(err, c.change)) {
			t.Errorf("%+v changes the active post: %v, want %v", c.who, err, c.change)
		}
	}
	hidden := match.StatusHidden
	if _, err := a.UpdatePost(ctx, app.Who{Host: true}, p, match.PostPatch{Status: &hidden}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who  app.Who
		want error
	}{{host, nil}, {owner, nil}, {other, match.ErrNotFound}, {nobody, match.ErrNotFound}} {
		_, seeErr := a.PostFor(ctx, c.who, p.ID)
		_, changeErr := a.PostToChange(ctx, c.who, p.ID)
		for _, err := range []error{seeErr, changeErr} {
			if (c.want == nil) != (err == nil) || (c.want != nil && !errors.Is(err, c.want)) {
				t.Errorf("%+v and the hidden post: %v, want %v", c.who, err, c.want)
			}
		}
	}
}
