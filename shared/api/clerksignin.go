package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// ClerkSignIn tells the clerk console how its clerks sign in: the OpenID
// provider (the local stack's embedded one, Cognito's hosted UI on AWS)
// and the console's client, a public one using authorization code + PKCE.
type ClerkSignIn struct {
	Issuer                string `json:"issuer"`
	ClientID              string `json:"clientId"`
	AuthorizationEndpoint string `json:"authorizationEndpoint"`
	TokenEndpoint         string `json:"tokenEndpoint"`
	// EndSessionEndpoint signs the clerk out at the provider, called as
	// EndSessionStyle says: EndSessionOIDC (RP-initiated logout:
	// id_token_hint, post_logout_redirect_uri) or EndSessionCognito
	// (Cognito's /logout: client_id, logout_uri).
	EndSessionEndpoint string `json:"endSessionEndpoint"`
	EndSessionStyle    string `json:"endSessionStyle"`
	Scope              string `json:"scope"`
}

// The two ways of signing out at a provider.
const (
	EndSessionOIDC    = "oidc"
	EndSessionCognito = "cognito"
)

// clerkSignIn answers GET /v1/clerk-signin, the console's sign-in
// configuration. It is public: it names endpoints, no secret.
func (s *Server) clerkSignIn(context.Context, *request) (events.APIGatewayV2HTTPResponse, error) {
	if s.signIn == nil {
		return events.APIGatewayV2HTTPResponse{}, kaiban.Errorf(kaiban.ErrNotFound, "clerk sign-in is not configured")
	}
	resp := jsonResponse(http.StatusOK, s.signIn)
	resp.Headers["Cache-Control"] = "no-store"
	return resp, nil
}

// pagePolicy is the pages' Content-Security-Policy: the console also
// talks to the provider's token endpoint when it is on another origin
// (Cognito's domain).
func pagePolicy(signIn *ClerkSignIn, publicBase string) string {
	if signIn == nil {
		return ContentSecurityPolicy
	}
	tok, err := url.Parse(signIn.TokenEndpoint)
	if err != nil || tok.Scheme != "https" || tok.Host == "" {
		return ContentSecurityPolicy
	}
	origin := tok.Scheme + "://" + tok.Host
	if base, err := url.Parse(publicBase); err == nil && base.Scheme+"://"+base.Host == origin {
		return ContentSecurityPolicy
	}
	return strings.Replace(ContentSecurityPolicy, "connect-src 'self'", "connect-src 'self' "+origin, 1)
}

// CognitoSignIn is the console's sign-in against a Cognito user pool's
// hosted UI: issuer https://cognito-idp.<region>.amazonaws.com/<pool>,
// domain https://<prefix>.auth.<region>.amazoncognito.com. Any of the
// three empty: nil (no sign-in configured).
func CognitoSignIn(issuer, clientID, domain string) *ClerkSignIn {
	domain = strings.TrimSuffix(domain, "/")
	if issuer == "" || clientID == "" || domain == "" {
		return nil
	}
	return &ClerkSignIn{
		Issuer: issuer, ClientID: clientID,
		AuthorizationEndpoint: domain + "/oauth2/authorize",
		TokenEndpoint:         domain + "/oauth2/token",
		EndSessionEndpoint:    domain + "/logout",
		EndSessionStyle:       EndSessionCognito,
		Scope:                 "openid profile",
	}
}
