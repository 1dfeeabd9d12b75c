package api_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/kaiban/kaiban/infra/stack/apigw"
)

// TestOverHTTP runs the API behind the local adapter on a loopback
// server, as the local stack does, with real JWTs on the clerk routes.
func TestOverHTTP(t *testing.T) {
	e := newEnv(t)
	srv := httptest.NewServer(apigwHandler(t, e)) // listens on 127.0.0.1
	defer srv.Close()

	do := func(method, path, auth, body string) (int, string) {
		t.Helper()
		r, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if body != "" {
			r.Header.Set("Content-Type", "application/json")
		}
		if auth != "" {
			r.Header.Set("Authorization", "Bearer "+auth)
		}
		res, err := srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}

	code, body := do("POST", "/v1/applications", "", string(validForm(t)))
	if code != 202 {
		t.Fatalf("submit: %d %s", code, body)
	}
	var s submittedApp
	_ = json.Unmarshal([]byte(body), &s)
	if code, body := do("GET", s.StatusURL, s.AccessToken, ""); code != 200 || !strings.Contains(body, `"status":"SUBMITTED"`) {
		t.Fatalf("status: %d %s", code, body)
	}

	issue := func(groups []string, ttl time.Duration, now time.Time) string {
		tok, err := apigw.IssueDevToken(fuzzKey, "clerk-7", "wang.fang", groups, ttl, now)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	forged, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": apigw.DevIssuer, "client_id": apigw.DevAudience, "sub": "mallory", "cognito:groups": []string{"clerks"},
		"iat": submissionTime.Unix(), "exp": submissionTime.Add(time.Hour).Unix(),
	}).SignedString([]byte("a key the attacker made up, 32 b"))
	// Signed with the right key, but cognito:groups is a string, not the
	// array Cognito puts there: the gateway renders it as-is, and none of
	// these strings is a rendered group list.
	stringGroups := func(v string) string {
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
			"iss": apigw.DevIssuer, "client_id": apigw.DevAudience, "sub": "clerk-8", "cognito:groups": v,
			"iat": submissionTime.Unix(), "exp": submissionTime.Add(time.Hour).Unix(),
		}).SignedString(fuzzKey)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}

	for _, tt := range []struct {
		name  string
		token string
		want  int
	}{
		{"clerk", issue([]string{"clerks"}, time.Hour, submissionTime), 200},
		{"clerk among other groups", issue([]string{"admins", "clerks"}, time.Hour, submissionTime), 200},
		{"wrong group", issue([]string{"applicants"}, time.Hour, submissionTime), 403},
		{"expired", issue([]string{"clerks"}, time.Minute, submissionTime.Add(-time.Hour)), 401},
		{"forged", forged, 401},
		{"groups string x,clerks", stringGroups("x,clerks"), 403},
		{"groups string clerks", stringGroups("clerks"), 403},
		{"groups string clerks,", stringGroups("clerks,"), 403},
		{"groups string JSON literal", stringGroups(`"[clerks]"`), 403},
		{"groups string JSON array", stringGroups(`["clerks"]`), 403},
		{"none", "", 401},
	} {
		code, body := do("GET", "/v1/clerk/tasks", tt.token, "")
		if code != tt.want {
			t.Errorf("%s: %d %s", tt.name, code, body)
		}
	}
	if code, _ := do("GET", "/v1/clerk/applications/"+s.ID, issue([]string{"clerks"}, time.Hour, submissionTime), ""); code != 200 {
		t.Errorf("clerk view over HTTP: %d", code)
	}
}
