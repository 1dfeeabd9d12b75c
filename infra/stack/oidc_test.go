package stack

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack/oidcp"
)

// oidcHarness is a stack with the embedded provider, served on 127.0.0.1.
type oidcHarness struct {
	t      *testing.T
	st     *Stack
	base   string
	client *http.Client
}

func startOIDCHarness(t *testing.T, dir string) *oidcHarness {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	st, err := Start(context.Background(), Config{DataDir: dir, Profile: sim.Instant(), WatchdogEvery: -1, OIDCIssuer: OIDCIssuerFor(base)})
	if err != nil {
		ln.Close()
		t.Fatalf("starting the stack: %v", err)
	}
	srv := httptest.NewUnstartedServer(st.Handler)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		if err := st.Close(); err != nil {
			t.Errorf("closing the stack: %v", err)
		}
	})
	return &oidcHarness{t: t, st: st, base: base,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn signs in as the console does: authorize with PKCE, the login
// page, the code exchange. It returns the access token.
func (h *oidcHarness) signIn(user, password string) string {
	h.t.Helper()
	verifier := "a-verifier-of-at-least-43-characters-0123456789"
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"client_id": {oidcp.DefaultClientID}, "response_type": {"code"}, "redirect_uri": {h.base + "/clerk"},
		"scope": {"openid profile offline_access"}, "state": {"s"}, "code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])},
		"code_challenge_method": {"S256"}}
	resp, err := h.client.Get(h.base + "/oidc/authorize?" + q.Encode())
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	resp, err = h.client.PostForm(h.base+"/oidc/login", url.Values{"authRequestID": {loc.Query().Get("authRequestID")}, "username": {user}, "password": {password}})
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	for i := 0; i < 3 && !strings.HasPrefix(resp.Header.Get("Location"), h.base+"/clerk"); i++ {
		next := resp.Header.Get("Location")
		if strings.HasPrefix(next, "/") {
			next = h.base + next
		}
		if resp, err = h.client.Get(next); err != nil {
			h.t.Fatal(err)
		}
		resp.Body.Close()
	}
	back, _ := url.Parse(resp.Header.Get("Location"))
	resp, err = h.client.PostForm(h.base+"/oidc/oauth/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {oidcp.DefaultClientID},
		"code": {back.Query().Get("code")}, "redirect_uri": {h.base + "/clerk"}, "code_verifier": {verifier}})
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || tr.AccessToken == "" {
		h.t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return tr.AccessToken
}

func (h *oidcHarness) tasks(token string) int {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.base+"/v1/clerk/tasks", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := h.client.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestClerkSignsInWithTheEmbeddedProvider: a clerk's token from the login
// page opens the clerk routes; an account outside the clerk group gets
// 403; the dev token keeps working.
func TestClerkSignsInWithTheEmbeddedProvider(t *testing.T) {
	dir := t.TempDir()
	accounts := `{"accounts":[
  {"username":"clerk1","password":"clerk1-password","sub":"11111111-1111-4111-8111-111111111111","groups":["clerks"]},
  {"username":"visitor1","password":"visitor1-password","sub":"22222222-2222-4222-8222-222222222222","groups":["visitors"]}]}`
	if err := os.WriteFile(filepath.Join(dir, ClerkAccountsFile), []byte(accounts), 0o600); err != nil {
		t.Fatal(err)
	}
	h := startOIDCHarness(t, dir)
	if h.st.ClerkAccounts.Created {
		t.Error("an existing accounts file was reported as created")
	}
	resp, err := http.Get(h.base + "/v1/clerk-signin")
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct{ Issuer, ClientID, AuthorizationEndpoint string }
	_ = json.NewDecoder(resp.Body).Decode(&cfg)
	resp.Body.Close()
	if cfg.Issuer != h.base+"/oidc" || cfg.ClientID != oidcp.DefaultClientID || cfg.AuthorizationEndpoint != h.base+"/oidc/authorize" {
		t.Errorf("console sign-in config %+v", cfg)
	}
	if got := h.tasks(h.signIn("clerk1", "clerk1-password")); got != http.StatusOK {
		t.Errorf("clerk: %d, want 200", got)
	}
	if got := h.tasks(h.signIn("visitor1", "visitor1-password")); got != http.StatusForbidden {
		t.Errorf("account outside the clerk group: %d, want 403", got)
	}
	if got := h.tasks(""); got != http.StatusUnauthorized {
		t.Errorf("no token: %d, want 401", got)
	}
}

// TestOIDCFilesAreMadeOnceAndKept: the first start makes the key and the
// accounts (0600); a restart reads the same ones.
func TestOIDCFilesAreMadeOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	h := startOIDCHarness(t, dir)
	first := h.st.ClerkAccounts
	kid := h.st.OIDC.Key().ID()
	if !first.Created || len(first.Accounts) != 3 {
		t.Fatalf("first start: %+v", first)
	}
	for _, n := range []string{oidcKeyFile, ClerkAccountsFile} {
		fi, err := os.Stat(filepath.Join(dir, n))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v %v", n, err, fi)
		}
	}
	sup := first.Accounts[2]
	if got := h.tasks(h.signIn(sup.Username, sup.Password)); got != http.StatusOK {
		t.Errorf("supervisor: %d, want 200", got)
	}
	if err := h.st.Close(); err != nil {
		t.Fatal(err)
	}
	h2 := startOIDCHarness(t, dir)
	if h2.st.ClerkAccounts.Created || h2.st.OIDC.Key().ID() != kid || h2.st.ClerkAccounts.Accounts[0].Password != first.Accounts[0].Password {
		t.Errorf("restart replaced the provider's files: %+v", h2.st.ClerkAccounts)
	}
}
