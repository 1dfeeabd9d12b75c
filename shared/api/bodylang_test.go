package api_test

import (
	"testing"
)

// TestBodyErrorsInTheRequestedLanguage: every route that reads a JSON
// body refuses an unknown field in the language the request asks for,
// as the application form does (the rating, confirmation, correction and
// clerk routes answered in Chinese whatever was asked).
func TestBodyErrorsInTheRequestedLanguage(t *testing.T) {
	e := newEnv(t)
	bearer := map[string]string{"Authorization": "Bearer not-a-real-token"}
	routes := []struct {
		name   string
		path   string
		auth   map[string]string
		claims map[string]string
	}{
		{"rating", "/v1/applications/app-1/rating", bearer, nil},
		{"correction", "/v1/applications/app-1/corrections", bearer, nil},
		{"identity", "/v1/confirmations/tok-1/identity", nil, nil},
		{"decision", "/v1/confirmations/tok-1/decision", nil, nil},
		{"clerk resolve", "/v1/clerk/tasks/task-1/resolve", nil, clerkClaims("clerk-1")},
	}
	for _, rt := range routes {
		for _, lang := range []struct {
			header string
			zh     bool
		}{{"en", false}, {"zh-CN", true}, {"", true}} {
			t.Run(rt.name+"/"+lang.header, func(t *testing.T) {
				h := jsonHeaders()
				for k, v := range rt.auth {
					h[k] = v
				}
				if lang.header != "" {
					h["Accept-Language"] = lang.header
				}
				resp := e.do(t, req{method: "POST", path: rt.path, headers: h, claims: rt.claims, body: `{"unknownField":1}`})
				if resp.StatusCode != 400 {
					t.Fatalf("status %d, want 400: %s", resp.StatusCode, resp.Body)
				}
				errs := errorsOf(t, resp)
				if len(errs) == 0 {
					t.Fatalf("no errors: %s", resp.Body)
				}
				if got := hasHan(errs[0].Message); got != lang.zh {
					t.Errorf("message %q: Chinese = %v, want %v", errs[0].Message, got, lang.zh)
				}
			})
		}
	}
}
