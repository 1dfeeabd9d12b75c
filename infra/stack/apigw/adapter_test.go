package apigw

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/golang-jwt/jwt/v5"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// recorder is a Handler that keeps the events it got and answers resp.
type recorder struct {
	got  []events.APIGatewayV2HTTPRequest
	resp events.APIGatewayV2HTTPResponse
	err  error
}

func (r *recorder) handle(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	r.got = append(r.got, ev)
	return r.resp, r.err
}

func newTestAuthorizer(t *testing.T, now time.Time) *JWTAuthorizer {
	t.Helper()
	a, err := NewJWTAuthorizer(JWTConfig{Key: testKey, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func serve(h http.Handler, r *http.Request) *http.Response {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func TestResponseIsWrittenAsAPIGatewayWould(t *testing.T) {
	tests := []struct {
		name       string
		resp       events.APIGatewayV2HTTPResponse
		err        error
		wantStatus int
		wantBody   string
		check      func(t *testing.T, h http.Header)
	}{
		{
			name: "headers, multi-value headers and cookies",
			resp: events.APIGatewayV2HTTPResponse{
				StatusCode:        201,
				Headers:           map[string]string{"Content-Type": "text/plain", "X-One": "1"},
				MultiValueHeaders: map[string][]string{"X-Many": {"a", "b"}},
				Cookies:           []string{"a=1; Path=/", "b=2"},
				Body:              "hello",
			},
			wantStatus: 201,
			wantBody:   "hello",
			check: func(t *testing.T, h http.Header) {
				if h.Get("Content-Type") != "text/plain" || h.Get("X-One") != "1" {
					t.Errorf("headers = %v", h)
				}
				if !reflect.DeepEqual(h.Values("X-Many"), []string{"a", "b"}) {
					t.Errorf("X-Many = %v", h.Values("X-Many"))
				}
				if !reflect.DeepEqual(h.Values("Set-Cookie"), []string{"a=1; Path=/", "b=2"}) {
					t.Errorf("Set-Cookie = %v", h.Values("Set-Cookie"))
				}
			},
		},
		{
			name:       "base64 body is decoded",
			resp:       events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: base64.StdEncoding.EncodeToString([]byte{0, 1, 2}), IsBase64Encoded: true, Headers: map[string]string{"Content-Type": "application/octet-stream"}},
			wantStatus: 200,
			wantBody:   "\x00\x01\x02",
		},
		{
			name:       "missing status code means 200 and JSON",
			resp:       events.APIGatewayV2HTTPResponse{Body: `{"ok":true}`},
			wantStatus: 200,
			wantBody:   `{"ok":true}`,
			check: func(t *testing.T, h http.Header) {
				if h.Get("Content-Type") != "application/json" {
					t.Errorf("Content-Type = %q", h.Get("Content-Type"))
				}
			},
		},
		{
			name:       "handler error is API Gateway's 500",
			err:        errors.New("boom"),
			wantStatus: 500,
			wantBody:   `{"message":"Internal Server Error"}`,
		},
		{
			name:       "undecodable base64 body is a bad gateway",
			resp:       events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "!!!", IsBase64Encoded: true},
			wantStatus: 502,
			wantBody:   `{"message":"Internal Server Error"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{resp: tt.resp, err: tt.err}
			res := serve(NewHTTPHandler(rec.handle, nil), httptest.NewRequest(http.MethodGet, "/x", nil))
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.wantStatus || string(body) != tt.wantBody {
				t.Fatalf("got %d %q, want %d %q", res.StatusCode, body, tt.wantStatus, tt.wantBody)
			}
			if res.Header.Get("Apigw-Requestid") == "" {
				t.Error("no apigw-requestid header")
			}
			if tt.check != nil {
				tt.check(t, res.Header)
			}
		})
	}
}

func TestOversizeRequestIsRefusedBeforeTheHandler(t *testing.T) {
	rec := &recorder{}
	big := strings.NewReader(strings.Repeat("a", MaxRequestBytes+1))
	res := serve(NewHTTPHandler(rec.handle, nil), httptest.NewRequest(http.MethodPost, "/v1/applications", big))
	if res.StatusCode != http.StatusRequestEntityTooLarge || len(rec.got) != 0 {
		t.Fatalf("status %d, handler calls %d", res.StatusCode, len(rec.got))
	}
}

// sign makes an HS256 (or other) token with the given claims.
func sign(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestAuthorizerOnProtectedPrefixes(t *testing.T) {
	now := fixedNow
	good, err := IssueDevToken(testKey, "clerk-1", "li.lei", []string{"clerks", "admins"}, time.Hour, now)
	if err != nil {
		t.Fatal(err)
	}
	base := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": DevIssuer, "client_id": DevAudience, "sub": "c", "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	}
	// with returns base claims changed by key/value pairs; a nil value
	// deletes the claim.
	with := func(kv ...any) jwt.MapClaims {
		c := base()
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == nil {
				delete(c, kv[i].(string))
			} else {
				c[kv[i].(string)] = kv[i+1]
			}
		}
		return c
	}
	expired, _ := IssueDevToken(testKey, "c", "u", nil, time.Minute, now.Add(-2*time.Minute))
	otherKey, _ := IssueDevToken([]byte("another key that is 32 bytes lon"), "c", "u", []string{"clerks"}, time.Hour, now)
	none := sign(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, base())

	tests := []struct {
		name   string
		path   string
		header string
		want   int
	}{
		{"dev token accepted", "/v1/clerk/tasks", "Bearer " + good, 200},
		{"lower-case scheme accepted", "/v1/clerk/tasks", "bearer " + good, 200},
		{"unprotected path needs nothing", "/v1/applications", "", 200},
		{"missing header", "/v1/clerk/tasks", "", 401},
		{"not a bearer", "/v1/clerk/tasks", "Basic " + good, 401},
		{"garbage", "/v1/clerk/tasks", "Bearer not.a.jwt", 401},
		{"expired", "/v1/clerk/tasks", "Bearer " + expired, 401},
		{"signed with another key", "/v1/clerk/tasks", "Bearer " + otherKey, 401},
		{"alg none", "/v1/clerk/tasks", "Bearer " + none, 401},
		{"wrong issuer", "/v1/clerk/tasks", "Bearer " + sign(t, jwt.SigningMethodHS256, testKey, with("iss", "https://evil")), 401},
		{"wrong audience", "/v1/clerk/tasks", "Bearer " + sign(t, jwt.SigningMethodHS256, testKey, with("client_id", "other")), 401},
		{"aud instead of client_id", "/v1/clerk/tasks", "Bearer " + sign(t, jwt.SigningMethodHS256, testKey, with("client_id", nil, "aud", []string{"x", DevAudience})), 200},
		{"no exp", "/v1/clerk/tasks", "Bearer " + sign(t, jwt.SigningMethodHS256, testKey, with("exp", nil)), 401},
		{"not yet valid", "/v1/clerk/tasks", "Bearer " + sign(t, jwt.SigningMethodHS256, testKey, with("nbf", now.Add(time.Minute).Unix())), 401},
		{"issued in the future", "/v1/clerk/tasks", "Bearer " + sign(t, jwt.SigningMethodHS256, testKey, with("iat", now.Add(time.Minute).Unix())), 401},
		{"HS384 refused", "/v1/clerk/tasks", "Bearer " + sign(t, jwt.SigningMethodHS384, testKey, base()), 401},
		{"decoded path is protected too", "/v1/clerk%2Ftasks", "", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{resp: events.APIGatewayV2HTTPResponse{StatusCode: 200}}
			h := NewHTTPHandler(rec.handle, newTestAuthorizer(t, now), "/v1/clerk/")
			r := httptest.NewRequest(http.MethodGet, tt.path, nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			res := serve(h, r)
			if res.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.want)
			}
			if tt.want == 401 {
				body, _ := io.ReadAll(res.Body)
				if string(body) != `{"message":"Unauthorized"}` || len(rec.got) != 0 {
					t.Fatalf("body %q, handler calls %d", body, len(rec.got))
				}
				if !strings.HasPrefix(res.Header.Get("Www-Authenticate"), "Bearer ") {
					t.Errorf("WWW-Authenticate = %q", res.Header.Get("Www-Authenticate"))
				}
			}
		})
	}
}

func TestAuthorizerFillsClaimsAsAPIGatewayDoes(t *testing.T) {
	tok, err := IssueDevToken(testKey, "clerk-1", "li.lei", []string{"clerks", "admins"}, time.Hour, fixedNow)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{resp: events.APIGatewayV2HTTPResponse{StatusCode: 200}}
	h := NewHTTPHandler(rec.handle, newTestAuthorizer(t, fixedNow), "/v1/clerk/")
	r := httptest.NewRequest(http.MethodGet, "/v1/clerk/tasks", nil)
	r.Header.Set("Authorization", "Bearer "+tok)
	if res := serve(h, r); res.StatusCode != 200 || len(rec.got) != 1 {
		t.Fatalf("status %d, calls %d", res.StatusCode, len(rec.got))
	}
	az := rec.got[0].RequestContext.Authorizer
	if az == nil || az.JWT == nil {
		t.Fatal("no authorizer in request context")
	}
	c := az.JWT.Claims
	want := map[string]string{
		"sub": "clerk-1", "username": "li.lei", GroupsClaim: "[clerks admins]",
		"iss": DevIssuer, "client_id": DevAudience, "token_use": "access",
		"exp": strconv.FormatInt(fixedNow.Add(time.Hour).Unix(), 10), "iat": strconv.FormatInt(fixedNow.Unix(), 10),
	}
	for k, v := range want {
		if c[k] != v {
			t.Errorf("claim %s = %q, want %q", k, c[k], v)
		}
	}
	if !reflect.DeepEqual(az.JWT.Scopes, []string{"kaiban/clerk"}) {
		t.Errorf("scopes = %v", az.JWT.Scopes)
	}
	// Round trip through JSON as Lambda would deliver it.
	b, _ := json.Marshal(rec.got[0])
	if !strings.Contains(string(b), `"authorizer":{"jwt":{"claims":{`) {
		t.Errorf("event JSON lacks requestContext.authorizer.jwt.claims: %s", b)
	}
}

func TestNilAuthorizerFailsClosed(t *testing.T) {
	rec := &recorder{}
	res := serve(NewHTTPHandler(rec.handle, nil, "/v1/clerk/"), httptest.NewRequest(http.MethodGet, "/v1/clerk/tasks", nil))
	if res.StatusCode != 401 || len(rec.got) != 0 {
		t.Fatalf("status %d, calls %d", res.StatusCode, len(rec.got))
	}
}

func TestConfigErrors(t *testing.T) {
	if _, err := NewJWTAuthorizer(JWTConfig{Key: []byte("short")}); err == nil {
		t.Error("short key accepted by the authorizer")
	}
	for _, tt := range []struct {
		name string
		key  []byte
		sub  string
		ttl  time.Duration
	}{
		{"short key", []byte("short"), "s", time.Hour},
		{"no subject", testKey, " ", time.Hour},
		{"no ttl", testKey, "s", 0},
	} {
		if _, err := IssueDevToken(tt.key, tt.sub, "u", nil, tt.ttl, fixedNow); err == nil {
			t.Errorf("%s: token issued", tt.name)
		}
	}
}

func TestClaimString(t *testing.T) {
	tests := []struct {
		in   any
		want string
	}{
		{"x", "x"},
		{json.Number("1700000000"), "1700000000"},
		{true, "true"},
		{[]any{"clerks"}, "[clerks]"},
		{[]any{"a", "b"}, "[a b]"},
		{map[string]any{"k": "v"}, `{"k":"v"}`},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := claimString(tt.in); got != tt.want {
			t.Errorf("claimString(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
