package oidcp

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"

	jose "github.com/go-jose/go-jose/v4"
)

// SigningKey is the provider's token-signing key (ECDSA P-256, ES256).
type SigningKey struct {
	priv *ecdsa.PrivateKey
	kid  string
}

// NewKey draws a new signing key and returns it with its PEM (PKCS #8)
// encoding, which is what the key file holds.
func NewKey() (*SigningKey, []byte, error) {
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, err
	}
	k, err := newSigningKey(priv)
	if err != nil {
		return nil, nil, err
	}
	return k, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ParseKey reads a key file written from NewKey.
func ParseKey(b []byte) (*SigningKey, error) {
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, errors.New("want a PEM PRIVATE KEY block")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	priv, ok := k.(*ecdsa.PrivateKey)
	if !ok || priv.Curve != elliptic.P256() {
		return nil, errors.New("want an ECDSA P-256 key")
	}
	return newSigningKey(priv)
}

// newSigningKey names the key by its JWK thumbprint (RFC 7638), so the
// same key always has the same kid.
func newSigningKey(priv *ecdsa.PrivateKey) (*SigningKey, error) {
	jwk := jose.JSONWebKey{Key: &priv.PublicKey}
	tp, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, err
	}
	return &SigningKey{priv: priv, kid: base64.RawURLEncoding.EncodeToString(tp)}, nil
}

// ID is the key's kid.
func (k *SigningKey) ID() string { return k.kid }

// Public is the verifying half.
func (k *SigningKey) Public() *ecdsa.PublicKey { return &k.priv.PublicKey }

// The op package's views of the key: the signer and the JWKS entry.
type opSigningKey struct{ k *SigningKey }

func (s opSigningKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (s opSigningKey) Key() any                                    { return s.k.priv }
func (s opSigningKey) ID() string                                  { return s.k.kid }

type opPublicKey struct{ k *SigningKey }

func (p opPublicKey) ID() string                         { return p.k.kid }
func (p opPublicKey) Algorithm() jose.SignatureAlgorithm { return jose.ES256 }
func (p opPublicKey) Use() string                        { return "sig" }
func (p opPublicKey) Key() any                           { return &p.k.priv.PublicKey }

var _ = sha256.New // crypto.SHA256 needs the hash linked in
