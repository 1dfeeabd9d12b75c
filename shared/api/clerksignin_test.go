package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/api"
)

// The console learns how to sign in from GET /v1/clerk-signin; the pages'
// CSP lets it reach a token endpoint on another origin (Cognito's domain)
// and nothing else.
func TestClerkSignInConfig(t *testing.T) {
	local := &api.ClerkSignIn{Issuer: "https://kaiban.test/oidc", ClientID: "console", AuthorizationEndpoint: "https://kaiban.test/oidc/authorize",
		TokenEndpoint: "https://kaiban.test/oidc/oauth/token", EndSessionEndpoint: "https://kaiban.test/oidc/end_session", EndSessionStyle: api.EndSessionOIDC, Scope: "openid"}
	cognito := &api.ClerkSignIn{Issuer: "https://cognito-idp.cn-north-1.amazonaws.com.cn/pool", ClientID: "abc", AuthorizationEndpoint: "https://kaiban.auth.cn-north-1.amazoncognito.com/oauth2/authorize",
		TokenEndpoint: "https://kaiban.auth.cn-north-1.amazoncognito.com/oauth2/token", EndSessionEndpoint: "https://kaiban.auth.cn-north-1.amazoncognito.com/logout", EndSessionStyle: api.EndSessionCognito, Scope: "openid"}
	cases := []struct {
		name    string
		cfg     *api.ClerkSignIn
		status  int
		wantCSP string
	}{
		{"not configured", nil, 404, api.ContentSecurityPolicy},
		{"same origin", local, 200, api.ContentSecurityPolicy},
		{"Cognito's domain", cognito, 200, strings.Replace(api.ContentSecurityPolicy, "connect-src 'self'", "connect-src 'self' https://kaiban.auth.cn-north-1.amazoncognito.com", 1)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.deps.ClerkSignIn = c.cfg
			e.srv = api.NewServer(e.deps)
			resp := e.do(t, req{method: "GET", path: "/v1/clerk-signin"})
			if resp.StatusCode != c.status {
				t.Fatalf("%d %s", resp.StatusCode, resp.Body)
			}
			if c.status == 200 {
				var got api.ClerkSignIn
				if err := json.Unmarshal([]byte(resp.Body), &got); err != nil || got != *c.cfg {
					t.Errorf("config %s", resp.Body)
				}
			} else {
				errorsOf(t, resp)
			}
			page := e.do(t, req{method: "GET", path: "/clerk"})
			if got := page.Headers["Content-Security-Policy"]; got != c.wantCSP {
				t.Errorf("CSP %q, want %q", got, c.wantCSP)
			}
		})
	}
}
