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

// handleSeed is one request FuzzHandle starts from; want, when set, is
// the status the seed itself must get, so that the seeds that are meant
// to reach a use case (a real confirmation token, a real draft) are
// known to get past the routing and the token checks.
type handleSeed struct {
	method, path, query, ctype, auth string
	body                             []byte
	want                             int
}

// handleSeeds returns FuzzHandle's seeds and the handler they run
// against: an API with the founders' confirmations on, one submitted
// application (its four founders' links and its access token) and one
// saved draft, so that mutations start from valid token shapes and reach
// the stores instead of stopping at a 404.
func handleSeeds(tb testing.TB) ([]handleSeed, http.Handler) {
	tb.Helper()
	form := validForm(tb)
	tok, err := apigw.IssueDevToken(fuzzKey, "clerk-1", "li", []string{"clerks"}, time.Hour, submissionTime)
	if err != nil {
		tb.Fatal(err)
	}
	ce := newConfirmEnv(tb)
	resp := ce.do(tb, jsonReq("POST", "/v1/drafts", `{"legalRepresentative":{"name":"张伟","mobile":"13800138000"}}`, ""))
	var draft struct{ ID, Token string }
	if err := json.Unmarshal([]byte(resp.Body), &draft); err != nil || resp.StatusCode != 201 {
		tb.Fatalf("saving a draft: %d %s", resp.StatusCode, resp.Body)
	}
	conf := "/v1/confirmations/" + ce.tokens[1]
	unknownConf := "/v1/confirmations/KB20261127AAAAAAAAAAAAAAAA.0." + strings.Repeat("A", 43)
	seeds := []handleSeed{
		{"POST", "/v1/applications", "", "application/json", "", form, 0},
		{"POST", "/v1/applications/validate", "", "application/json", "", form, 0},
		{"POST", "/v1/applications", "", "application/json", "", []byte(`{"company":{"name":1}}`), 0},
		{"GET", "/v1/applications/KB20261127AAAAAAAAAAAAAAAA", "", "", "Bearer x", nil, 0},
		{"GET", "/v1/applications/" + ce.id, "", "", "Bearer " + ce.access, nil, 200},
		{"GET", "/v1/clerk/tasks", "status=OPEN&limit=5", "", "Bearer " + tok, nil, 0},
		{"POST", "/v1/clerk/tasks/t/claim", "", "", "Bearer " + tok, nil, 0},
		{"POST", "/v1/clerk/tasks/t/resolve", "", "application/json", "Bearer " + tok, []byte(`{"decision":"retry"}`), 0},
		{"GET", "/v1/clerk/applications/KB20261127AAAAAAAAAAAAAAAA", "", "", "Bearer " + tok, nil, 0},
		{"GET", "/healthz", "", "", "", nil, 0},
		{"GET", "/static/../x", "", "", "", nil, 0},
		{"PATCH", "/", "", "image/png", "", []byte{0xff, 0}, 0},
		{"POST", "/v1/drafts", "", "application/json", "", []byte(`{"legalRepresentative":{"mobile":"13800138000"}}`), 0},
		{"PUT", "/v1/drafts/DAAAA", "", "application/json", "Bearer x", []byte(`{"company":{}}`), 0},
		{"GET", "/v1/drafts/DAAAA", "", "", "Bearer x", nil, 0},
		{"PUT", "/v1/drafts/DAAAA", "", "application/json", "Bearer x", []byte(`[]`), 0},
		{"GET", "/drafts/DAAAA", "", "", "", nil, 0},
		// A real draft: its token opens it, and a body replaces its form.
		{"GET", "/v1/drafts/" + draft.ID, "", "", "Bearer " + draft.Token, nil, 200},
		{"PUT", "/v1/drafts/" + draft.ID, "", "application/json", "Bearer " + draft.Token, []byte(`{"company":{"name":"沈阳云启软件科技有限公司"}}`), 200},
		{"PUT", "/v1/drafts/" + draft.ID, "", "application/json", "Bearer " + draft.Token, []byte(`{"company":`), 400},
		// A founder's real link: the view, the identity check, a decision
		// before verifying (409), and a token of the right shape that
		// names nobody (404).
		{"GET", conf, "", "", "", nil, 200},
		{"POST", conf + "/decision", "", "application/json", "", []byte(`{"sign":true}`), 409},
		{"POST", conf + "/identity", "", "application/json", "", []byte(`{"liveness":{"passed":true}}`), 200},
		{"POST", "/v1/confirmations/" + ce.tokens[2] + "/decision", "", "application/json", "", []byte(`{"sign":false}`), 400},
		{"GET", unknownConf, "", "", "", nil, 404},
		{"POST", unknownConf + "/identity", "", "application/json", "", []byte(`{"liveness":{"passed":false}}`), 404},
	}
	return seeds, apigwHandler(tb, ce.env)
}

// serve sends one request through the local adapter.
func serve(h http.Handler, method, path, query, ctype, auth string, body []byte) *httptest.ResponseRecorder {
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
	return w
}

// The seeds meant to reach the confirmation and draft use cases do: a
// fuzzer that mutates them starts past the token checks.
func TestFuzzHandleSeedsReachTheUseCases(t *testing.T) {
	seeds, h := handleSeeds(t)
	deep := 0
	for _, s := range seeds {
		if s.want == 0 {
			continue
		}
		deep++
		if w := serve(h, s.method, s.path, s.query, s.ctype, s.auth, s.body); w.Code != s.want {
			t.Errorf("%s %s → %d, want %d: %s", s.method, s.path, w.Code, s.want, w.Body.String())
		}
	}
	if deep < 10 {
		t.Errorf("%d deep seeds", deep)
	}
}

// FuzzHandle drives the local adapter and every route with arbitrary
// methods, paths, queries, headers and bodies: nothing a client sends may
// produce a 5xx or a body outside the two error shapes (the API's, and
// API Gateway's own {"message"} for the authorizer).
func FuzzHandle(f *testing.F) {
	seeds, h := handleSeeds(f)
	for _, s := range seeds {
		f.Add(s.method, s.path, s.query, s.ctype, s.auth, s.body)
	}

	f.Fuzz(func(t *testing.T, method, path, query, ctype, auth string, body []byte) {
		w := serve(h, method, path, query, ctype, auth, body)
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
