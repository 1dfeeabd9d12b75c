package api_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// TestMalformedRequestsAnswer4xx is the table of things a client can send
// wrong. Every one answers 4xx in the error shape with the expected code;
// none answers 5xx.
func TestMalformedRequestsAnswer4xx(t *testing.T) {
	e := newEnv(t)
	mine := e.submit(t, nil, string(validForm(t)))
	theirs := e.submit(t, nil, string(validForm(t)))
	escalate(t, e, "task-open")
	form := string(validForm(t))
	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	post := func(path, body string) req {
		return req{method: "POST", path: path, headers: jsonHeaders(), body: body}
	}
	withCT := func(r req, ct string) req { r.headers = map[string]string{"Content-Type": ct}; return r }
	withKey := func(r req, k string) req { r.headers["Idempotency-Key"] = k; return r }
	clerk := func(r req, claims map[string]string) req { r.claims = claims; return r }

	tests := []struct {
		name string
		req  req
		code int
		err  string // expected code of the first error
	}{
		{"broken JSON", post("/v1/applications", `{"company":`), 400, ""},
		{"JSON array", post("/v1/applications", `[]`), 400, ""},
		{"trailing data", post("/v1/applications", form+`{}`), 400, ""},
		{"unknown field", post("/v1/applications", `{"company":{},"hacker":1}`), 400, ""},
		{"wrong type", post("/v1/applications", `{"company":{"registeredCapital":"lots"}}`), 400, ""},
		{"empty body", post("/v1/applications", ``), 400, kaiban.ErrMalformed},
		{"empty object", post("/v1/applications", `{}`), 400, ""},
		{"invalid UTF-8", post("/v1/applications", "{\"company\":{\"name\":\"\xff\"}}"), 400, ""},
		{"huge body", post("/v1/applications", `{"company":{"name":"`+strings.Repeat("公", 30000)+`"}}`), 413, kaiban.ErrTooLarge},
		{"huge base64 body", req{method: "POST", path: "/v1/applications", headers: jsonHeaders(), body: base64.StdEncoding.EncodeToString(make([]byte, 70000)), b64: true}, 413, kaiban.ErrTooLarge},
		{"bad base64", req{method: "POST", path: "/v1/applications", headers: jsonHeaders(), body: "%%%", b64: true}, 400, kaiban.ErrMalformed},
		{"text/plain", withCT(post("/v1/applications", form), "text/plain"), 415, kaiban.ErrUnsupportedMedia},
		{"no content type", withCT(post("/v1/applications", form), ""), 415, kaiban.ErrUnsupportedMedia},
		{"form-encoded", withCT(post("/v1/applications", "a=b"), "application/x-www-form-urlencoded"), 415, kaiban.ErrUnsupportedMedia},
		{"latin1 charset", withCT(post("/v1/applications", form), "application/json; charset=latin1"), 415, kaiban.ErrUnsupportedMedia},
		{"garbage content type", withCT(post("/v1/applications", form), ";;;"), 415, kaiban.ErrUnsupportedMedia},
		{"idempotency key too long", withKey(post("/v1/applications", form), strings.Repeat("k", 129)), 400, "malformed"},
		{"idempotency key not ASCII", withKey(post("/v1/applications", form), "键"), 400, "malformed"},
		{"validate: broken JSON", post("/v1/applications/validate", `{`), 400, ""},
		{"validate: wrong type", withCT(post("/v1/applications/validate", form), "text/html"), 415, kaiban.ErrUnsupportedMedia},

		{"status without token", req{method: "GET", path: mine.StatusURL}, 401, kaiban.ErrUnauthorized},
		{"status with Basic auth", req{method: "GET", path: mine.StatusURL, headers: map[string]string{"Authorization": "Basic YTpi"}}, 401, kaiban.ErrUnauthorized},
		{"status with wrong token", req{method: "GET", path: mine.StatusURL, headers: bearer("wrong")}, 404, kaiban.ErrNotFound},
		{"someone else's application", req{method: "GET", path: theirs.StatusURL, headers: bearer(mine.AccessToken)}, 404, kaiban.ErrNotFound},
		{"unknown application", req{method: "GET", path: "/v1/applications/KB20261127AAAAAAAAAAAAAAAA", headers: bearer(mine.AccessToken)}, 404, kaiban.ErrNotFound},
		{"malformed id", req{method: "GET", path: "/v1/applications/../../etc", headers: bearer(mine.AccessToken)}, 404, kaiban.ErrNotFound},
		{"huge id", req{method: "GET", path: "/v1/applications/" + strings.Repeat("A", 5000), headers: bearer(mine.AccessToken)}, 404, kaiban.ErrNotFound},
		{"control characters in id", req{method: "GET", path: "/v1/applications/KB\x00\n", headers: bearer(mine.AccessToken)}, 404, kaiban.ErrNotFound},

		{"unknown route", req{method: "GET", path: "/v2/anything"}, 404, kaiban.ErrNotFound},
		{"double slash", req{method: "GET", path: "//v1//applications"}, 404, kaiban.ErrNotFound},
		{"wrong method", req{method: "DELETE", path: "/v1/applications"}, 405, "Request.MethodNotAllowed"},
		{"GET on submit", req{method: "GET", path: "/v1/applications"}, 405, "Request.MethodNotAllowed"},
		{"PUT on status", req{method: "PUT", path: mine.StatusURL}, 405, "Request.MethodNotAllowed"},
		{"unknown static file", req{method: "GET", path: "/static/../../go.mod"}, 404, kaiban.ErrNotFound},

		{"clerk route without claims", req{method: "GET", path: "/v1/clerk/tasks"}, 401, kaiban.ErrUnauthorized},
		{"clerk route with empty claims", clerk(req{method: "GET", path: "/v1/clerk/tasks"}, map[string]string{}), 401, kaiban.ErrUnauthorized},
		{"clerk claims without sub", clerk(req{method: "GET", path: "/v1/clerk/tasks"}, map[string]string{"cognito:groups": "[clerks]"}), 401, kaiban.ErrUnauthorized},
		{"applicant-only groups", clerk(req{method: "GET", path: "/v1/clerk/tasks"}, map[string]string{"sub": "x", "cognito:groups": "[applicants]"}), 403, kaiban.ErrForbidden},
		{"no groups", clerk(req{method: "GET", path: "/v1/clerk/tasks"}, map[string]string{"sub": "x"}), 403, kaiban.ErrForbidden},
		{"group name as substring", clerk(req{method: "GET", path: "/v1/clerk/tasks"}, map[string]string{"sub": "x", "cognito:groups": "[clerksX notclerks]"}), 403, kaiban.ErrForbidden},
		{"wrong group on claim", clerk(req{method: "POST", path: "/v1/clerk/tasks/task-open/claim"}, map[string]string{"sub": "x", "cognito:groups": "[admins]"}), 403, kaiban.ErrForbidden},
		{"wrong group on application", clerk(req{method: "GET", path: "/v1/clerk/applications/" + mine.ID}, map[string]string{"sub": "x", "cognito:groups": "visitors"}), 403, kaiban.ErrForbidden},
		{"groups as a comma list", clerk(req{method: "GET", path: "/v1/clerk/tasks"}, map[string]string{"sub": "x", "cognito:groups": "x,clerks"}), 403, kaiban.ErrForbidden},
		{"groups as a JSON string literal", clerk(req{method: "GET", path: "/v1/clerk/tasks"}, map[string]string{"sub": "x", "cognito:groups": "\"[clerks]\""}), 403, kaiban.ErrForbidden},
		{"groups as a JSON array string", clerk(req{method: "GET", path: "/v1/clerk/tasks"}, map[string]string{"sub": "x", "cognito:groups": "[\"clerks\"]"}), 403, kaiban.ErrForbidden},
		{"group as a bare string", clerk(req{method: "GET", path: "/v1/clerk/tasks"}, map[string]string{"sub": "x", "cognito:groups": "clerks"}), 403, kaiban.ErrForbidden},
		{"group with a trailing comma", clerk(req{method: "GET", path: "/v1/clerk/tasks"}, map[string]string{"sub": "x", "cognito:groups": "[clerks,]"}), 403, kaiban.ErrForbidden},
		{"group name with a suffix", clerk(req{method: "GET", path: "/v1/clerk/tasks"}, map[string]string{"sub": "x", "cognito:groups": "[clerksx]"}), 403, kaiban.ErrForbidden},
		{"bad status filter", clerk(req{method: "GET", path: "/v1/clerk/tasks", query: map[string]string{"status": "DONE"}}, clerkClaims("a")), 400, "oneof"},
		{"bad track filter", clerk(req{method: "GET", path: "/v1/clerk/tasks", query: map[string]string{"track": "../x"}}, clerkClaims("a")), 400, "oneof"},
		{"huge limit", clerk(req{method: "GET", path: "/v1/clerk/tasks", query: map[string]string{"limit": "100000000000000000000"}}, clerkClaims("a")), 400, "range"},
		{"limit above max", clerk(req{method: "GET", path: "/v1/clerk/tasks", query: map[string]string{"limit": "201"}}, clerkClaims("a")), 400, "range"},
		{"negative limit", clerk(req{method: "GET", path: "/v1/clerk/tasks", query: map[string]string{"limit": "-1"}}, clerkClaims("a")), 400, "range"},
		{"limit not a number", clerk(req{method: "GET", path: "/v1/clerk/tasks", query: map[string]string{"limit": "ten"}}, clerkClaims("a")), 400, "range"},
		{"claim unknown task", clerk(req{method: "POST", path: "/v1/clerk/tasks/nope/claim"}, clerkClaims("a")), 404, kaiban.ErrNotFound},
		{"claim huge task id", clerk(req{method: "POST", path: "/v1/clerk/tasks/" + strings.Repeat("x", 500) + "/claim"}, clerkClaims("a")), 404, kaiban.ErrNotFound},
		{"resolve unknown task", clerk(post("/v1/clerk/tasks/nope/resolve", `{"decision":"retry"}`), clerkClaims("a")), 404, kaiban.ErrNotFound},
		{"resolve unclaimed task", clerk(post("/v1/clerk/tasks/task-open/resolve", `{"decision":"retry"}`), clerkClaims("a")), 403, kaiban.ErrTaskNotClaimed},
		{"resolve with bad decision", clerk(post("/v1/clerk/tasks/task-open/resolve", `{"decision":"approve"}`), clerkClaims("a")), 400, "oneof"},
		{"resolve with unknown field", clerk(post("/v1/clerk/tasks/task-open/resolve", `{"decision":"retry","token":"x"}`), clerkClaims("a")), 400, ""},
		{"resolve with data not an object", clerk(post("/v1/clerk/tasks/task-open/resolve", `{"decision":"retry","data":[1]}`), clerkClaims("a")), 400, "object"},
		{"resolve with long note", clerk(post("/v1/clerk/tasks/task-open/resolve", `{"decision":"retry","note":"`+strings.Repeat("长", 2001)+`"}`), clerkClaims("a")), 400, "max"},
		{"resolve with broken JSON", clerk(post("/v1/clerk/tasks/task-open/resolve", `{"decision":`), clerkClaims("a")), 400, ""},
		{"resolve as text", clerk(withCT(post("/v1/clerk/tasks/task-open/resolve", `{"decision":"retry"}`), "text/plain"), clerkClaims("a")), 415, kaiban.ErrUnsupportedMedia},
		{"clerk view of unknown application", clerk(req{method: "GET", path: "/v1/clerk/applications/KB20261127AAAAAAAAAAAAAAAA"}, clerkClaims("a")), 404, kaiban.ErrNotFound},
		{"clerk view of malformed id", clerk(req{method: "GET", path: "/v1/clerk/applications/%00"}, clerkClaims("a")), 404, kaiban.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := e.do(t, tt.req)
			if resp.StatusCode != tt.code {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.code, resp.Body)
			}
			errs := errorsOf(t, resp)
			if tt.err != "" && errs[0].Code != tt.err {
				t.Errorf("code %q, want %q: %s", errs[0].Code, tt.err, resp.Body)
			}
			for _, fe := range errs { // no Accept-Language: Chinese, limits included
				if !hasHan(fe.Message) {
					t.Errorf("message %q of a Chinese request has no Chinese", fe.Message)
				}
			}
			if resp.Headers["Content-Type"] != "application/json; charset=utf-8" || resp.Headers["Cache-Control"] != "no-store" {
				t.Errorf("headers %v", resp.Headers)
			}
			if tt.code == 405 && resp.Headers["Allow"] == "" {
				t.Error("405 without Allow")
			}
		})
	}
	if len(e.exec.successes) != 0 {
		t.Errorf("a malformed request reached the workflow: %+v", e.exec.successes)
	}

	// A wrong token and someone else's ID are indistinguishable.
	a := e.do(t, req{method: "GET", path: mine.StatusURL, headers: bearer("wrong")})
	b := e.do(t, req{method: "GET", path: "/v1/applications/KB20261127AAAAAAAAAAAAAAAA", headers: bearer(mine.AccessToken)})
	c := e.do(t, req{method: "GET", path: theirs.StatusURL, headers: bearer(mine.AccessToken)})
	if a.Body != b.Body || b.Body != c.Body || a.StatusCode != c.StatusCode {
		t.Errorf("404s differ:\n%s\n%s\n%s", a.Body, b.Body, c.Body)
	}
}

