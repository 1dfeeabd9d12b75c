// Package signing is the platform's signature with a key held in process
// (the local stack's key file) and the check of any kaiban signature
// record, whoever made it.
package signing

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Local signs with an ECDSA P-256 key in memory.
type Local struct {
	key *ecdsa.PrivateKey
	id  string
}

var _ kaiban.Signer = (*Local)(nil)

// NewLocal makes the signer whose private scalar is the 32 bytes of seed
// (the local stack keeps them in sign.key like its other keys). Its KeyID
// is "local:" and the first 16 hex digits of the SHA-256 of the public
// key (PKIX DER), so a rotated key gets another ID.
func NewLocal(seed []byte) (*Local, error) {
	k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), seed)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrConfig, err, "the signing key is not a P-256 private key")
	}
	der, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrConfig, err, "the signing key's public half cannot be encoded")
	}
	sum := sha256.Sum256(der)
	return &Local{key: k, id: "local:" + hex.EncodeToString(sum[:8])}, nil
}

// Sign implements kaiban.Signer.
func (l *Local) Sign(_ context.Context, digest []byte) ([]byte, error) {
	return ecdsa.SignASN1(rand.Reader, l.key, digest)
}

// KeyID implements kaiban.Signer.
func (l *Local) KeyID() string { return l.id }

// Public is the key that verifies this signer's signatures.
func (l *Local) Public() *ecdsa.PublicKey { return &l.key.PublicKey }

// Sign signs a statement: its canonical JSON is hashed with SHA-256 and
// the digest signed by s.
func Sign(ctx context.Context, s kaiban.Signer, statement []byte) (kaiban.SignatureRecord, error) {
	sum := sha256.Sum256(statement)
	sig, err := s.Sign(ctx, sum[:])
	if err != nil {
		return kaiban.SignatureRecord{}, kaiban.Wrap(kaiban.ErrAgencyUnavailable, err, "the signature could not be made; try again")
	}
	return kaiban.SignatureRecord{Statement: append([]byte(nil), statement...), Algorithm: kaiban.SignatureAlgorithm, KeyID: s.KeyID(), Value: sig}, nil
}

// Verify checks a signature record against the public key.
func Verify(pub *ecdsa.PublicKey, r kaiban.SignatureRecord) error {
	if r.Algorithm != kaiban.SignatureAlgorithm {
		return errors.New("signing: unknown algorithm " + r.Algorithm)
	}
	sum := sha256.Sum256(r.Statement)
	if !ecdsa.VerifyASN1(pub, sum[:], r.Value) {
		return errors.New("signing: the signature does not verify")
	}
	return nil
}

// NewSeed returns 32 random bytes that NewLocal accepts.
func NewSeed() ([]byte, error) {
	for {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		b, err := k.Bytes()
		if err != nil {
			return nil, err
		}
		if len(b) == 32 {
			return b, nil
		}
	}
}
