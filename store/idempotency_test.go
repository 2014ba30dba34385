package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// A keyed write is claimed once; its repeats get its answer; a first
// request that never answered (the process died) frees its key after
// domain.IdempotencyRunsFor, and every key goes after a day.
func TestKeyedWrites(t *testing.T) {
	db := MustOpenStore(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
	db.SetClock(func() time.Time { return now })
	w := domain.KeyedWrite{Scope: "host", Key: "k1", Fingerprint: "f1"}

	c, err := db.ClaimWrite(ctx, w)
	if err != nil || !c.Run {
		t.Fatalf("first claim: %+v, %v; want to run", c, err)
	}
	if _, err := db.ClaimWrite(ctx, w); !errors.Is(err, match.ErrConflict) {
		t.Errorf("a repeat while the first runs: %v, want a conflict", err)
	}
	if _, err := db.ClaimWrite(ctx, domain.KeyedWrite{Scope: "host", Key: "k1", Fingerprint: "f2"}); !errors.Is(err, match.ErrInvalid) {
		t.Errorf("the key for another request: %v, want invalid", err)
	}
	if c, err := db.ClaimWrite(ctx, domain.KeyedWrite{Scope: "member:a@x.example", Key: "k1", Fingerprint: "f1"}); err != nil || !c.Run {
		t.Errorf("another caller's key of the same name: %+v, %v; want its own", c, err)
	}
	ans := domain.StoredAnswer{Status: 201, ContentType: "application/json", Body: []byte(`{"id":7}`)}
	if err := db.AnswerWrite(ctx, w, ans); err != nil {
		t.Fatal(err)
	}
	c, err = db.ClaimWrite(ctx, w)
	if err != nil || c.Run || c.Answer.Status != 201 || string(c.Answer.Body) != `{"id":7}` || c.Answer.ContentType != "application/json" {
		t.Errorf("a repeat after the answer: %+v, %v; want the answer", c, err)
	}

	// A first request that died: its key is taken again once it has run
	// too long, not before.
	dead := domain.KeyedWrite{Scope: "host", Key: "k2", Fingerprint: "f"}
	if c, _ := db.ClaimWrite(ctx, dead); !c.Run {
		t.Fatal("k2 not claimed")
	}
	now = now.Add(domain.IdempotencyRunsFor - time.Second)
	if _, err := db.ClaimWrite(ctx, dead); !errors.Is(err, match.ErrConflict) {
		t.Errorf("just before the first may have died: %v, want a conflict", err)
	}
	now = now.Add(2 * time.Second)
	if c, err := db.ClaimWrite(ctx, dead); err != nil || !c.Run {
		t.Errorf("after the first died: %+v, %v; want to run again", c, err)
	}
	// A released key (a fault of the service) runs again at once.
	if err := db.ReleaseWrite(ctx, dead); err != nil {
		t.Fatal(err)
	}
	if c, err := db.ClaimWrite(ctx, dead); err != nil || !c.Run {
		t.Errorf("after a release: %+v, %v; want to run again", c, err)
	}

	// A day on, the answered key is gone: pruned, and free again.
	now = now.Add(domain.IdempotencyKeptFor + time.Second)
	n, err := db.PruneKeyedWrites(ctx)
	if err != nil || n != 3 {
		t.Errorf("pruned %d keys (%v), want the 3 kept", n, err)
	}
	if c, err := db.ClaimWrite(ctx, w); err != nil || !c.Run {
		t.Errorf("a day later: %+v, %v; want a new write", c, err)
	}
}
