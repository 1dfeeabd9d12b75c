package apigw

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// IssueDevToken signs an HS256 token for the local stack, shaped like a
// Cognito access token (sub, username, cognito:groups, client_id,
// token_use) with issuer DevIssuer and client_id DevAudience, valid from now
// for ttl. A JWTAuthorizer built with the same key and default issuer and
// audiences accepts it.
func IssueDevToken(key []byte, subject, username string, groups []string, ttl time.Duration, now time.Time) (string, error) {
	switch {
	case len(key) < MinKeyBytes:
		return "", kaiban.Errorf(kaiban.ErrConfig, "JWT key must be at least %d bytes, got %d", MinKeyBytes, len(key))
	case strings.TrimSpace(subject) == "":
		return "", kaiban.Errorf(kaiban.ErrInput, "subject is required")
	case ttl <= 0:
		return "", kaiban.Errorf(kaiban.ErrInput, "ttl must be positive")
	}
	var jti [16]byte
	if _, err := rand.Read(jti[:]); err != nil {
		return "", kaiban.Wrap(kaiban.ErrInternal, err, "cannot generate token id")
	}
	if groups == nil {
		groups = []string{}
	}
	claims := jwt.MapClaims{
		"iss":       DevIssuer,
		"client_id": DevAudience,
		"token_use": "access",
		"sub":       subject,
		"username":  username,
		GroupsClaim: groups,
		"iat":       now.Unix(),
		"auth_time": now.Unix(),
		"exp":       now.Add(ttl).Unix(),
		"jti":       base64.RawURLEncoding.EncodeToString(jti[:]),
		"scope":     "kaiban/clerk",
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
	if err != nil {
		return "", kaiban.Wrap(kaiban.ErrInternal, err, "cannot sign token")
	}
	return s, nil
}
