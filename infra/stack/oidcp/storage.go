package oidcp

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/google/uuid"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Claims of the access token beyond the registered ones, as Cognito names
// them.
const (
	GroupsClaim   = "cognito:groups"
	UsernameClaim = "username"
	TokenUseClaim = "token_use"
)

// Lifetimes of what the provider keeps.
const (
	authRequestTTL = 10 * time.Minute // from /authorize to the code exchange
	maxPending     = 10000            // sign-ins in progress kept at most
)

var errNotFound = errors.New("not found")

// storage is the op.Storage of the provider: accounts from the file, the
// rest in memory.
type storage struct {
	key        *SigningKey
	accounts   Accounts
	client     *consoleClient
	accessTTL  time.Duration
	refreshTTL time.Duration
	now        func() time.Time

	mu       sync.Mutex
	requests map[string]*authRequest
	codes    map[string]string // code → request id
	refresh  map[string]*refreshToken
	failed   map[string]*failures // by lower-cased username (throttle.go)
}

var _ op.Storage = (*storage)(nil)

func (s *storage) CreateAuthRequest(_ context.Context, r *oidc.AuthRequest, userID string) (op.AuthRequest, error) {
	// PKCE with S256 only: the console is a public client, and "plain"
	// would hand the verifier to anyone who sees the authorize URL.
	if r.CodeChallenge == "" || r.CodeChallengeMethod != oidc.CodeChallengeMethodS256 {
		return nil, oidc.ErrInvalidRequest().WithDescription("code_challenge with code_challenge_method S256 is required")
	}
	if len(r.Prompt) == 1 && r.Prompt[0] == oidc.PromptNone {
		return nil, oidc.ErrLoginRequired()
	}
	now := s.now()
	req := &authRequest{
		id: uuid.NewString(), created: now, clientID: r.ClientID, redirectURI: r.RedirectURI,
		state: r.State, nonce: r.Nonce, scopes: r.Scopes, responseTyp: r.ResponseType, responseMod: r.ResponseMode,
		challenge: &oidc.CodeChallenge{Challenge: r.CodeChallenge, Method: r.CodeChallengeMethod},
		subject:   userID,
	}
	for _, t := range r.UILocales {
		req.uiLocales = append(req.uiLocales, t.String())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pruneLocked(now)
	if len(s.requests) >= maxPending {
		return nil, oidc.ErrServerError().WithDescription("too many sign-ins in progress")
	}
	s.requests[req.id] = req
	return req, nil
}

// pruneLocked drops sign-ins and refresh tokens past their time.
func (s *storage) pruneLocked(now time.Time) {
	for id, r := range s.requests {
		if now.Sub(r.created) > authRequestTTL {
			delete(s.requests, id)
		}
	}
	for code, id := range s.codes {
		if _, ok := s.requests[id]; !ok {
			delete(s.codes, code)
		}
	}
	for t, r := range s.refresh {
		if now.After(r.expires) {
			delete(s.refresh, t)
		}
	}
}

func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.requests[id]
	if !ok || s.now().Sub(r.created) > authRequestTTL {
		return nil, errNotFound
	}
	return r, nil
}

func (s *storage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	id, ok := s.codes[code]
	s.mu.Unlock()
	if !ok {
		return nil, errNotFound
	}
	return s.AuthRequestByID(ctx, id)
}

func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest runs once the code is exchanged: a code works once.
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.requests, id)
	for code, rid := range s.codes {
		if rid == id {
			delete(s.codes, code)
		}
	}
	return nil
}

// login marks a sign-in done for the account with these credentials.
func (s *storage) login(id, username, password string) error {
	acc, ok := s.accounts.check(username, password)
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	r, found := s.requests[id]
	if !found || now.Sub(r.created) > authRequestTTL {
		return errNotFound
	}
	if s.lockedLocked(username, now) {
		return errLocked
	}
	s.recordLocked(username, ok, now)
	if !ok {
		return errBadCredentials
	}
	r.subject, r.authTime, r.done = acc.Subject, now, true
	return nil
}

var errBadCredentials = errors.New("wrong username or password")

func (s *storage) CreateAccessToken(_ context.Context, _ op.TokenRequest) (string, time.Time, error) {
	return uuid.NewString(), s.now().Add(s.accessTTL), nil
}

