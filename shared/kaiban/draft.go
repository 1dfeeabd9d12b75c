package kaiban

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"time"
)

// A draft is a form being filled in, saved on the server as the applicant
// types, so it can be resumed on another device from the link sent to the
// submitter. It is reachable only with its draft token (stored as its
// SHA-256), and it expires DraftTTL after its last save.
type Draft struct {
	ID        string
	TokenHash [32]byte
	// Form is the form as far as it is filled: any JSON object, not
	// validated (a draft is unfinished by definition).
	Form      json.RawMessage
	CreatedAt time.Time
	UpdatedAt time.Time
	ExpiresAt time.Time
}

// DraftTTL is how long a draft lives after its last save.
const DraftTTL = 30 * 24 * time.Hour

// MaxDraftBytes bounds a draft's form, as the submission's body is bounded.
const MaxDraftBytes = 64 << 10

// Drafts is the store part of drafts, implemented by each store beside
// kaiban.Store. A wrong token, an unknown ID and an expired draft are the
// same ErrNotFound, and tokens are compared in constant time.
type Drafts interface {
	// CreateDraft stores a new draft; an ID already taken is
	// ErrIdempotencyConflict.
	CreateDraft(ctx context.Context, d Draft) error
	// SaveDraft replaces the form of the draft whose token hashes to
	// tokenHash, sets UpdatedAt to now and ExpiresAt to now + DraftTTL,
	// and returns the draft as stored.
	SaveDraft(ctx context.Context, id string, tokenHash [32]byte, form json.RawMessage, now time.Time) (Draft, error)
	// GetDraft returns the draft if tokenHash matches and it has not
	// expired at now.
	GetDraft(ctx context.Context, id string, tokenHash [32]byte, now time.Time) (Draft, error)
}

// DraftTokenHash is the stored form of a draft token.
func DraftTokenHash(token string) [32]byte { return sha256.Sum256([]byte(token)) }

// CheckDraftForm reports why form cannot be a draft's form (ErrInput), or
// nil: it must be a JSON object of at most MaxDraftBytes.
func CheckDraftForm(form json.RawMessage) error {
	if len(form) == 0 || len(form) > MaxDraftBytes {
		return Errorf(ErrInput, "a draft is a JSON object of at most %d bytes", MaxDraftBytes)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(form, &obj); err != nil || obj == nil {
		return Errorf(ErrInput, "a draft is a JSON object")
	}
	return nil
}

// CheckDraft reports why d cannot be stored as a new draft, or nil.
func CheckDraft(d Draft) error {
	if err := CheckKey("draft id", d.ID); err != nil {
		return err
	}
	if d.CreatedAt.IsZero() || d.ExpiresAt.Before(d.CreatedAt) {
		return Errorf(ErrInput, "a draft needs its creation and expiry times")
	}
	return CheckDraftForm(d.Form)
}
