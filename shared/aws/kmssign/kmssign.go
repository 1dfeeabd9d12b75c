// Package kmssign is the platform's signature on AWS: kaiban.Signer over
// an AWS KMS asymmetric key (key spec ECC_NIST_P256, usage SIGN_VERIFY).
// The private key never leaves KMS; the function's role needs kms:Sign on
// that key only.
package kmssign

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// API is the part of the KMS client the signer uses; *kms.Client
// implements it.
type API interface {
	Sign(ctx context.Context, in *kms.SignInput, opts ...func(*kms.Options)) (*kms.SignOutput, error)
}

// Signer signs SHA-256 digests with one KMS key.
type Signer struct {
	api   API
	keyID string
}

var _ kaiban.Signer = (*Signer)(nil)

// New returns the signer of keyID (a key ID, ARN or alias ARN).
func New(api API, keyID string) *Signer { return &Signer{api: api, keyID: keyID} }

// Sign implements kaiban.Signer: KMS Sign with MessageType DIGEST, so only
// the 32-byte digest travels, and ECDSA_SHA_256, whose signature is DER
// as kaiban.SignatureAlgorithm says.
func (s *Signer) Sign(ctx context.Context, digest []byte) ([]byte, error) {
	if len(digest) != 32 {
		return nil, kaiban.Errorf(kaiban.ErrInput, "a SHA-256 digest is 32 bytes, not %d", len(digest))
	}
	out, err := s.api.Sign(ctx, &kms.SignInput{
		KeyId: aws.String(s.keyID), Message: digest, MessageType: types.MessageTypeDigest,
		SigningAlgorithm: types.SigningAlgorithmSpecEcdsaSha256,
	})
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrAgencyUnavailable, err, "KMS did not sign")
	}
	return out.Signature, nil
}

// KeyID implements kaiban.Signer.
func (s *Signer) KeyID() string { return s.keyID }

// PublicKeyAPI is the part of the KMS client PublicKey uses; *kms.Client
// implements it.
type PublicKeyAPI interface {
	GetPublicKey(ctx context.Context, in *kms.GetPublicKeyInput, opts ...func(*kms.Options)) (*kms.GetPublicKeyOutput, error)
}

// PublicKey reads the public half of the P-256 signing key keyID (KMS
// GetPublicKey; the caller needs kms:GetPublicKey on the key), the key
// that verifies what Signer signed. KMS unreachable is
// ErrAgencyUnavailable; a key of another kind is ErrConfig.
func PublicKey(ctx context.Context, api PublicKeyAPI, keyID string) (*ecdsa.PublicKey, error) {
	out, err := api.GetPublicKey(ctx, &kms.GetPublicKeyInput{KeyId: aws.String(keyID)})
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrAgencyUnavailable, err, "KMS did not give the signing key's public key")
	}
	pub, err := x509.ParsePKIXPublicKey(out.PublicKey)
	if ec, ok := pub.(*ecdsa.PublicKey); err == nil && ok && ec.Curve == elliptic.P256() {
		return ec, nil
	}
	return nil, kaiban.Errorf(kaiban.ErrConfig, "signing key %s is not an ECC_NIST_P256 key", keyID)
}
