package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func TestBuildRefusesIncompleteConfiguration(t *testing.T) {
	secret := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("s", 32)))
	full := map[string]string{
		"TABLE_NAME":        "kaiban",
		"STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:onestop",
		"TOKEN_SECRET":      secret,
		"AUDIT_KEY":         secret,
		"SIGNING_KEY_ID":    "arn:aws:kms:us-east-1:123456789012:key/k",
		"KAIBAN_AGENCY_URL": "http://127.0.0.1:1",
	}
	tests := []struct {
		name  string
		unset string
		set   map[string]string
	}{
		{"no table", "TABLE_NAME", nil},
		{"no state machine", "STATE_MACHINE_ARN", nil},
		{"no token secret", "TOKEN_SECRET", nil},
		{"short token secret", "", map[string]string{"TOKEN_SECRET": base64.StdEncoding.EncodeToString([]byte("short"))}},
		{"token secret not base64", "", map[string]string{"TOKEN_SECRET": "%%%"}},
		{"PII key not base64", "", map[string]string{"PII_KEY": "%%%"}},
		{"no audit key", "AUDIT_KEY", nil},
		{"short audit key", "", map[string]string{"AUDIT_KEY": base64.StdEncoding.EncodeToString([]byte("short"))}},
		{"PII key of the wrong length", "", map[string]string{"PII_KEY": base64.StdEncoding.EncodeToString([]byte("16 bytes only!!!"))}},
		{"no signing key (the workflow waits for signatures)", "SIGNING_KEY_ID", nil},
		{"signing key without the identity agency", "KAIBAN_AGENCY_URL", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range full {
				env[k] = v
			}
			delete(env, tt.unset)
			for k, v := range tt.set {
				env[k] = v
			}
			_, err := build(context.Background(), func(k string) string { return env[k] }, io.Discard)
			if !kaiban.IsName(err, kaiban.ErrConfig) {
				t.Fatalf("err = %v, want %s", err, kaiban.ErrConfig)
			}
		})
	}
}

// TestBuildWiresTheServer builds the real function from a complete
// environment and serves requests that need no AWS call.
func TestBuildWiresTheServer(t *testing.T) {
	env := map[string]string{
		"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret",
		"TABLE_NAME":        "kaiban",
		"STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:onestop",
		"TOKEN_SECRET":      base64.StdEncoding.EncodeToString([]byte(strings.Repeat("s", 32))),
		"PII_KEY":           base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", 32))),
		"AUDIT_KEY":         base64.StdEncoding.EncodeToString([]byte(strings.Repeat("a", 32))),
		// The founders' confirmations: the KMS key and the identity agency.
		"SIGNING_KEY_ID": "arn:aws:kms:us-east-1:123456789012:key/k", "KAIBAN_AGENCY_URL": "http://127.0.0.1:1",
	}
	srv, err := build(context.Background(), func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		ev   events.APIGatewayV2HTTPRequest
		want int
	}{
		{get("/healthz"), 200},
		{get("/"), 200},
		{get("/v1/clerk/tasks"), 401},
		{events.APIGatewayV2HTTPRequest{
			RawPath: "/v1/applications/validate", Headers: map[string]string{"content-type": "application/json"}, Body: `{}`,
			RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST"}},
		}, 400}, // the validator is wired: every missing field is listed
	} {
		resp, err := srv.Handle(context.Background(), tt.ev)
		if err != nil || resp.StatusCode != tt.want {
			t.Errorf("%s %s: %d %v %s", tt.ev.RequestContext.HTTP.Method, tt.ev.RawPath, resp.StatusCode, err, resp.Body)
		}
	}
}

func get(path string) events.APIGatewayV2HTTPRequest {
	return events.APIGatewayV2HTTPRequest{
		RawPath:        path,
		RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET"}},
	}
}

