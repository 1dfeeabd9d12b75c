// Package kmssign is the platform's signature on AWS: kaiban.Signer over
// an AWS KMS asymmetric key (key spec ECC_NIST_P256, usage SIGN_VERIFY).
// The private key never leaves KMS; the function's role needs kms:Sign on
// that key only.
package kmssign

import (
	"context"

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