// CreateAccessAndRefreshTokens issues a new refresh token; one that was
// used is replaced, so a stolen token is good once.
func (s *storage) CreateAccessAndRefreshTokens(_ context.Context, req op.TokenRequest, current string) (string, string, time.Time, error) {
	now := s.now()
	tok, err := randomToken()
	if err != nil {
		return "", "", time.Time{}, err
	}
	rt := &refreshToken{token: tok, clientID: s.client.id, subject: req.GetSubject(), scopes: req.GetScopes(), authTime: now, expires: now.Add(s.refreshTTL)}
	if a, ok := req.(interface{ GetAuthTime() time.Time }); ok {
		rt.authTime = a.GetAuthTime()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if current != "" {
		old, ok := s.refresh[current]
		if !ok {
			return "", "", time.Time{}, op.ErrInvalidRefreshToken
		}
		delete(s.refresh, current)
		rt.authTime, rt.expires = old.authTime, old.expires // a refresh does not extend the session
	}
	s.pruneLocked(now)
	s.refresh[tok] = rt
	return uuid.NewString(), tok, now.Add(s.accessTTL), nil
}

func (s *storage) TokenRequestByRefreshToken(_ context.Context, token string) (op.RefreshTokenRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.refresh[token]
	if !ok || s.now().After(rt.expires) {
		return nil, op.ErrInvalidRefreshToken
	}
	if _, ok := s.accounts.bySubject(rt.subject); !ok {
		return nil, op.ErrInvalidRefreshToken
	}
	cp := *rt
	return refreshRequest{&cp}, nil
}

// TerminateSession is sign-out: the clerk's refresh tokens end, so the
// console cannot renew its access token.
func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t, rt := range s.refresh {
		if rt.subject == userID && rt.clientID == clientID {
			delete(s.refresh, t)
		}
	}
	return nil
}

func (s *storage) GetRefreshTokenInfo(_ context.Context, clientID, token string) (string, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.refresh[token]
	if !ok || rt.clientID != clientID {
		return "", "", op.ErrInvalidRefreshToken
	}
	return rt.subject, token, nil
}

func (s *storage) RevokeToken(_ context.Context, tokenOrID, _, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rt, ok := s.refresh[tokenOrID]; ok {
		if rt.clientID != clientID {
			return oidc.ErrInvalidClient().WithDescription("token was not issued for this client")
		}
		delete(s.refresh, tokenOrID)
	}
	// JWT access tokens are not tracked: they end at their exp.
	return nil
}

func (s *storage) SigningKey(context.Context) (op.SigningKey, error) {
	return opSigningKey{s.key}, nil
}

func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.ES256}, nil
}

func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{opPublicKey{s.key}}, nil
}

func (s *storage) GetClientByClientID(_ context.Context, id string) (op.Client, error) {
	if id != s.client.id {
		return nil, errNotFound
	}
	return s.client, nil
}

// AuthorizeClientIDSecret: the one client is public and has no secret.
func (s *storage) AuthorizeClientIDSecret(context.Context, string, string) error {
	return errors.New("no confidential clients")
}

func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token.
func (s *storage) SetUserinfoFromRequest(_ context.Context, ui *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	return s.setUserinfo(ui, req.GetSubject(), scopes)
}

func (s *storage) SetUserinfoFromToken(_ context.Context, ui *oidc.UserInfo, _, subject, _ string) error {
	return s.setUserinfo(ui, subject, []string{oidc.ScopeOpenID, oidc.ScopeProfile})
}

func (s *storage) setUserinfo(ui *oidc.UserInfo, subject string, scopes []string) error {
	acc, ok := s.accounts.bySubject(subject)
	if !ok {
		return errNotFound
	}
	for _, sc := range scopes {
		switch sc {
		case oidc.ScopeOpenID:
			ui.Subject = acc.Subject
		case oidc.ScopeProfile:
			ui.PreferredUsername = acc.Username
			ui.Name = acc.Username
		}
	}
	return nil
}

func (s *storage) SetIntrospectionFromToken(context.Context, *oidc.IntrospectionResponse, string, string, string) error {
	return errors.New("introspection is not offered")
}

// GetPrivateClaimsFromScopes adds to the access token what a Cognito
// access token carries: the username, the groups and token_use.
func (s *storage) GetPrivateClaimsFromScopes(_ context.Context, userID, _ string, _ []string) (map[string]any, error) {
	acc, ok := s.accounts.bySubject(userID)
	if !ok {
		return nil, errNotFound
	}
	groups := append([]string{}, acc.Groups...)
	return map[string]any{UsernameClaim: acc.Username, GroupsClaim: groups, TokenUseClaim: "access"}, nil
}

func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("JWT profile is not offered")
}

func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("JWT profile is not offered")
}

func (s *storage) Health(context.Context) error { return nil }

// randomToken is 32 random bytes, base64url.
func randomToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}
