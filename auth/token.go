// Package auth holds Matchmaker's secrets handling: random tokens, their
// hashes, and constant-time comparison.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
)

// NewToken returns a new random token with 256 bits of entropy, prefixed so
// that a leaked token is recognisable (and findable by secret scanners).
func NewToken(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b) // never fails; see crypto/rand.Read
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// Hash returns the SHA-256 hex digest of a token. Tokens carry 256 random
// bits, so a fast hash is enough: there is nothing to brute-force.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Matches reports whether token hashes to hash, in constant time.
func Matches(token, hash string) bool {
	if hash == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(Hash(token)), []byte(hash)) == 1
}
