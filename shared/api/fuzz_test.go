package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/stack/apigw"
)

var fuzzKey = []byte("fuzzing key that is 32 bytes lon")

// FuzzHandle drives the local adapter and every route with arbitrary
// methods, paths, queries, headers and bodies: nothing a client sends may
// produce a 5xx or a body outside the two error shapes (the API's, and
// API Gateway's own {"message"} for the authorizer).
func FuzzHandle(f *testing.F) {
	form := validForm(f)
	tok, err := apigw.IssueDevToken(fuzzKey, "clerk-1", "li", []string{"clerks"}, time.Hour, submissionTime)
	if err != nil {
		f.Fatal(err)
	}
	seeds := []struct {
		method, path, query, ctype, auth string
		body                             []byte
	}{
		{"POST", "/v1/applications", "", "application/json", "", form},
		{"POST", "/v1/applications/validate", "", "application/json", "", form},
		{"POST", "/v1/applications", "", "application/json", "", []byte(`{"company":{"name":1}}`)},
		{"GET", "/v1/applications/KB20261127AAAAAAAAAAAAAAAA", "", "", "Bearer x", nil},
		{"GET", "/v1/clerk/tasks", "status=OPEN&limit=5", "", "Bearer " + tok, nil},
		{"POST", "/v1/clerk/tasks/t/claim", "", "", "Bearer " + tok, nil},
		{"POST", "/v1/clerk/tasks/t/resolve", "", "application/json", "Bearer " + tok, []byte(`{"decision":"retry"}`)},
		{"GET", "/v1/clerk/applications/KB20261127AAAAAAAAAAAAAAAA", "", "", "Bearer " + tok, nil},
		{"GET", "/healthz", "", "", "", nil},
		{"GET", "/static/../x", "", "", "", nil},
		{"PATCH", "/", "", "image/png", "", []byte{0xff, 0}},
		{"POST", "/v1/drafts", "", "application/json", "", []byte(`{"legalRepresentative":{"mobile":"13800138000"}}`)},
		{"PUT", "/v1/drafts/DAAAA", "", "application/json", "Bearer x", []byte(`{"company":{}}`)},
		{"GET", "/v1/drafts/DAAAA", "", "", "Bearer x", nil},
		{"PUT", "/v1/drafts/DAAAA", "", "application/json", "Bearer x", []byte(`[]`)},
		{"GET", "/drafts/DAAAA", "", "", "", nil},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.query, s.ctype, s.auth, s.body)
	}
	h := apigwHandler(f, newEnv(f))

	f.Fuzz(func(t *testing.T, method, path, query, ctype, auth string, body []byte) {
		r := &http.Request{
			Method:     method,
			URL:        &url.URL{Path: path, RawQuery: query},
			Proto:      "HTTP/1.1",
			ProtoMajor: 1, ProtoMinor: 1,
			Header:     http.Header{},
			Host:       "127.0.0.1:8080",
			RemoteAddr: "127.0.0.1:9999",
			Body:       io.NopCloser(bytes.NewReader(body)),
		}
		if ctype != "" {
			r.Header.Set("Content-Type", ctype)
		}
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code >= 500 {
			t.Fatalf("%s %q %q → %d %s", method, path, query, w.Code, w.Body.String())
		}
		if w.Code >= 400 {
			var shape struct {
				Errors  []json.RawMessage `json:"errors"`
				Message string            `json:"message"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &shape); err != nil || (len(shape.Errors) == 0 && shape.Message == "") {
				t.Fatalf("%s %q → %d with body outside the error shapes: %q", method, path, w.Code, w.Body.String())
			}
		}
		if strings.Contains(w.Body.String(), taskToken) {
			t.Fatal("task token in a response")
		}
	})
}

func apigwHandler(tb testing.TB, e *env) http.Handler {
	tb.Helper()
	az, err := apigw.NewJWTAuthorizer(apigw.JWTConfig{Key: fuzzKey, Now: func() time.Time { return submissionTime }})
	if err != nil {
		tb.Fatal(err)
	}
	return apigw.NewHTTPHandler(e.srv.Handle, az, "/v1/clerk/")
}