// The console learns the hosted UI from CLERK_OIDC_*, and the page lets it
// reach Cognito's token endpoint.
func TestBuildTellsTheConsoleWhereClerksSignIn(t *testing.T) {
	env := map[string]string{
		"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret",
		"TABLE_NAME":        "kaiban",
		"STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:onestop",
		"TOKEN_SECRET":      base64.StdEncoding.EncodeToString([]byte(strings.Repeat("s", 32))),
		"AUDIT_KEY":         base64.StdEncoding.EncodeToString([]byte(strings.Repeat("a", 32))),
		"SIGNING_KEY_ID":    "arn:aws:kms:us-east-1:123456789012:key/k", "KAIBAN_AGENCY_URL": "http://127.0.0.1:1",
		"CLERK_OIDC_ISSUER":    "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc",
		"CLERK_OIDC_CLIENT_ID": "client123",
		"CLERK_OIDC_DOMAIN":    "https://kaiban-dev-123456789012.auth.us-east-1.amazoncognito.com",
	}
	srv, err := build(context.Background(), func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	resp, _ := srv.Handle(context.Background(), get("/v1/clerk-signin"))
	want := `{"issuer":"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_abc","clientId":"client123",` +
		`"authorizationEndpoint":"https://kaiban-dev-123456789012.auth.us-east-1.amazoncognito.com/oauth2/authorize",` +
		`"tokenEndpoint":"https://kaiban-dev-123456789012.auth.us-east-1.amazoncognito.com/oauth2/token",` +
		`"endSessionEndpoint":"https://kaiban-dev-123456789012.auth.us-east-1.amazoncognito.com/logout","endSessionStyle":"cognito","scope":"openid profile"}`
	if resp.StatusCode != 200 || resp.Body != want {
		t.Errorf("%d %s", resp.StatusCode, resp.Body)
	}
	page, _ := srv.Handle(context.Background(), get("/clerk"))
	if csp := page.Headers["Content-Security-Policy"]; !strings.Contains(csp, "connect-src 'self' https://kaiban-dev-123456789012.auth.us-east-1.amazoncognito.com;") {
		t.Errorf("CSP %q", csp)
	}
}

// With the documents' bucket configured the documents routes work on AWS:
// the well-known URL publishes the key configured (or read from KMS);
// without the bucket they answer 404; a key that is not a P-256 PEM
// refuses to start.
func TestBuildWiresTheDocuments(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
	env := map[string]string{
		"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "secret",
		"TABLE_NAME":        "kaiban",
		"STATE_MACHINE_ARN": "arn:aws:states:us-east-1:123456789012:stateMachine:onestop",
		"TOKEN_SECRET":      base64.StdEncoding.EncodeToString([]byte(strings.Repeat("s", 32))),
		"AUDIT_KEY":         base64.StdEncoding.EncodeToString([]byte(strings.Repeat("a", 32))),
		"SIGNING_KEY_ID":    "arn:aws:kms:us-east-1:123456789012:key/k", "KAIBAN_AGENCY_URL": "http://127.0.0.1:1",
		"DOCUMENTS_BUCKET": "kaiban-docs", "DOCUMENTS_PUBLIC_KEY": pemKey,
	}
	getenv := func(k string) string { return env[k] }
	srv, err := build(context.Background(), getenv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := srv.Handle(context.Background(), get("/.well-known/kaiban-documents.pem"))
	if err != nil || resp.StatusCode != 200 || !strings.Contains(resp.Body, strings.TrimSpace(strings.Split(pemKey, "\n")[1])) {
		t.Errorf("well-known key: %d %v %s", resp.StatusCode, err, resp.Body)
	}

	delete(env, "DOCUMENTS_BUCKET")
	if srv, err = build(context.Background(), getenv, io.Discard); err != nil {
		t.Fatal(err)
	}
	if resp, _ := srv.Handle(context.Background(), get("/.well-known/kaiban-documents.pem")); resp.StatusCode != 404 {
		t.Errorf("without the bucket: %d, want 404", resp.StatusCode)
	}

	env["DOCUMENTS_BUCKET"], env["DOCUMENTS_PUBLIC_KEY"] = "kaiban-docs", "not a key"
	if _, err := build(context.Background(), getenv, io.Discard); !kaiban.IsName(err, kaiban.ErrConfig) {
		t.Errorf("bad public key: %v, want %s", err, kaiban.ErrConfig)
	}
}
