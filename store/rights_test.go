package store_test

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/matchmaker/matchmaker/store"
)

// Every table is either searched for a member's rows by MemberData or
// named as holding none: a table added later must be placed.
func TestMemberDataNamesEveryTable(t *testing.T) {
	db := MustOpenStore(t)
	ctx := context.Background()
	data, err := db.MemberData(ctx, "nobody@example.com")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.TableNames(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range rows {
		_, searched := data[table]
		_, named := store.NotAboutMembers[table]
		if searched == named {
			t.Errorf("table %s: searched %v, named as no member's %v; want exactly one", table, searched, named)
		}
	}
	if len(data) == 0 || !slices.Contains(slices.Collect(maps.Keys(data)), "posts") {
		t.Errorf("MemberData searched %v", slices.Collect(maps.Keys(data)))
	}
}
