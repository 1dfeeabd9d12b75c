package oidcp

import (
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// consoleClient is the clerk console: a public client (no secret, so PKCE
// is required) that gets JWT access tokens and refresh tokens.
type consoleClient struct {
	id           string
	redirectURIs []string
	logoutURIs   []string
	loginURL     func(id string) string
	idTTL        time.Duration
}

var _ op.Client = (*consoleClient)(nil)

func (c *consoleClient) GetID() string                       { return c.id }
func (c *consoleClient) RedirectURIs() []string              { return c.redirectURIs }
func (c *consoleClient) PostLogoutRedirectURIs() []string    { return c.logoutURIs }
func (c *consoleClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeUserAgent }
func (c *consoleClient) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodNone }
func (c *consoleClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *consoleClient) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken}
}
func (c *consoleClient) LoginURL(id string) string           { return c.loginURL(id) }
func (c *consoleClient) AccessTokenType() op.AccessTokenType { return op.AccessTokenTypeJWT }
func (c *consoleClient) IDTokenLifetime() time.Duration      { return c.idTTL }

// DevMode allows http redirect URIs: the local stack is served over
// plain HTTP on loopback.
func (c *consoleClient) DevMode() bool { return true }
func (c *consoleClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *consoleClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *consoleClient) IsScopeAllowed(string) bool           { return false }
func (c *consoleClient) IDTokenUserinfoClaimsAssertion() bool { return false }
func (c *consoleClient) ClockSkew() time.Duration             { return 0 }
