package oidcp

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// DefaultClientID is the clerk console's client id.
const DefaultClientID = "kaiban-clerk-console"

// Config says what the provider serves.
type Config struct {
	// Issuer is the provider's absolute URL, for example
	// http://127.0.0.1:8080/oidc; its path is the prefix it serves under.
	Issuer string
	// ClientID is the console's client id; "" → DefaultClientID.
	ClientID string
	// RedirectURIs are where a sign-in may return (the console), and
	// PostLogoutRedirectURIs where a sign-out may.
	RedirectURIs           []string
	PostLogoutRedirectURIs []string
	Key                    *SigningKey
	Accounts               Accounts
	// AccessTTL is the access and ID tokens' lifetime (0 → 15 minutes, so
	// the console refreshes); RefreshTTL the refresh token's, which is the
	// longest a sign-in lasts (0 → 12 hours, a working day).
	AccessTTL  time.Duration
	RefreshTTL time.Duration
	// Now is the clock of the stored sign-ins; nil → time.Now. The tokens'
	// iat and exp follow the real clock (the op package's).
	Now func() time.Time
}

// Provider is the embedded OpenID provider.
type Provider struct {
	issuer, prefix, clientID string
	key                      *SigningKey
	op                       *op.Provider
	handler                  http.Handler
	store                    *storage
}

// New builds the provider.
func New(cfg Config) (*Provider, error) {
	u, err := url.Parse(cfg.Issuer)
	if err != nil || !u.IsAbs() || u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("oidcp: the issuer must be an absolute URL without query or fragment")
	}
	if cfg.Key == nil || len(cfg.Accounts.Accounts) == 0 || len(cfg.RedirectURIs) == 0 {
		return nil, errors.New("oidcp: a key, accounts and redirect URIs are required")
	}
	if cfg.ClientID == "" {
		cfg.ClientID = DefaultClientID
	}
	if cfg.AccessTTL <= 0 {
		cfg.AccessTTL = 15 * time.Minute
	}
	if cfg.RefreshTTL <= 0 {
		cfg.RefreshTTL = 12 * time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	prefix := strings.TrimSuffix(u.Path, "/")
	p := &Provider{issuer: strings.TrimSuffix(cfg.Issuer, "/"), prefix: prefix, clientID: cfg.ClientID, key: cfg.Key}
	p.store = &storage{
		key: cfg.Key, accounts: cfg.Accounts, accessTTL: cfg.AccessTTL, refreshTTL: cfg.RefreshTTL, now: cfg.Now,
		client: &consoleClient{
			id: cfg.ClientID, redirectURIs: cfg.RedirectURIs, logoutURIs: cfg.PostLogoutRedirectURIs,
			loginURL: func(id string) string { return prefix + loginPath + "?authRequestID=" + url.QueryEscape(id) },
			idTTL:    cfg.AccessTTL,
		},
		requests: map[string]*authRequest{}, codes: map[string]string{}, refresh: map[string]*refreshToken{},
		failed: map[string]*failures{},
	}
	// The op package seals its authorization codes with this key. It
	// lives as long as the process, as the sign-ins in progress do.
	var cryptoKey [32]byte
	if _, err := rand.Read(cryptoKey[:]); err != nil {
		return nil, err
	}
	opCfg := &op.Config{
		CryptoKey:                cryptoKey,
		DefaultLogoutRedirectURI: prefix + loggedOutPath,
		CodeMethodS256:           true,
		GrantTypeRefreshToken:    true,
		SupportedUILocales:       []language.Tag{language.Chinese, language.English},
	}
	opts := []op.Option{}
	if u.Scheme == "http" {
		opts = append(opts, op.WithAllowInsecure()) // the local stack on loopback
	}
	if p.op, err = op.NewProvider(opCfg, p.store, op.StaticIssuer(p.issuer), opts...); err != nil {
		return nil, err
	}
	interceptor := op.NewIssuerInterceptor(p.op.IssuerFromRequest)
	l := &login{store: p.store, callback: op.AuthCallbackURL(p.op), prefix: prefix}
	mux := http.NewServeMux()
	mux.Handle(prefix+loginPath, interceptor.Handler(l))
	mux.HandleFunc(prefix+loggedOutPath, l.loggedOut)
	mux.Handle(prefix+"/", http.StripPrefix(prefix, p.op))
	p.handler = mux
	return p, nil
}

const (
	loginPath     = "/login"
	loggedOutPath = "/logged-out"
)

// Handler serves everything under the issuer's path.
func (p *Provider) Handler() http.Handler { return p.handler }

// Prefix is the path the provider is served under ("/oidc").
func (p *Provider) Prefix() string { return p.prefix }

// Issuer is the iss of its tokens.
func (p *Provider) Issuer() string { return p.issuer }

// ClientID is the console's client id, the client_id and aud of its
// access tokens.
func (p *Provider) ClientID() string { return p.clientID }

// Key is the signing key; its public half verifies the tokens, as the
// JWKS served at <issuer>/keys does.
func (p *Provider) Key() *SigningKey { return p.key }

// Endpoints are the URLs the console needs (those of the discovery
// document).
type Endpoints struct {
	Authorization, Token, EndSession, JWKS string
}

// Endpoints lists the provider's endpoints.
func (p *Provider) Endpoints() Endpoints {
	e := p.op.Endpoints()
	return Endpoints{
		Authorization: e.Authorization.Absolute(p.issuer),
		Token:         e.Token.Absolute(p.issuer),
		EndSession:    e.EndSession.Absolute(p.issuer),
		JWKS:          e.JwksURI.Absolute(p.issuer),
	}
}
