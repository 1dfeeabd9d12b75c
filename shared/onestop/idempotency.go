package onestop

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// idempotencyScopeLabel separates this use of the secret from the
// access-token seal's.
const idempotencyScopeLabel = "kaiban idempotency scope v1\x00"

// scopedIdempotencyKey is the key the store keeps for a client's
// Idempotency-Key: an HMAC, under the server secret, of the legal
// representative's ID number and the client's key. An Idempotency-Key is
// chosen by the client and proves nothing, so a key shared by two
// applicants (a fixed key in a form tool, a guessed one) must not let the
// second see the first's application: scoped to the person the
// application is for, the second caller's key is another key (their
// submission is created as usual), and only a request for the same legal
// representative can replay or conflict with it. The HMAC keeps the store
// from holding the ID number next to a key (it holds 64 hex characters,
// which CheckIdempotencyKey accepts), and nobody without the secret can
// compute another person's scoped key.
func scopedIdempotencyKey(secret []byte, form *kaiban.Form, key string) string {
	if key == "" {
		return ""
	}
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(idempotencyScopeLabel))
	// ID numbers are validated (GB 11643); the check digit X is read in
	// either case, so it is scoped in one.
	m.Write([]byte(strings.ToUpper(form.LegalRepresentative.IDNumber)))
	m.Write([]byte{0})
	m.Write([]byte(key))
	return hex.EncodeToString(m.Sum(nil))
}
