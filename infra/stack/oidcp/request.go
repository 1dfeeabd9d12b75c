package oidcp

import (
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// authRequest is one sign-in in progress: from /authorize through the
// login page to the code exchange.
type authRequest struct {
	id          string
	created     time.Time
	clientID    string
	redirectURI string
	state       string
	nonce       string
	scopes      []string
	uiLocales   []string
	responseTyp oidc.ResponseType
	responseMod oidc.ResponseMode
	challenge   *oidc.CodeChallenge

	subject  string
	authTime time.Time
	done     bool
}

var _ op.AuthRequest = (*authRequest)(nil)

func (a *authRequest) GetID() string         { return a.id }
func (a *authRequest) GetACR() string        { return "" }
func (a *authRequest) GetAudience() []string { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time {
	return a.authTime
}
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.challenge }
func (a *authRequest) GetNonce() string                      { return a.nonce }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseTyp }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMod }
func (a *authRequest) GetScopes() []string                   { return a.scopes }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.subject }
func (a *authRequest) Done() bool                            { return a.done }
func (a *authRequest) GetAMR() []string {
	if a.done {
		return []string{"pwd"}
	}
	return nil
}

// refreshToken is one refresh token; each use replaces it (rotation).
type refreshToken struct {
	token    string
	clientID string
	subject  string
	scopes   []string
	authTime time.Time
	expires  time.Time
}

// refreshRequest is the op package's view of a refresh token being used.
type refreshRequest struct{ *refreshToken }

var _ op.RefreshTokenRequest = refreshRequest{}

func (r refreshRequest) GetAMR() []string            { return []string{"pwd"} }
func (r refreshRequest) GetAudience() []string       { return []string{r.clientID} }
func (r refreshRequest) GetAuthTime() time.Time      { return r.authTime }
func (r refreshRequest) GetClientID() string         { return r.clientID }
func (r refreshRequest) GetScopes() []string         { return r.scopes }
func (r refreshRequest) GetSubject() string          { return r.subject }
func (r refreshRequest) SetCurrentScopes(s []string) { r.scopes = s }
