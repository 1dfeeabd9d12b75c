package stack

import (
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/kaiban/kaiban/infra/stack/oidcp"
	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// Files of the embedded OpenID provider in the data directory.
const (
	oidcKeyFile       = "oidc.key"    // ES256 signing key, PEM
	ClerkAccountsFile = "clerks.json" // the clerks' usernames, passwords and groups
)

// startOIDC assembles the embedded OpenID provider the clerk console signs
// in with. Its key and the accounts file are made on first start with the
// same exclusive create-and-link as every key, and never replaced. Like
// sign.key they protect no stored data (tokens last minutes, sessions live
// in memory), so they are also made beside existing databases.
func (s *Stack) startOIDC(cfg Config) error {
	issuer := strings.TrimSuffix(cfg.OIDCIssuer, "/")
	keyPEM, _, err := readOrCreate(cfg.DataDir, oidcKeyFile, func() ([]byte, error) {
		_, b, err := oidcp.NewKey()
		return b, err
	})
	if err != nil {
		return err
	}
	key, err := oidcp.ParseKey(keyPEM)
	if err != nil {
		return kaiban.Wrap(kaiban.ErrConfig, err, filepath.Join(cfg.DataDir, oidcKeyFile)+": "+err.Error())
	}
	accJSON, created, err := readOrCreate(cfg.DataDir, ClerkAccountsFile, func() ([]byte, error) {
		a, err := oidcp.DefaultAccounts(api.DefaultClerkGroup, kaiban.SupervisorGroup)
		return a.Marshal(), err
	})
	if err != nil {
		return err
	}
	accounts, err := oidcp.ParseAccounts(accJSON)
	if err != nil {
		return kaiban.Wrap(kaiban.ErrConfig, err, filepath.Join(cfg.DataDir, ClerkAccountsFile)+": "+err.Error())
	}
	base := strings.TrimSuffix(issuer, oidcPrefix)
	console := base + "/clerk"
	p, err := oidcp.New(oidcp.Config{
		Issuer: issuer, Key: key, Accounts: accounts,
		RedirectURIs: []string{console}, PostLogoutRedirectURIs: []string{console},
	})
	if err != nil {
		return err
	}
	s.OIDC = p
	s.ClerkAccounts = ClerkSignIn{File: filepath.Join(cfg.DataDir, ClerkAccountsFile), Created: created, Accounts: accounts.Accounts}
	return nil
}

// oidcPrefix is the path the provider is served under.
const oidcPrefix = "/oidc"

// OIDCIssuerFor is the embedded provider's issuer for a stack served at
// base (http://127.0.0.1:8080).
func OIDCIssuerFor(base string) string { return strings.TrimSuffix(base, "/") + oidcPrefix }

// ClerkSignIn says where the clerks' accounts are. Created is true on the
// start that made the file: `make run` then prints the passwords, once.
type ClerkSignIn struct {
	File     string
	Created  bool
	Accounts []oidcp.Account
}

// readOrCreate reads dir/name, or creates it (0600, exclusive) with what
// make returns; when another process made it first, theirs is read.
func readOrCreate(dir, name string, make func() ([]byte, error)) ([]byte, bool, error) {
	path := filepath.Join(dir, name)
	b, err := os.ReadFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return b, false, err
	}
	content, err := make()
	if err != nil {
		return nil, false, err
	}
	created, err := createExclusive(dir, name, content)
	if err != nil {
		return nil, false, fmt.Errorf("creating %s: %w", path, err)
	}
	if !created {
		b, err := os.ReadFile(path)
		return b, false, err
	}
	return content, true, nil
}

// withOIDC serves the provider under its prefix beside the API and pages.
func withOIDC(next http.Handler, p *oidcp.Provider) http.Handler {
	prefix := p.Prefix() + "/"
	ph := p.Handler()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, prefix) {
			ph.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// clerkSignIn is the console's sign-in configuration for the embedded
// provider.
func (s *Stack) clerkSignIn() *api.ClerkSignIn {
	e := s.OIDC.Endpoints()
	return &api.ClerkSignIn{
		Issuer: s.OIDC.Issuer(), ClientID: s.OIDC.ClientID(),
		AuthorizationEndpoint: e.Authorization, TokenEndpoint: e.Token,
		EndSessionEndpoint: e.EndSession, EndSessionStyle: api.EndSessionOIDC,
		Scope: "openid profile offline_access",
	}
}
