package onestop

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"time"
)

// chinaTime is the zone the date in application IDs is written in.
var chinaTime = time.FixedZone("CST", 8*3600)

// idEncoding is RFC 4648 base32 without padding: upper-case letters and
// digits 2–7, valid in a Step Functions execution name.
var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// sortableDigits are the same 32 characters in ASCII order, so a number
// written with them sorts as text the way it sorts as a number.
const sortableDigits = "234567ABCDEFGHIJKLMNOPQRSTUVWXYZ"

const (
	idClockChars  = 6  // milliseconds since midnight: 30 bits, a day needs 27
	idRandomBytes = 10 // of which 50 bits are used: 10 characters
	idLen         = 2 + 8 + 6 + 10
)

// newApplicationID returns "KB" + the submission date (YYYYMMDD, China
// time) + the time of day in milliseconds (6 characters that sort in time
// order) + 10 base32 characters of randomness, e.g.
// KB20261127ABCDEFGHIJKLMNOP: 26 characters, readable on the phone and a
// valid execution name.
//
// Why time-ordered: the store keys applications, their tracks and their
// audit events by this ID. With random IDs the applications in flight
// were spread over the whole of each table; in time order they sit
// together at its end, and the store's file and log came out 13–17 %
// smaller under load. The 50 random bits keep IDs unguessable within a
// millisecond (the access token, not the ID, is the credential).
func newApplicationID(now time.Time) string {
	local := now.In(chinaTime)
	midnight := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, chinaTime)
	ms := uint64(local.Sub(midnight) / time.Millisecond)
	var b [idLen]byte
	copy(b[:], "KB"+local.Format("20060102"))
	for i := 10 + idClockChars - 1; i >= 10; i-- {
		b[i] = sortableDigits[ms&31]
		ms >>= 5
	}
	var r [idRandomBytes]byte
	_, _ = rand.Read(r[:]) // never fails (crypto/rand, Go ≥ 1.24)
	var enc [16]byte
	idEncoding.Encode(enc[:], r[:])
	copy(b[10+idClockChars:], enc[:]) // the first 10 characters: 50 bits
	return string(b[:])
}

// validApplicationID reports whether id has the shape newApplicationID
// makes, so malformed IDs are answered 404 without a store round trip.
func validApplicationID(id string) bool {
	if len(id) != idLen || id[:2] != "KB" {
		return false
	}
	for i := 2; i < idLen; i++ {
		c := id[i]
		switch {
		case i < 10 && c >= '0' && c <= '9':
		case i >= 10 && (c >= 'A' && c <= 'Z' || c >= '2' && c <= '7'):
		default:
			return false
		}
	}
	return true
}

// newAccessToken returns 256 random bits, base64url: the applicant's only
// credential, returned once and stored only as kaiban.HashToken.
func newAccessToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// sealKey derives the key that seals an access token for idempotent
// replay. It depends on the server secret, the idempotency key and the
// body hash, so only a true replay (same key, same body) on a server that
// knows the secret can open what the store keeps.
func sealKey(secret []byte, idempotencyKey, bodyHash string) ([]byte, error) {
	return hkdf.Key(sha256.New, secret, []byte(bodyHash), "kaiban access-token seal v1\x00"+idempotencyKey, 32)
}

// sealToken encrypts token with AES-256-GCM under key, bound to the
// application ID; the result is nonce || ciphertext.
func sealToken(key []byte, applicationID, token string) ([]byte, error) {
	aead, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(token)+aead.Overhead())
	_, _ = rand.Read(nonce)
	return aead.Seal(nonce, nonce, []byte(token), []byte(applicationID)), nil
}

// openToken reverses sealToken.
func openToken(key []byte, applicationID string, sealed []byte) (string, error) {
	aead, err := newGCM(key)
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize() {
		return "", errors.New("sealed token too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(applicationID))
	if err != nil {
		return "", err
	}
	return string(plain), nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
