package api_test

import (
	"context"
	"testing"

	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/web"
)

func TestPagesCarrySecurityHeaders(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		method, path, ctype, body string
	}{
		{"GET", "/", "text/html; charset=utf-8", "<!doctype html><title>portal</title>"},
		{"GET", "/clerk", "text/html; charset=utf-8", "<!doctype html><title>console</title>"},
		{"GET", "/static/app.js", "text/javascript; charset=utf-8", "console.log(1)"},
		{"HEAD", "/", "text/html; charset=utf-8", "<!doctype html><title>portal</title>"},
		// The status link sent to the applicant opens the portal.
		{"GET", "/status/KB20261205XYZ", "text/html; charset=utf-8", "<!doctype html><title>portal</title>"},
		{"HEAD", "/status/KB20261205XYZ", "text/html; charset=utf-8", "<!doctype html><title>portal</title>"},
	} {
		resp := e.do(t, req{method: tt.method, path: tt.path})
		if resp.StatusCode != 200 || resp.Headers["Content-Type"] != tt.ctype || resp.Body != tt.body {
			t.Errorf("%s %s: %d %v %q", tt.method, tt.path, resp.StatusCode, resp.Headers, resp.Body)
		}
		want := map[string]string{
			"Content-Security-Policy": api.ContentSecurityPolicy,
			"X-Content-Type-Options":  "nosniff",
			"Referrer-Policy":         "no-referrer",
			"X-Frame-Options":         "DENY",
		}
		for k, v := range want {
			if resp.Headers[k] != v {
				t.Errorf("%s: %s = %q, want %q", tt.path, k, resp.Headers[k], v)
			}
		}
	}
	if api.ContentSecurityPolicy != "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'" {
		t.Error("CSP differs from the one the pages were written for")
	}
	if resp := e.do(t, req{method: "GET", path: "/static/missing.js"}); resp.StatusCode != 404 {
		t.Errorf("missing asset: %d", resp.StatusCode)
	} else {
		errorsOf(t, resp)
	}
}

func TestHealthz(t *testing.T) {
	e := newEnv(t)
	resp := e.do(t, req{method: "GET", path: "/healthz"})
	if resp.StatusCode != 200 || resp.Body != `{"status":"ok"}` || resp.Headers["Cache-Control"] != "no-store" {
		t.Fatalf("%d %v %s", resp.StatusCode, resp.Headers, resp.Body)
	}
}

func TestDepsCheck(t *testing.T) {
	e := newEnv(t)
	for name, mutate := range map[string]func(*api.Deps){
		"no store":     func(d *api.Deps) { d.Store = nil },
		"no validator": func(d *api.Deps) { d.Validator = nil },
		"no workflow":  func(d *api.Deps) { d.Workflow = nil },
		"short secret": func(d *api.Deps) { d.TokenSecret = []byte("short") },
	} {
		d := e.deps
		mutate(&d)
		if err := d.Check(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestEmbeddedPages serves every file of the real web package.
func TestEmbeddedPages(t *testing.T) {
	e := newEnv(t)
	deps := e.deps
	deps.Assets = nil // the default: web.Asset
	srv := api.NewServer(deps)
	paths := web.Paths()
	if len(paths) < 3 {
		t.Fatalf("web.Paths() = %v", paths)
	}
	for _, p := range paths {
		resp, err := srv.Handle(context.Background(), req{method: "GET", path: p}.event())
		if err != nil || resp.StatusCode != 200 || resp.Headers["Content-Security-Policy"] != api.ContentSecurityPolicy || resp.Body == "" {
			t.Errorf("GET %s: %d %v", p, resp.StatusCode, resp.Headers)
		}
	}
}
