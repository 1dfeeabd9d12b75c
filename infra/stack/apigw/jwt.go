package apigw

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Defaults shared by the local authorizer and IssueDevToken, so a dev token
// is accepted by an authorizer built with a zero JWTConfig apart from Key.
const (
	DevIssuer   = "https://kaiban.local/dev-issuer"
	DevAudience = "kaiban-clerk-console"
	// MinKeyBytes is the shortest HS256 key accepted: RFC 7518 §3.2 asks
	// for a key at least as long as the hash output.
	MinKeyBytes = 32
)

// GroupsClaim is the claim Cognito puts a user's groups in.
const GroupsClaim = "cognito:groups"

// JWTConfig configures a JWTAuthorizer the way an HTTP API's JWT authorizer
// is configured: one issuer and the accepted audiences.
type JWTConfig struct {
	Key       []byte           // HS256 key, at least MinKeyBytes
	Issuer    string           // default DevIssuer
	Audiences []string         // accepted aud or client_id values; default [DevAudience]
	Now       func() time.Time // default time.Now; tests inject a clock
	Leeway    time.Duration    // clock skew allowed on exp/nbf/iat; default 0, as API Gateway
	// OIDC, when set, is the configured OpenID provider (the embedded one
	// locally, as Cognito's user pool on AWS) whose access tokens are
	// accepted beside the HS256 dev tokens.
	OIDC *OIDCIssuer
}

// OIDCIssuer is a trusted OpenID provider. Its tokens are verified with
// its published keys (ES256 or RS256, chosen by kid), its issuer, expiry,
// the audience or client_id, and token_use=access (an ID token of the same
// provider is not a credential for the API).
type OIDCIssuer struct {
	Issuer    string
	Audiences []string
	Keys      map[string]crypto.PublicKey // by kid: *ecdsa.PublicKey (ES256) or *rsa.PublicKey (RS256)
}

// JWTAuthorizer validates bearer tokens like API Gateway's JWT authorizer.
// It is safe for concurrent use.
type JWTAuthorizer struct {
	key       []byte
	issuer    string
	audiences []string
	parser    *jwt.Parser
	oidc      *oidcVerifier
}

// oidcVerifier checks the tokens of the OIDC issuer.
type oidcVerifier struct {
	keys      map[string]crypto.PublicKey
	audiences []string
	parser    *jwt.Parser
}

// NewJWTAuthorizer checks cfg and builds the authorizer. A short or missing
// key is a kaiban.ErrConfig error.
func NewJWTAuthorizer(cfg JWTConfig) (*JWTAuthorizer, error) {
	if len(cfg.Key) < MinKeyBytes {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "JWT key must be at least %d bytes, got %d", MinKeyBytes, len(cfg.Key))
	}
	if cfg.Issuer == "" {
		cfg.Issuer = DevIssuer
	}
	if len(cfg.Audiences) == 0 {
		cfg.Audiences = []string{DevAudience}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	var ov *oidcVerifier
	if o := cfg.OIDC; o != nil {
		if o.Issuer == "" || len(o.Audiences) == 0 || len(o.Keys) == 0 {
			return nil, kaiban.Errorf(kaiban.ErrConfig, "the OIDC issuer needs an issuer, audiences and keys")
		}
		if o.Issuer == cfg.Issuer {
			return nil, kaiban.Errorf(kaiban.ErrConfig, "the OIDC issuer must differ from the dev tokens' issuer")
		}
		ov = &oidcVerifier{
			keys: make(map[string]crypto.PublicKey, len(o.Keys)), audiences: append([]string(nil), o.Audiences...),
			parser: jwt.NewParser(
				jwt.WithValidMethods([]string{jwt.SigningMethodES256.Alg(), jwt.SigningMethodRS256.Alg()}),
				jwt.WithIssuer(o.Issuer),
				jwt.WithExpirationRequired(),
				jwt.WithIssuedAt(),
				jwt.WithLeeway(cfg.Leeway),
				jwt.WithTimeFunc(cfg.Now),
				jwt.WithJSONNumber(),
			),
		}
		for kid, k := range o.Keys {
			ov.keys[kid] = k
		}
	}
	return &JWTAuthorizer{
		oidc:      ov,
		key:       append([]byte(nil), cfg.Key...),
		issuer:    cfg.Issuer,
		audiences: append([]string(nil), cfg.Audiences...),
		parser: jwt.NewParser(
			// Pinning the method refuses "none" and RS/HS confusion.
			jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
			jwt.WithIssuer(cfg.Issuer),
			jwt.WithExpirationRequired(),
			jwt.WithIssuedAt(),
			jwt.WithLeeway(cfg.Leeway),
			jwt.WithTimeFunc(cfg.Now),
			// Keep numbers as written so "exp" renders as API Gateway
			// renders it ("1700000000", not "1.7e+09").
			jwt.WithJSONNumber(),
		),
	}, nil
}

