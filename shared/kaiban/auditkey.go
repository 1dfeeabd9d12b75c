package kaiban

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// AuditKey is the secret the audit trail is keyed with. The chain's hashes
// and the head's signature are MACs under it, so someone who can write the
// database but does not hold the key cannot forge, truncate or re-chain a
// trail that still verifies. The key lives outside the database: a key
// file locally, Secrets Manager on AWS. Stores take an AuditKey rather
// than key bytes, so an implementation backed by a KMS HMAC key fits too.
type AuditKey interface {
	// MAC returns the HMAC-SHA256 of msg. It is safe for concurrent use.
	MAC(msg []byte) []byte
}

// MinAuditKeyBytes is the shortest secret NewAuditKey accepts.
const MinAuditKeyBytes = 32

type hmacKey struct{ secret []byte }

var _ AuditKey = hmacKey{}

// NewAuditKey returns an HMAC-SHA256 AuditKey over secret, which must have
// at least MinAuditKeyBytes bytes (ErrConfig otherwise).
func NewAuditKey(secret []byte) (AuditKey, error) {
	if len(secret) < MinAuditKeyBytes {
		return nil, Errorf(ErrConfig, "the audit key must have at least %d bytes", MinAuditKeyBytes)
	}
	return hmacKey{secret: append([]byte(nil), secret...)}, nil
}

func (k hmacKey) MAC(msg []byte) []byte {
	m := hmac.New(sha256.New, k.secret)
	m.Write(msg)
	return m.Sum(nil)
}

// RequireAuditKey is ErrConfig when a store was given no audit key: a
// trail without one could be rewritten by anyone with database access, so
// stores refuse to write or verify it.
func RequireAuditKey(k AuditKey) error {
	if k == nil {
		return Errorf(ErrConfig, "no audit key: the store cannot chain or verify the audit trail")
	}
	return nil
}

// ChainAfter is what a store does to append e after head, inside the
// write that stores both: it checks head's signature first, so a head that
// was moved back (newest events deleted) cannot be covered up by chaining
// new events after it, then chains e and returns the new, signed head. A
// head that does not verify is ErrStoreCorrupt and nothing is appended.
func ChainAfter(k AuditKey, head AuditHead, e *AuditEvent) (AuditHead, error) {
	if err := RequireAuditKey(k); err != nil {
		return AuditHead{}, err
	}
	if head.Seq != 0 || head.Hash != "" || head.MAC != "" {
		if !hmacEqual(HeadMAC(k, e.ApplicationID, head.Seq, head.Hash), head.MAC) {
			return AuditHead{}, Errorf(ErrStoreCorrupt, "the audit head of %s is not signed by the audit key: the trail was tampered with, or written under another key", e.ApplicationID)
		}
	}
	return e.Chain(k, head), nil
}

// AuditKeyFromBase64 reads an audit key as the functions get it from
// Secrets Manager: base64 (padded or not) of at least MinAuditKeyBytes
// bytes. Anything else is ErrConfig.
func AuditKeyFromBase64(v string) (AuditKey, error) {
	v = strings.TrimSpace(v)
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		if b, err = base64.RawStdEncoding.DecodeString(v); err != nil {
			return nil, Errorf(ErrConfig, "the audit key must be base64 of at least %d bytes", MinAuditKeyBytes)
		}
	}
	return NewAuditKey(b)
}
