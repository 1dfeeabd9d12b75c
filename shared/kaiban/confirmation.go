package kaiban

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ConfirmState is where one person's confirmation stands.
type ConfirmState string

const (
	ConfirmPending  ConfirmState = "PENDING"  // the link is sent; identity not yet verified
	ConfirmVerified ConfirmState = "VERIFIED" // identity verified; not yet decided
	ConfirmSigned   ConfirmState = "SIGNED"
	ConfirmDeclined ConfirmState = "DECLINED"
)

// Decided reports whether the state is final.
func (s ConfirmState) Decided() bool { return s == ConfirmSigned || s == ConfirmDeclined }

const (
	// ConfirmWindow is how long the founders have to sign: the workflow
	// gives up after it, and every confirmation link expires with it.
	ConfirmWindow = 72 * time.Hour
	// IdentityReuse is how long one identity verification stands for the
	// same person on any application.
	IdentityReuse = 30 * 24 * time.Hour
	// MaxDeclineReason bounds a decline's reason, in characters.
	MaxDeclineReason = 500
)

// Error names of confirmations (HTTP 409: the confirmation's state does
// not allow the request).
const (
	ErrConfirmationDecided    = "Confirmation.AlreadyDecided"
	ErrConfirmationUnverified = "Confirmation.NotVerified"
)

// Confirmation is one person's part in one application: their roles, the
// hash of their personal link's token and what they have done with it.
// The person's name and contacts stay in the form (Confirmers(form)[Seq]).
type Confirmation struct {
	ApplicationID string
	Seq           int // the person's Confirmer.Seq
	// PersonKey is PersonKey(key, idNumber): the person across
	// applications, without their ID number.
	PersonKey     string
	Roles         []PersonRole
	TokenHash     [32]byte // HashToken(token); the token itself is never stored
	State         ConfirmState
	CreatedAt     time.Time
	ExpiresAt     time.Time
	VerifiedAt    *time.Time
	DecidedAt     *time.Time
	DeclineReason string
	Signature     *SignatureRecord
}

// SignatureRecord is a person's signature: Statement (canonical JSON of a
// SignedStatement) signed with the platform's key.
type SignatureRecord struct {
	Statement []byte `json:"statement"`
	Algorithm string `json:"algorithm"` // ECDSA_SHA_256 (P-256, ASN.1 DER signature)
	KeyID     string `json:"keyId"`
	Value     []byte `json:"value"`
}

// SignedStatement is what a signature binds: the person, the application,
// the documents' SHA-256, the time and how the person was identified.
type SignedStatement struct {
	Version       string           `json:"v"` // "kaiban.signature.v1"
	ApplicationID string           `json:"applicationId"`
	Person        string           `json:"person"` // PersonKey
	Roles         []ConfirmRole    `json:"roles"`
	Documents     []DocumentDigest `json:"documents"`
	SignedAt      time.Time        `json:"signedAt"`
	Method        string           `json:"method"`
}

// DocumentDigest names one document a person signs and its SHA-256 (hex).
type DocumentDigest struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// ConfirmDecision is a person's decision: sign (with the signature) or
// decline (with a reason).
type ConfirmDecision struct {
	Sign      bool
	Reason    string
	At        time.Time
	Signature *SignatureRecord
}

// IdentityVerification remembers that a person passed the identity
// check, so another application within IdentityReuse does not ask again.
type IdentityVerification struct {
	PersonKey  string
	VerifiedAt time.Time
}

// Confirmations keeps the founders' confirmations and their identity
// verifications. Every store implements it beside kaiban.Store (contract:
// shared/storetest RunConfirmationsContract).
type Confirmations interface {
	// CreateConfirmations stores an application's confirmations, all at
	// once. When the application already has confirmations nothing is
	// written and the stored ones are returned (a retried step).
	CreateConfirmations(ctx context.Context, cs []Confirmation) ([]Confirmation, error)
	// GetConfirmation returns one confirmation (ErrNotFound).
	GetConfirmation(ctx context.Context, applicationID string, seq int) (Confirmation, error)
	// ListConfirmations returns an application's confirmations by Seq.
	ListConfirmations(ctx context.Context, applicationID string) ([]Confirmation, error)
	// VerifyConfirmation moves a PENDING confirmation to VERIFIED with e
	// in the application's audit trail, in one write. A VERIFIED one is
	// returned unchanged (no event); a decided one is
	// ErrConfirmationDecided.
	VerifyConfirmation(ctx context.Context, applicationID string, seq int, at time.Time, e AuditEvent) (Confirmation, error)
	// DecideConfirmation records d on a VERIFIED confirmation with e, in
	// one conditional write: of two decisions exactly one wins, the other
	// is ErrConfirmationDecided; a PENDING one is
	// ErrConfirmationUnverified.
	DecideConfirmation(ctx context.Context, applicationID string, seq int, d ConfirmDecision, e AuditEvent) (Confirmation, error)
	// RememberIdentity records a verification; an older one than the
	// stored one changes nothing.
	RememberIdentity(ctx context.Context, v IdentityVerification) error
	// RecentIdentity returns the person's newest verification if it is
	// younger than IdentityReuse at now, else ErrNotFound.
	RecentIdentity(ctx context.Context, personKey string, now time.Time) (IdentityVerification, error)

	// SetConfirmationWaiter stores the task token of the workflow state
	// waiting for the application's signatures, replacing an earlier one.
	SetConfirmationWaiter(ctx context.Context, applicationID, taskToken string) error
	// ConfirmationWaiter returns the stored task token (ErrNotFound when
	// there is none).
	ConfirmationWaiter(ctx context.Context, applicationID string) (string, error)
	// AcceptApplication records the acceptance (受理) at at: the
	// application's deadline becomes at+DeadlineAfterSubmission, with e,
	// in one write. A finished application is ErrInput.
	AcceptApplication(ctx context.Context, applicationID string, at time.Time, e AuditEvent) error
}

