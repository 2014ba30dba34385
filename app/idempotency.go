package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/matchmaker/matchmaker/domain"
	"github.com/matchmaker/matchmaker/match"
)

// MaxIdempotencyKey is the longest Idempotency-Key taken.
const MaxIdempotencyKey = 255

// KeyedWrite names a write sent with an Idempotency-Key by who: the same
// key, caller and request (method, path with its query, body) is the same
// write sent again. Only the host and signed-in members have keys: an
// anonymous caller has no scope that is theirs alone.
func KeyedWrite(who Who, key, method, path string, body []byte) (domain.KeyedWrite, error) {
	if len(key) == 0 || len(key) > MaxIdempotencyKey {
		return domain.KeyedWrite{}, match.Invalid("the Idempotency-Key must be 1 to 255 characters", map[string]string{"Idempotency-Key": "1 to 255 characters"})
	}
	for _, r := range key {
		if r < 0x21 || r > 0x7e {
			return domain.KeyedWrite{}, match.Invalid("the Idempotency-Key may hold only visible ASCII characters", map[string]string{"Idempotency-Key": "visible ASCII only"})
		}
	}
	var scope string
	switch {
	case who.Host:
		scope = "host"
	case who.Email != "":
		scope = "member:" + who.Email
	default:
		return domain.KeyedWrite{}, match.Errorf(match.EUNAUTHORIZED, "an Idempotency-Key needs a signed-in caller")
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s %s\n", method, path)
	h.Write(body)
	return domain.KeyedWrite{Scope: scope, Key: key, Fingerprint: hex.EncodeToString(h.Sum(nil))}, nil
}

// ClaimWrite claims a keyed write: Run says the caller goes on with it;
// otherwise Answer is the answer its first request got.
func (a *App) ClaimWrite(ctx context.Context, w domain.KeyedWrite) (domain.Claim, error) {
	return a.Store.ClaimWrite(ctx, w)
}

// AnswerWrite keeps the answer of a keyed write for its repeats.
func (a *App) AnswerWrite(ctx context.Context, w domain.KeyedWrite, ans domain.StoredAnswer) error {
	return a.Store.AnswerWrite(ctx, w, ans)
}

// ReleaseWrite frees a keyed write that failed by the service's fault, so
// that its repeat runs.
func (a *App) ReleaseWrite(ctx context.Context, w domain.KeyedWrite) error {
	return a.Store.ReleaseWrite(ctx, w)
}
