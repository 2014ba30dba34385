package store_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"path/filepath"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
	"github.com/matchmaker/matchmaker/store"
)

// MustOpenStore opens a database in a fresh temporary folder.
func MustOpenStore(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "test.db"))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func samplePost(i int) match.Post {
	in := match.PostInput{
		Business:   fmt.Sprintf("Business %d", i),
		Email:      fmt.Sprintf("owner%d@example.com", i),
		Offer:      fmt.Sprintf("Bookkeeping number %d for ecommerce brands", i),
		Seek:       "Shopify developers looking for an accountant",
		Industry:   "Finance",
		Tags:       []string{"shopify"},
		ExternalID: fmt.Sprintf("ext-%d", i),
	}
	return in.Post(time.Now())
}

func TestCreateGetUpdateDelete(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	created, err := db.CreatePost(ctx, samplePost(1))
	if err != nil {
		t.Fatalf("CreatePost: %v", err)
	}
	if created.ID == 0 || created.CreatedAt.IsZero() {
		t.Fatalf("created post has id %d, created_at %v", created.ID, created.CreatedAt)
	}
	got, err := db.Post(ctx, created.ID)
	if err != nil {
		t.Fatalf("Post: %v", err)
	}
	if fmt.Sprint(got) != fmt.Sprint(created) {
		t.Errorf("stored post differs:\n got %+v\nwant %+v", got, created)
	}

	// A duplicate external ID is a conflict, and stores nothing.
	if _, err := db.CreatePost(ctx, samplePost(1)); !errors.Is(err, match.ErrConflict) {
		t.Errorf("duplicate external_id: got %v, want conflict", err)
	}
	if posts, _ := db.ListPosts(ctx, domain.PostFilter{Limit: 10}); len(posts) != 1 {
		t.Errorf("after a refused duplicate: %d posts, want 1", len(posts))
	}

	offer := "Payroll and bookkeeping for online stores"
	db.SetClock(func() time.Time { return created.UpdatedAt.Add(time.Hour) })
	updated, err := db.UpdatePost(ctx, created.ID, match.PostPatch{Offer: &offer})
	if err != nil {
		t.Fatalf("UpdatePost: %v", err)
	}
	if updated.Offer != offer || updated.Business != created.Business {
		t.Errorf("updated post: offer %q business %q", updated.Offer, updated.Business)
	}
	if !updated.UpdatedAt.After(created.UpdatedAt) || !updated.CreatedAt.Equal(created.CreatedAt) {
		t.Errorf("timestamps after update: created %v updated %v", updated.CreatedAt, updated.UpdatedAt)
	}
	if _, err := db.UpdatePost(ctx, 999, match.PostPatch{Offer: &offer}); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("update of unknown post: got %v, want not found", err)
	}

	if err := db.DeletePost(ctx, created.ID); err != nil {
		t.Fatalf("DeletePost: %v", err)
	}
	if _, err := db.Post(ctx, created.ID); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("Post after delete: got %v, want not found", err)
	}
	if err := db.DeletePost(ctx, created.ID); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("second delete: got %v, want not found", err)
	}
}