// PersonKey is the keyed hash (HMAC-SHA256, hex) of a resident ID number
// that identifies a person across applications without storing the
// number: without the key it cannot be tested against guessed numbers.
func PersonKey(key []byte, idNumber string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("kaiban person v1\x00"))
	m.Write([]byte(NormalizeID(idNumber)))
	return hex.EncodeToString(m.Sum(nil))
}

// ConfirmToken returns the personal link token of confirmer seq of an
// application: "<application>.<seq>.<256 bits, base64url>". The secret
// part is an HMAC of the two under the server's token secret, so a retried
// step sends the same link; the application and seq only locate the
// confirmation, the secret part is what is checked.
func ConfirmToken(secret []byte, applicationID string, seq int) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("kaiban confirmation token v1\x00" + applicationID + "\x00" + strconv.Itoa(seq)))
	return applicationID + "." + strconv.Itoa(seq) + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// ParseConfirmToken splits a token into the application and seq it
// names; ok is false for anything ConfirmToken cannot have made.
func ParseConfirmToken(token string) (applicationID string, seq int, ok bool) {
	if len(token) > 128 {
		return "", 0, false
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || len(parts[2]) != 43 || parts[0] == "" {
		return "", 0, false
	}
	n, err := strconv.Atoi(parts[1])
	if err != nil || n < 0 || n > 10_000 || strconv.Itoa(n) != parts[1] {
		return "", 0, false
	}
	return parts[0], n, true
}

// TokenMatches compares a token with a stored hash in constant time.
func TokenMatches(token string, hash [32]byte) bool {
	h := HashToken(token)
	return subtle.ConstantTimeCompare(h[:], hash[:]) == 1
}

// CheckConfirmations refuses confirmations a store must not write: empty,
// of several applications, with duplicate or negative Seq, bad keys.
func CheckConfirmations(cs []Confirmation) error {
	if len(cs) == 0 {
		return Errorf(ErrInput, "no confirmations")
	}
	seen := map[int]bool{}
	for _, c := range cs {
		if err := CheckKey("application id", c.ApplicationID); err != nil {
			return err
		}
		switch {
		case c.ApplicationID != cs[0].ApplicationID:
			return Errorf(ErrInput, "confirmations of several applications")
		case c.Seq < 0 || seen[c.Seq]:
			return Errorf(ErrInput, "confirmation seq %d is negative or repeated", c.Seq)
		case c.PersonKey == "" || len(c.PersonKey) > 128:
			return Errorf(ErrInput, "confirmation %d has no person key", c.Seq)
		case c.State != ConfirmPending:
			return Errorf(ErrInput, "a new confirmation is PENDING")
		case len(c.Roles) == 0:
			return Errorf(ErrInput, "confirmation %d has no role", c.Seq)
		}
		seen[c.Seq] = true
	}
	return nil
}

// CheckConfirmDecision refuses a decision a store must not record.
func CheckConfirmDecision(d ConfirmDecision) error {
	switch {
	case d.At.IsZero():
		return Errorf(ErrInput, "a decision has a time")
	case d.Sign && d.Signature == nil:
		return Errorf(ErrInput, "a signature is required to sign")
	case !d.Sign && strings.TrimSpace(d.Reason) == "":
		return Errorf(ErrInput, "a reason is required to decline")
	case utf8.RuneCountInString(d.Reason) > MaxDeclineReason:
		return Errorf(ErrInput, "the reason is longer than %d characters", MaxDeclineReason)
	}
	return nil
}

// ApplyDecision returns c with d recorded, or the error a store reports
// for c's state: the one rule all stores share.
func ApplyDecision(c Confirmation, d ConfirmDecision) (Confirmation, error) {
	switch c.State {
	case ConfirmSigned, ConfirmDeclined:
		return c, Errorf(ErrConfirmationDecided, "this confirmation is already decided")
	case ConfirmPending:
		return c, Errorf(ErrConfirmationUnverified, "verify identity first")
	}
	at := d.At.UTC()
	c.DecidedAt = &at
	if d.Sign {
		c.State = ConfirmSigned
		s := *d.Signature
		s.Statement, s.Value = slices.Clone(s.Statement), slices.Clone(s.Value)
		c.Signature = &s
	} else {
		c.State, c.DeclineReason = ConfirmDeclined, d.Reason
	}
	return c, nil
}
