package web

import (
	"strings"
	"testing"
)

func TestAsset(t *testing.T) {
	tests := []struct {
		path     string
		ok       bool
		ctPrefix string
		contains string
	}{
		{"/", true, "text/html", `src="/static/portal.js"`},
		{"/index.html", true, "text/html", `src="/static/portal.js"`},
		{"/clerk", true, "text/html", `src="/static/clerk.js"`},
		{"/static/style.css", true, "text/css", "@media print"},
		{"/static/portal.js", true, "text/javascript", "Idempotency-Key"},
		{"/static/i18n.json", true, "application/json", `"zh-CN"`},
		{"/static/example.json", true, "application/json", `"company"`},
		{"/static/scope.json", true, "application/json", `"permitRequired"`},
		{"/static/favicon.svg", true, "image/svg+xml", "<svg"},
		{"/clerk/", false, "", ""},
		{"/clerk.html", false, "", ""},
		{"/static/", false, "", ""},
		{"/static", false, "", ""},
		{"/static/missing.js", false, "", ""},
		{"/static/../web.go", false, "", ""},
		{"/static/./style.css", false, "", ""},
		{"/static//style.css", false, "", ""},
		{"/static/%2e%2e/web.go", false, "", ""},
		{"/web.go", false, "", ""},
		{"/static/index.html/", false, "", ""},
		{"", false, "", ""},
		{"/v1/applications", false, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			body, ct, ok := Asset(tt.path)
			if ok != tt.ok {
				t.Fatalf("Asset(%q) ok = %v, want %v", tt.path, ok, tt.ok)
			}
			if !ok {
				if body != nil || ct != "" {
					t.Errorf("Asset(%q) refused but returned %d bytes, %q", tt.path, len(body), ct)
				}
				return
			}
			if !strings.HasPrefix(ct, tt.ctPrefix) {
				t.Errorf("content type %q, want %s…", ct, tt.ctPrefix)
			}
			if !strings.Contains(string(body), tt.contains) {
				t.Errorf("body of %s does not contain %q", tt.path, tt.contains)
			}
		})
	}
}

// Every path Paths lists is served, with a body, and the two pages are there.
func TestPaths(t *testing.T) {
	paths := Paths()
	for _, want := range []string{"/", "/clerk", "/static/portal.js", "/static/scope.json"} {
		if !contains(paths, want) {
			t.Errorf("Paths() lacks %s", want)
		}
	}
	for _, p := range paths {
		body, ct, ok := Asset(p)
		if !ok || len(body) == 0 || ct == "" {
			t.Errorf("Asset(%q) = %d bytes, %q, %v; Paths lists it", p, len(body), ct, ok)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Asset is on the request path of every page view; it must not copy or
// allocate per call beyond what it returns.
func BenchmarkAsset(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, ok := Asset("/static/portal.js"); !ok {
			b.Fatal("portal.js not served")
		}
	}
}