func TestListPostsFiltersAndPaging(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	lanes := []match.Lane{match.LaneStrategic, match.LaneReferral, match.LaneEither}
	for i := range 30 {
		p := samplePost(i)
		p.Lane = lanes[i%3]
		if i%5 == 0 {
			p.Status = match.StatusHidden
		}
		if i%2 == 0 {
			p.Region = "Lisbon"
		}
		if _, err := db.CreatePost(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	count := func(f domain.PostFilter) int {
		t.Helper()
		f.Limit = 100
		posts, err := db.ListPosts(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		return len(posts)
	}
	active := []match.Status{match.StatusActive}
	if got := count(domain.PostFilter{Statuses: active}); got != 24 {
		t.Errorf("active posts: %d, want 24", got)
	}
	if got := count(domain.PostFilter{Lane: match.LaneStrategic}); got != 20 {
		t.Errorf("posts accepting strategic: %d, want 20 (10 strategic + 10 either)", got)
	}
	if got := count(domain.PostFilter{Lane: match.LaneEither}); got != 10 {
		t.Errorf("posts open to either: %d, want 10", got)
	}
	if got := count(domain.PostFilter{Region: "LISBON"}); got != 15 {
		t.Errorf("region filter ignoring case: %d, want 15", got)
	}

	// Keyset paging walks every post once, newest first.
	var seen []int64
	before := int64(0)
	for {
		page, err := db.ListPosts(ctx, domain.PostFilter{BeforeID: before, Limit: 7})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, p := range page {
			if len(seen) > 0 && p.ID >= seen[len(seen)-1] {
				t.Fatalf("page order broken: %d after %d", p.ID, seen[len(seen)-1])
			}
			seen = append(seen, p.ID)
		}
		before = page[len(page)-1].ID
	}
	if len(seen) != 30 {
		t.Errorf("paging saw %d posts, want 30", len(seen))
	}
}

func inputsOf(ins ...match.PostInput) iter.Seq2[match.PostInput, error] {
	return func(yield func(match.PostInput, error) bool) {
		for _, in := range ins {
			if !yield(in, nil) {
				return
			}
		}
	}
}

func TestImportUpsertsByExternalID(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	a := match.PostInput{Business: "Alpha", Email: "a@alpha.example", Offer: "Web design for dentists", Seek: "Dental billing experts", ExternalID: "a"}
	b := match.PostInput{Business: "Beta", Email: "b@beta.example", Offer: "Dental billing services", Seek: "Marketing agencies for dentists", ExternalID: "b"}
	c := match.PostInput{Business: "Gamma", Email: "c@gamma.example", Offer: "Wedding photography", Seek: "Florists and planners"}
	counts, err := db.ImportPosts(ctx, inputsOf(a, b, c))
	if err != nil {
		t.Fatal(err)
	}
	if counts != (domain.ImportCounts{Created: 3}) {
		t.Errorf("first import: %+v, want 3 created", counts)
	}
	// The host hides Beta; a re-import that does not mention status keeps it hidden.
	posts, _ := db.ListPosts(ctx, domain.PostFilter{Limit: 10})
	var betaID int64
	for _, p := range posts {
		if p.ExternalID == "b" {
			betaID = p.ID
		}
	}
	hidden := match.StatusHidden
	if _, err := db.UpdatePost(ctx, betaID, match.PostPatch{Status: &hidden}); err != nil {
		t.Fatal(err)
	}
	seqBefore, _ := db.LastChangeSeq(ctx)
	a.Offer = "Web design and SEO for dentists"
	counts, err = db.ImportPosts(ctx, inputsOf(a, b))
	if err != nil {
		t.Fatal(err)
	}
	if counts != (domain.ImportCounts{Updated: 1, Unchanged: 1}) {
		t.Errorf("re-import: %+v, want 1 updated 1 unchanged", counts)
	}
	if seq, _ := db.LastChangeSeq(ctx); seq != seqBefore+1 {
		t.Errorf("re-import logged %d changes, want 1 (unchanged posts are not rewritten)", seq-seqBefore)
	}
	beta, _ := db.Post(ctx, betaID)
	if beta.Status != match.StatusHidden {
		t.Errorf("re-import changed the host's status to %s", beta.Status)
	}
	if posts, _ := db.ListPosts(ctx, domain.PostFilter{Limit: 10}); len(posts) != 3 {
		t.Errorf("after re-import: %d posts, want 3", len(posts))
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	broken := func(yield func(match.PostInput, error) bool) {
		for i := range 50 {
			in := match.PostInput{Business: "Biz", Email: "x@y.example", Offer: "Offer text here", Seek: "Seek text here", ExternalID: fmt.Sprint(i)}
			if !yield(in, nil) {
				return
			}
		}
		yield(match.PostInput{}, errors.New("the upload was cut off"))
	}
	if _, err := db.ImportPosts(ctx, broken); err == nil {
		t.Fatal("import of a file that fails midway succeeded")
	}
	if posts, _ := db.ListPosts(ctx, domain.PostFilter{Limit: 100}); len(posts) != 0 {
		t.Errorf("a failed import left %d posts, want 0", len(posts))
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.ImportPosts(cctx, inputsOf(match.PostInput{Business: "Biz", Email: "x@y.example", Offer: "Offer text here", Seek: "Seek text here"})); err == nil {
		t.Error("import with a cancelled context succeeded")
	}
}

func TestChangeLog(t *testing.T) {
	ctx := context.Background()
	db := MustOpenStore(t)
	p1, _ := db.CreatePost(ctx, samplePost(1))
	p2, _ := db.CreatePost(ctx, samplePost(2))
	offer := "Changed offer for the test"
	db.UpdatePost(ctx, p1.ID, match.PostPatch{Offer: &offer})
	db.DeletePost(ctx, p2.ID)

	changes, err := db.PostChanges(ctx, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 4 {
		t.Fatalf("got %d changes, want 4 (2 inserts, 1 update, 1 delete)", len(changes))
	}
	for i, c := range changes {
		if c.Seq != int64(i+1) {
			t.Errorf("change %d has seq %d", i, c.Seq)
		}
	}
	if changes[3].PostID != p2.ID || changes[3].Post != nil {
		t.Errorf("last change should be the deletion of post %d with no post, got %+v", p2.ID, changes[3])
	}
	if changes[0].Post == nil || changes[0].Post.Offer != offer {
		t.Errorf("a change carries the post as it is now; got %+v", changes[0].Post)
	}
	if err := db.PruneChanges(ctx, 3); err != nil {
		t.Fatal(err)
	}
	if rest, _ := db.PostChanges(ctx, 0, 100); len(rest) != 1 || rest[0].Seq != 4 {
		t.Errorf("after pruning to 3: %+v, want only seq 4", rest)
	}
	if seq, _ := db.LastChangeSeq(ctx); seq != 4 {
		t.Errorf("LastChangeSeq = %d, want 4 even after pruning", seq)
	}
	var visited int
	seq, err := db.EachPost(ctx, func(match.Post) error { visited++; return nil })
	if err != nil || seq != 4 || visited != 1 {
		t.Errorf("EachPost: seq %d visited %d err %v; want 4, 1, nil", seq, visited, err)
	}
}

func TestReopenKeepsDataAndIdentity(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "test.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	id1, _ := db.DatabaseID(ctx)
	p, _ := db.CreatePost(ctx, samplePost(1))
	db.Close()
	db, err = store.Open(ctx, path) // migrations already applied: a no-op
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id2, _ := db.DatabaseID(ctx)
	if id1 == "" || id1 != id2 {
		t.Errorf("database id changed across reopen: %q then %q", id1, id2)
	}
	if _, err := db.Post(ctx, p.ID); err != nil {
		t.Errorf("post lost across reopen: %v", err)
	}
	if _, err := db.Setting(ctx, "nope"); !errors.Is(err, match.ErrNotFound) {
		t.Errorf("unknown setting: got %v, want not found", err)
	}
}
