package oidcp

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// testProvider serves a provider on 127.0.0.1 with two accounts.
type testProvider struct {
	t        *testing.T
	srv      *httptest.Server
	p        *Provider
	accounts Accounts
	redirect string
	client   *http.Client
}

func newTestProvider(t *testing.T) *testProvider {
	t.Helper()
	key, _, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	accs, err := DefaultAccounts("clerks", "supervisors")
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	tp := &testProvider{t: t, srv: srv, accounts: accs, redirect: srv.URL + "/clerk"}
	tp.p, err = New(Config{Issuer: srv.URL + "/oidc", Key: key, Accounts: accs,
		RedirectURIs: []string{tp.redirect}, PostLogoutRedirectURIs: []string{tp.redirect}})
	if err != nil {
		t.Fatal(err)
	}
	h = tp.p.Handler()
	tp.client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return tp
}

func pkce(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorize starts a sign-in and returns the login page's location.
func (tp *testProvider) authorize(q url.Values) *http.Response {
	tp.t.Helper()
	resp, err := tp.client.Get(tp.p.Endpoints().Authorization + "?" + q.Encode())
	if err != nil {
		tp.t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func (tp *testProvider) authQuery(verifier string) url.Values {
	return url.Values{
		"client_id": {DefaultClientID}, "response_type": {"code"}, "redirect_uri": {tp.redirect},
		"scope": {"openid profile offline_access"}, "state": {"st-1"}, "nonce": {"n-1"},
		"code_challenge": {pkce(verifier)}, "code_challenge_method": {"S256"},
	}
}

// signIn runs authorize → login page → callback and returns the code.
func (tp *testProvider) signIn(verifier, user, password string) string {
	tp.t.Helper()
	resp := tp.authorize(tp.authQuery(verifier))
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil || loc.Path != "/oidc/login" {
		tp.t.Fatalf("authorize: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	id := loc.Query().Get("authRequestID")
	page, err := tp.client.Get(tp.srv.URL + loc.String())
	if err != nil {
		tp.t.Fatal(err)
	}
	body, _ := io.ReadAll(page.Body)
	page.Body.Close()
	if page.StatusCode != 200 || !strings.Contains(string(body), "窗口人员登录") || !strings.Contains(page.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		tp.t.Fatalf("login page: %d %s", page.StatusCode, body)
	}
	resp, err = tp.client.PostForm(tp.srv.URL+"/oidc/login", url.Values{"authRequestID": {id}, "username": {user}, "password": {password}})
	if err != nil {
		tp.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		tp.t.Fatalf("login: %d", resp.StatusCode)
	}
	for i := 0; i < 3 && !strings.HasPrefix(resp.Header.Get("Location"), tp.redirect); i++ {
		next := resp.Header.Get("Location")
		if strings.HasPrefix(next, "/") {
			next = tp.srv.URL + next
		}
		if resp, err = tp.client.Get(next); err != nil {
			tp.t.Fatal(err)
		}
		resp.Body.Close()
	}
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || back.Query().Get("state") != "st-1" || back.Query().Get("code") == "" {
		tp.t.Fatalf("callback: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	return back.Query().Get("code")
}

type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	IDToken      string `json:"id_token"`
	ExpiresIn    int    `json:"expires_in"`
	Error        string `json:"error"`
}

func (tp *testProvider) token(form url.Values) (int, tokenResponse) {
	tp.t.Helper()
	form.Set("client_id", DefaultClientID)
	resp, err := tp.client.PostForm(tp.p.Endpoints().Token, form)
	if err != nil {
		tp.t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr tokenResponse
	_ = json.NewDecoder(resp.Body).Decode(&tr)
	return resp.StatusCode, tr
}

func (tp *testProvider) claims(raw string) jwt.MapClaims {
	tp.t.Helper()
	c := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, c, func(*jwt.Token) (any, error) { return tp.p.Key().Public(), nil },
		jwt.WithValidMethods([]string{"ES256"}), jwt.WithIssuer(tp.p.Issuer()))
	if err != nil {
		tp.t.Fatalf("access token: %v", err)
	}
	return c
}

func TestCodeFlowWithPKCEGivesCognitoShapedTokens(t *testing.T) {
	tp := newTestProvider(t)
	sup := tp.accounts.Accounts[2]
	code := tp.signIn("verifier-0123456789-0123456789-0123456789", sup.Username, sup.Password)

	// The same code with a wrong verifier is refused.
	if st, _ := tp.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {tp.redirect}, "code_verifier": {"another-verifier-0123456789-0123456789"}}); st != http.StatusBadRequest {
		t.Errorf("wrong verifier: %d, want 400", st)
	}
	code = tp.signIn("verifier-0123456789-0123456789-0123456789", sup.Username, sup.Password)
	st, tr := tp.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {tp.redirect}, "code_verifier": {"verifier-0123456789-0123456789-0123456789"}})
	if st != 200 || tr.AccessToken == "" || tr.RefreshToken == "" || tr.IDToken == "" {
		t.Fatalf("token: %d %+v", st, tr)
	}
	c := tp.claims(tr.AccessToken)
	if c["sub"] != sup.Subject || c["username"] != sup.Username || c["client_id"] != DefaultClientID || c["token_use"] != "access" {
		t.Errorf("claims %v", c)
	}
	if g, _ := c["cognito:groups"].([]any); len(g) != 2 || g[0] != "clerks" || g[1] != "supervisors" {
		t.Errorf("groups %v", c["cognito:groups"])
	}
	// The code works once.
	if st, _ := tp.token(url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {tp.redirect}, "code_verifier": {"verifier-0123456789-0123456789-0123456789"}}); st != http.StatusBadRequest {
		t.Errorf("code reused: %d, want 400", st)
	}

	// Refresh gives a new access token and replaces the refresh token.
	st, tr2 := tp.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr.RefreshToken}})
	if st != 200 || tr2.AccessToken == "" || tr2.RefreshToken == "" || tr2.RefreshToken == tr.RefreshToken {
		t.Fatalf("refresh: %d %+v", st, tr2)
	}
	if c := tp.claims(tr2.AccessToken); c["sub"] != sup.Subject {
		t.Errorf("refreshed claims %v", c)
	}
	if st, _ := tp.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr.RefreshToken}}); st != http.StatusBadRequest {
		t.Errorf("used refresh token: %d, want 400", st)
	}

	// Sign-out ends the session: the refresh token no longer works.
	q := url.Values{"id_token_hint": {tr.IDToken}, "client_id": {DefaultClientID}, "post_logout_redirect_uri": {tp.redirect}}
	resp, err := tp.client.Get(tp.p.Endpoints().EndSession + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), tp.redirect) {
		t.Errorf("end session: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if st, _ := tp.token(url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tr2.RefreshToken}}); st != http.StatusBadRequest {
		t.Errorf("refresh after sign-out: %d, want 400", st)
	}
}

