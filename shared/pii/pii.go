// Package pii seals personal data at rest: resident ID numbers and mobile
// numbers anywhere in the one form are encrypted with AES-256-GCM before a
// store writes them and opened again when it reads them.
//
// A sealed value is the text "pii1:" followed by base64url(keyID | nonce |
// ciphertext). keyID is a 4-byte fingerprint of the key, so that opening
// with the wrong key is reported as a configuration error (Config.Invalid)
// rather than as corrupt data. The additional authenticated data binds each
// value to its application and field path, so a sealed ID number copied
// into another application or another field no longer opens
// (Store.Corrupt).
package pii

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// KeySize is the size of an AES-256 key.
const KeySize = 32

// prefix marks a sealed value and its format version.
const prefix = "pii1:"

const (
	keyIDSize = 4
	nonceSize = 12
)

// Sealer encrypts and decrypts personal data with one key. It is safe for
// concurrent use.
type Sealer struct {
	aead  cipher.AEAD
	keyID [keyIDSize]byte
}

// New returns a Sealer for a 32-byte key. A missing or wrong-length key is
// ErrConfig.
func New(key []byte) (*Sealer, error) {
	if len(key) == 0 {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "the PII encryption key is missing")
	}
	if len(key) != KeySize {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "the PII encryption key must be %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrConfig, err, "the PII encryption key is unusable")
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrConfig, err, "the PII encryption key is unusable")
	}
	s := &Sealer{aead: aead}
	sum := sha256.Sum256(append([]byte("kaiban pii key id\x00"), key...))
	copy(s.keyID[:], sum[:])
	return s, nil
}

// ParseKey decodes a key given in configuration as standard base64 (with or
// without padding). A missing, undecodable or wrong-length key is ErrConfig;
// the message never repeats the configured value.
func ParseKey(b64 string) ([]byte, error) {
	b64 = strings.TrimSpace(b64)
	if b64 == "" {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "the PII encryption key is missing")
	}
	key, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		key, err = base64.RawStdEncoding.DecodeString(b64)
	}
	if err != nil {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "the PII encryption key is not valid base64")
	}
	if len(key) != KeySize {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "the PII encryption key must be %d bytes, got %d", KeySize, len(key))
	}
	return key, nil
}

// FromBase64 is ParseKey followed by New.
func FromBase64(b64 string) (*Sealer, error) {
	key, err := ParseKey(b64)
	if err != nil {
		return nil, err
	}
	return New(key)
}

// IsSealed reports whether v has the sealed format.
func IsSealed(v string) bool { return strings.HasPrefix(v, prefix) }

// Seal encrypts plain, bound to context (typically application ID and field
// path). The empty string stays empty: there is nothing to protect and an
// absent optional field must stay absent.
func (s *Sealer) Seal(plain, context string) (string, error) {
	if plain == "" {
		return "", nil
	}
	buf := make([]byte, keyIDSize+nonceSize, keyIDSize+nonceSize+len(plain)+s.aead.Overhead())
	copy(buf, s.keyID[:])
	if _, err := rand.Read(buf[keyIDSize:]); err != nil {
		return "", kaiban.Wrap(kaiban.ErrInternal, err, "cannot seal personal data")
	}
	buf = s.aead.Seal(buf, buf[keyIDSize:], []byte(plain), []byte(context))
	return prefix + base64.RawURLEncoding.EncodeToString(buf), nil
}

// Open decrypts a value made by Seal with the same context. A value sealed
// under another key is ErrConfig; a value that is not sealed, or whose
// ciphertext or context was altered, is ErrStoreCorrupt.
func (s *Sealer) Open(sealed, context string) (string, error) {
	if sealed == "" {
		return "", nil
	}
	if !IsSealed(sealed) {
		return "", kaiban.Errorf(kaiban.ErrStoreCorrupt, "personal data is stored unsealed")
	}
	raw, err := base64.RawURLEncoding.DecodeString(sealed[len(prefix):])
	if err != nil || len(raw) < keyIDSize+nonceSize+s.aead.Overhead() {
		return "", kaiban.Errorf(kaiban.ErrStoreCorrupt, "sealed personal data is malformed")
	}
	if !bytes.Equal(raw[:keyIDSize], s.keyID[:]) {
		return "", kaiban.Errorf(kaiban.ErrConfig, "personal data was sealed with another key than the configured PII key")
	}
	nonce := raw[keyIDSize : keyIDSize+nonceSize]
	plain, err := s.aead.Open(nil, nonce, raw[keyIDSize+nonceSize:], []byte(context))
	if err != nil {
		return "", kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "sealed personal data fails authentication")
	}
	return string(plain), nil
}
