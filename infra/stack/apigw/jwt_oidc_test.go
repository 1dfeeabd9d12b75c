package apigw

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/kaiban/kaiban/shared/kaiban"
)

const testOIDCIssuer = "http://127.0.0.1:8080/oidc"

// TestOIDCTokens: the authorizer accepts the configured provider's access
// tokens and nothing that merely looks like one.
func TestOIDCTokens(t *testing.T) {
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	otherEC, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	devKey := []byte("0123456789abcdef0123456789abcdef")
	auth, err := NewJWTAuthorizer(JWTConfig{Key: devKey, Now: func() time.Time { return now }, OIDC: &OIDCIssuer{
		Issuer: testOIDCIssuer, Audiences: []string{"kaiban-clerk-console"},
		Keys: map[string]crypto.PublicKey{"ec1": &ecKey.PublicKey, "rsa1": &rsaKey.PublicKey},
	}})
	if err != nil {
		t.Fatal(err)
	}
	claims := func(edit func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{
			"iss": testOIDCIssuer, "sub": "u-1", "username": "clerk1", "aud": []string{"kaiban-clerk-console"},
			"client_id": "kaiban-clerk-console", "token_use": "access", "cognito:groups": []string{"clerks"},
			"iat": now.Add(-time.Minute).Unix(), "exp": now.Add(10 * time.Minute).Unix(),
		}
		if edit != nil {
			edit(c)
		}
		return c
	}
	sign := func(m jwt.SigningMethod, kid string, key any, c jwt.MapClaims) string {
		tok := jwt.NewWithClaims(m, c)
		if kid != "" {
			tok.Header["kid"] = kid
		}
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(&rsaKey.PublicKey)
	devTok, _ := IssueDevToken(devKey, "dev", "dev", []string{"clerks"}, time.Hour, now)
	cases := []struct {
		name  string
		token string
		ok    bool
	}{
		{"ES256 from the provider", sign(jwt.SigningMethodES256, "ec1", ecKey, claims(nil)), true},
		{"RS256 from the provider", sign(jwt.SigningMethodRS256, "rsa1", rsaKey, claims(nil)), true},
		{"Cognito shape: client_id, no aud", sign(jwt.SigningMethodES256, "ec1", ecKey, claims(func(c jwt.MapClaims) { delete(c, "aud") })), true},
		{"dev token still", devTok, true},
		{"forged: another key under the provider's kid", sign(jwt.SigningMethodES256, "ec1", otherEC, claims(nil)), false},
		{"forged: unknown kid", sign(jwt.SigningMethodES256, "ec9", otherEC, claims(nil)), false},
		{"forged: no kid", sign(jwt.SigningMethodES256, "", ecKey, claims(nil)), false},
		{"forged: alg none", sign(jwt.SigningMethodNone, "ec1", jwt.UnsafeAllowNoneSignatureType, claims(nil)), false},
		{"forged: HS256 keyed with the RSA public key", sign(jwt.SigningMethodHS256, "rsa1", pubDER, claims(nil)), false},
		{"forged: HS256 with the dev key but the provider's issuer", sign(jwt.SigningMethodHS256, "", devKey, claims(nil)), false},
		{"forged: RS256 header on the EC kid", sign(jwt.SigningMethodRS256, "ec1", rsaKey, claims(nil)), false},
		{"expired", sign(jwt.SigningMethodES256, "ec1", ecKey, claims(func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Second).Unix() })), false},
		{"no exp", sign(jwt.SigningMethodES256, "ec1", ecKey, claims(func(c jwt.MapClaims) { delete(c, "exp") })), false},
		{"wrong audience", sign(jwt.SigningMethodES256, "ec1", ecKey, claims(func(c jwt.MapClaims) {
			c["aud"] = []string{"another-app"}
			c["client_id"] = "another-app"
		})), false},
		{"wrong issuer", sign(jwt.SigningMethodES256, "ec1", ecKey, claims(func(c jwt.MapClaims) { c["iss"] = "http://127.0.0.1:9999/oidc" })), false},
		{"ID token, not an access token", sign(jwt.SigningMethodES256, "ec1", ecKey, claims(func(c jwt.MapClaims) { delete(c, "token_use") })), false},
		{"dev issuer on an ES256 token", sign(jwt.SigningMethodES256, "ec1", ecKey, claims(func(c jwt.MapClaims) { c["iss"] = DevIssuer })), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := auth.Authorize("Bearer " + c.token)
			if c.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if got.Claims["cognito:groups"] != "[clerks]" {
					t.Errorf("groups rendered %q", got.Claims["cognito:groups"])
				}
				return
			}
			var ke *kaiban.Error
			if err == nil || !errors.As(err, &ke) || ke.Name != kaiban.ErrUnauthorized {
				t.Fatalf("got %v, want %s", err, kaiban.ErrUnauthorized)
			}
		})
	}
}

func TestOIDCConfigErrors(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	for name, o := range map[string]*OIDCIssuer{
		"no keys":          {Issuer: testOIDCIssuer, Audiences: []string{"a"}},
		"no audience":      {Issuer: testOIDCIssuer, Keys: map[string]crypto.PublicKey{"k": &ec.PublicKey}},
		"dev issuer again": {Issuer: DevIssuer, Audiences: []string{"a"}, Keys: map[string]crypto.PublicKey{"k": &ec.PublicKey}},
	} {
		if _, err := NewJWTAuthorizer(JWTConfig{Key: key, OIDC: o}); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