func TestAuthorizeRequiresS256(t *testing.T) {
	tp := newTestProvider(t)
	cases := map[string]func(url.Values){
		"no challenge": func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") },
		"plain":        func(q url.Values) { q.Set("code_challenge_method", "plain") },
		"no method":    func(q url.Values) { q.Del("code_challenge_method") },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			q := tp.authQuery("verifier-0123456789-0123456789-0123456789")
			edit(q)
			resp := tp.authorize(q)
			loc, _ := url.Parse(resp.Header.Get("Location"))
			if loc == nil || loc.Query().Get("error") != "invalid_request" || strings.HasPrefix(loc.Path, "/oidc/login") {
				t.Errorf("%d %q, want a redirect with error=invalid_request", resp.StatusCode, resp.Header.Get("Location"))
			}
		})
	}
}

func TestLoginPage(t *testing.T) {
	tp := newTestProvider(t)
	resp := tp.authorize(tp.authQuery("verifier-0123456789-0123456789-0123456789"))
	loc, _ := url.Parse(resp.Header.Get("Location"))
	id := loc.Query().Get("authRequestID")
	cases := []struct {
		name, user, password, lang string
		status                     int
		want                       string
	}{
		{"wrong password zh", "clerk1", "not-the-password", "", http.StatusUnauthorized, "用户名或密码不正确"},
		{"wrong password en", "clerk1", "not-the-password", "en", http.StatusUnauthorized, "Wrong username or password"},
		{"unknown user", "nobody", tp.accounts.Accounts[0].Password, "en", http.StatusUnauthorized, "Wrong username or password"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := tp.client.PostForm(tp.srv.URL+"/oidc/login", url.Values{"authRequestID": {id}, "username": {c.user}, "password": {c.password}, "lang": {c.lang}})
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			if r.StatusCode != c.status || !strings.Contains(string(b), c.want) || strings.Contains(string(b), c.password) {
				t.Errorf("%d %s", r.StatusCode, b)
			}
		})
	}
	r, err := tp.client.PostForm(tp.srv.URL+"/oidc/login", url.Values{"authRequestID": {"unknown"}, "username": {"clerk1"}, "password": {tp.accounts.Accounts[0].Password}})
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown sign-in: %d, want 400", r.StatusCode)
	}
}

func TestDiscoveryAndKeys(t *testing.T) {
	tp := newTestProvider(t)
	resp, err := http.Get(tp.srv.URL + "/oidc/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&d)
	resp.Body.Close()
	if d["issuer"] != tp.p.Issuer() || d["jwks_uri"] != tp.p.Endpoints().JWKS {
		t.Fatalf("discovery %v", d)
	}
	if m, _ := d["code_challenge_methods_supported"].([]any); len(m) != 1 || m[0] != "S256" {
		t.Errorf("code_challenge_methods_supported %v", d["code_challenge_methods_supported"])
	}
	resp, err = http.Get(tp.p.Endpoints().JWKS)
	if err != nil {
		t.Fatal(err)
	}
	var ks struct {
		Keys []map[string]any `json:"keys"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&ks)
	resp.Body.Close()
	if len(ks.Keys) != 1 || ks.Keys[0]["kid"] != tp.p.Key().ID() || ks.Keys[0]["alg"] != "ES256" || ks.Keys[0]["d"] != nil {
		t.Errorf("jwks %v", ks)
	}
}

func TestKeyRoundTripAndAccounts(t *testing.T) {
	k, pemBytes, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	k2, err := ParseKey(pemBytes)
	if err != nil || k2.ID() != k.ID() {
		t.Fatalf("parse: %v %s %s", err, k2.ID(), k.ID())
	}
	if _, err := ParseKey([]byte("junk")); err == nil {
		t.Error("junk key accepted")
	}
	a, _ := DefaultAccounts("clerks", "supervisors")
	b, err := ParseAccounts(a.Marshal())
	if err != nil || len(b.Accounts) != 3 || b.Accounts[0].Password != a.Accounts[0].Password {
		t.Fatalf("accounts: %v %+v", err, b)
	}
	for name, bad := range map[string]string{
		"empty":          `{"accounts":[]}`,
		"short password": `{"accounts":[{"username":"a","password":"short","sub":"s","groups":["clerks"]}]}`,
		"repeated":       `{"accounts":[{"username":"a","password":"long-enough-pw","sub":"s","groups":[]},{"username":"a","password":"long-enough-pw","sub":"t","groups":[]}]}`,
	} {
		if _, err := ParseAccounts([]byte(bad)); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
