// Package kmssign is the platform's signature on AWS: kaiban.Signer over
// an AWS KMS asymmetric key (key spec ECC_NIST_P256, usage SIGN_VERIFY).
// The private key never leaves KMS; a function's role needs kms:Sign (and,
// to publish the key, kms:GetPublicKey) on that key only.
package kmssign

import (
	"context"
	"crypto/ecdsa"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// API is what the signer needs of KMS; *Client implements it.
type API interface {
	// Sign signs a SHA-256 digest with ECDSA_SHA_256 and returns the DER
	// signature.
	Sign(ctx context.Context, keyID string, digest []byte) ([]byte, error)
	// PublicKey returns the key's public half.
	PublicKey(ctx context.Context, keyID string) (*ecdsa.PublicKey, error)
}

// Signer signs SHA-256 digests with one KMS key.
type Signer struct {
	api   API
	keyID string
}

var (
	_ kaiban.Signer = (*Signer)(nil)
	_ API           = (*Client)(nil)
)

// New returns the signer of keyID (a key ID, ARN or alias ARN).
func New(api API, keyID string) *Signer { return &Signer{api: api, keyID: keyID} }

// Sign implements kaiban.Signer: only the 32-byte digest travels to KMS,
// and the signature is DER as kaiban.SignatureAlgorithm says.
func (s *Signer) Sign(ctx context.Context, digest []byte) ([]byte, error) {
	if len(digest) != 32 {
		return nil, kaiban.Errorf(kaiban.ErrInput, "a SHA-256 digest is 32 bytes, not %d", len(digest))
	}
	sig, err := s.api.Sign(ctx, s.keyID, digest)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrAgencyUnavailable, err, "KMS did not sign")
	}
	return sig, nil
}

// KeyID implements kaiban.Signer.
func (s *Signer) KeyID() string { return s.keyID }

// PublicKey reads the public half of the P-256 signing key keyID, the
// key that verifies what its Signer signed (the caller needs
// kms:GetPublicKey on it). KMS unreachable is ErrAgencyUnavailable; a key
// of another kind is ErrConfig.
func PublicKey(ctx context.Context, api API, keyID string) (*ecdsa.PublicKey, error) {
	k, err := api.PublicKey(ctx, keyID)
	if kaiban.IsName(err, kaiban.ErrConfig) {
		return nil, err // a key of another kind: retrying will not help
	}
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrAgencyUnavailable, err, "KMS did not give the public key")
	}
	return k, nil
}
