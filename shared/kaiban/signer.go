package kaiban

import "context"

// SignatureAlgorithm is the one algorithm signatures use: ECDSA on P-256
// over a SHA-256 digest, the signature ASN.1 DER encoded (what AWS KMS
// calls ECDSA_SHA_256 for an ECC_NIST_P256 key).
const SignatureAlgorithm = "ECDSA_SHA_256"

// Signer signs with the platform's key: an AWS KMS asymmetric key on AWS
// (shared/aws/kmssign), a local key file in the local stack
// (shared/signing).
type Signer interface {
	// Sign returns the DER signature of digest, a SHA-256.
	Sign(ctx context.Context, digest []byte) ([]byte, error)
	// KeyID names the key, so a signature says which key to verify with.
	KeyID() string
}
