package store_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/intake/thread"
)

// A paste is stored whole, and what CreateIntake returns is what is read
// back: it builds its answer from what it wrote rather than reading rows
// again.
func TestIntakeStoredAsReturned(t *testing.T) {
	db := MustOpenStore(t)
	ctx := context.Background()
	in, drafts, skipped, err := db.CreateIntake(ctx, domain.IntakeRead{
		Intake: domain.Intake{Format: "linkedin", Notice: "", Host: "Dana", Columns: []thread.Column{{Header: "Email", Field: "email"}}, Body: "the paste"},
		Drafts: []domain.Draft{
			{Name: "Jane Doe", Business: "Bright Ledger", Email: "jane@brightledger.example", Offer: "Shopify stores for skincare brands", Seek: "A bookkeeper",
				Lane: "referral", Area: "Leeds", Origins: map[string]thread.Origin{"business": {From: "headline"}}, Problems: []string{}, Uncertainty: 1},
			{Name: "Tom Ruiz", Offer: "Boilers and leaks", Problems: []string{"no email address: add one before publishing"}, Uncertainty: 10},
		},
		Skipped: []domain.Skipped{{Name: "Ben", Reason: "chatter", Text: "Following", IntoID: -1}, {Name: "Jane Doe", Reason: "follow_up", Text: "forgot: we do Woo too", IntoID: 0}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if in.ID == 0 || in.Body != "the paste" || len(in.Columns) != 1 {
		t.Fatalf("intake: %+v", in)
	}
	read, err := db.Drafts(ctx, domain.DraftFilter{IntakeID: in.ID, Oldest: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(read, drafts) {
		t.Errorf("drafts read back differ from those returned:\n read %+v\n returned %+v", read, drafts)
	}
	if drafts[1].Lane != "either" {
		t.Errorf("a draft with no lane stored as %q, want either", drafts[1].Lane)
	}
	left, err := db.SkippedItems(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(left, skipped) || skipped[1].IntoID != drafts[0].ID || skipped[0].IntoID != 0 {
		t.Errorf("skipped read back %+v, returned %+v", left, skipped)
	}
	// Uncertain first, unless asked for paste order.
	byDoubt, err := db.Drafts(ctx, domain.DraftFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if byDoubt[0].Name != "Tom Ruiz" {
		t.Errorf("most uncertain first: got %s", byDoubt[0].Name)
	}
	// Forgetting the paste leaves nothing of it.
	if err := db.DeleteIntake(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if all, _ := db.Drafts(ctx, domain.DraftFilter{}); len(all) != 0 {
		t.Errorf("%d drafts left after forgetting the paste", len(all))
	}
	if _, err := db.Intake(ctx, in.ID); err == nil {
		t.Error("the paste is still there")
	}
}