// Authorize validates the value of an Authorization header ("Bearer
// <jwt>") and returns what API Gateway puts in
// requestContext.authorizer.jwt. Any failure is a kaiban.ErrUnauthorized
// error whose Message is safe to put in a WWW-Authenticate description.
func (a *JWTAuthorizer) Authorize(authorization string) (*events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription, error) {
	raw, ok := bearer(authorization)
	if !ok {
		return nil, kaiban.Errorf(kaiban.ErrUnauthorized, "missing bearer token")
	}
	claims := jwt.MapClaims{}
	// The header's alg picks the verifier, and each verifier accepts only
	// its own algorithms with its own keys: an HS256 token is checked
	// against the dev key and the dev issuer alone, an ES256/RS256 one
	// against the OIDC issuer's keys alone, so neither "none" nor a token
	// HMAC-signed with a public key passes.
	hdr, _, err := jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrUnauthorized, err, "invalid token")
	}
	audiences := a.audiences
	if alg, _ := hdr.Header["alg"].(string); alg != jwt.SigningMethodHS256.Alg() && a.oidc != nil {
		if _, err := a.oidc.parser.ParseWithClaims(raw, claims, a.oidc.keyFor); err != nil {
			return nil, kaiban.Wrap(kaiban.ErrUnauthorized, err, describe(err))
		}
		if claims["token_use"] != "access" {
			return nil, kaiban.Errorf(kaiban.ErrUnauthorized, "not an access token")
		}
		audiences = a.oidc.audiences
	} else if _, err := a.parser.ParseWithClaims(raw, claims, a.keyFor); err != nil {
		return nil, kaiban.Wrap(kaiban.ErrUnauthorized, err, describe(err))
	}
	if !audienceOK(claims, audiences) {
		return nil, kaiban.Errorf(kaiban.ErrUnauthorized, "invalid audience")
	}
	out := &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{
		Claims: make(map[string]string, len(claims)),
		Scopes: scopes(claims),
	}
	for k, v := range claims {
		out.Claims[k] = claimString(v)
	}
	return out, nil
}

func (a *JWTAuthorizer) keyFor(*jwt.Token) (any, error) { return a.key, nil }

// keyFor finds the issuer's key named by the token's kid, of the type its
// alg needs.
func (v *oidcVerifier) keyFor(t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	k, ok := v.keys[kid]
	if !ok {
		return nil, jwt.ErrTokenUnverifiable
	}
	switch k.(type) {
	case *ecdsa.PublicKey:
		if t.Method.Alg() == jwt.SigningMethodES256.Alg() {
			return k, nil
		}
	case *rsa.PublicKey:
		if t.Method.Alg() == jwt.SigningMethodRS256.Alg() {
			return k, nil
		}
	}
	return nil, jwt.ErrTokenUnverifiable
}

// audienceOK accepts a token whose aud, or (for Cognito access tokens,
// which carry no aud) client_id, is one of the accepted audiences.
func audienceOK(claims jwt.MapClaims, audiences []string) bool {
	var got []string
	switch v := claims["aud"].(type) {
	case string:
		got = append(got, v)
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				got = append(got, s)
			}
		}
	}
	if c, ok := claims["client_id"].(string); ok {
		got = append(got, c)
	}
	for _, g := range got {
		for _, want := range audiences {
			if g == want {
				return true
			}
		}
	}
	return false
}

// bearer extracts the token of a "Bearer <token>" header value.
func bearer(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// describe turns a jwt parse error into a short, fixed phrase: the raw
// error text can quote token content, which must not be echoed.
func describe(err error) string {
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return "the token has expired"
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return "the token is not valid yet"
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return "invalid issuer"
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		return "a required claim is missing"
	case errors.Is(err, jwt.ErrTokenSignatureInvalid), errors.Is(err, jwt.ErrTokenUnverifiable):
		return "invalid signature"
	default:
		return "invalid token"
	}
}

// scopes reads the OAuth scopes as API Gateway does: "scope" (space
// separated) or "scp" (a list or a space-separated string).
func scopes(claims jwt.MapClaims) []string {
	for _, name := range []string{"scope", "scp"} {
		switch v := claims[name].(type) {
		case string:
			if f := strings.Fields(v); len(f) > 0 {
				return f
			}
		case []any:
			var out []string
			for _, x := range v {
				if s, ok := x.(string); ok {
					out = append(out, s)
				}
			}
			if len(out) > 0 {
				return out
			}
		}
	}
	return nil
}

// claimString renders a claim value as API Gateway does in
// requestContext.authorizer.jwt.claims: strings as-is, numbers as written,
// lists as "[a b]", objects as JSON.
func claimString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = claimString(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	}
}