// panicStore panics on reads, as a buggy store might.
type panicStore struct{ *storetest.MemStore }

func (panicStore) GetApplication(context.Context, string) (*kaiban.Application, error) {
	panic("store bug")
}

func TestPanicIsRecoveredAs500(t *testing.T) {
	e := newEnv(t)
	s := e.submit(t, nil, string(validForm(t)))
	deps := e.deps
	deps.Store = panicStore{e.store}
	srv := api.NewServer(deps)
	resp, err := srv.Handle(context.Background(), req{method: "GET", path: s.StatusURL, headers: map[string]string{"Authorization": "Bearer " + s.AccessToken}}.event())
	if err != nil || resp.StatusCode != 500 {
		t.Fatalf("%d %v %s", resp.StatusCode, err, resp.Body)
	}
	if errs := errorsOf(t, resp); errs[0].Code != kaiban.ErrInternal || strings.Contains(resp.Body, "store bug") {
		t.Errorf("body %s", resp.Body)
	}
	if !strings.Contains(e.logs.String(), "store bug") {
		t.Error("panic not logged")
	}
}

func TestEnglishErrorMessages(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		lang string
		zh   bool
	}{{"", true}, {"en", false}, {"zh-CN,en;q=0.5", true}} {
		resp := e.do(t, req{method: "GET", path: "/nowhere", headers: map[string]string{"Accept-Language": tt.lang}})
		if msg := errorsOf(t, resp)[0].Message; hasHan(msg) != tt.zh {
			t.Errorf("Accept-Language %q: message %q", tt.lang, msg)
		}
	}
}
