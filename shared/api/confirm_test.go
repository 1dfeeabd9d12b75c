package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/onestop/confirmtest"
)

// confirmEnv is the API with confirmations on, one application submitted
// and its links sent.
type confirmEnv struct {
	*env
	notes  *confirmtest.Notifier
	id     string
	access string
	tokens []string
}

func newConfirmEnv(t testing.TB) *confirmEnv {
	t.Helper()
	e := &confirmEnv{env: newEnv(t)}
	var cd *onestop.ConfirmDeps
	cd, e.notes, _ = confirmtest.Deps(e.store)
	e.deps.Confirm = cd
	if err := e.deps.Check(); err != nil {
		t.Fatal(err)
	}
	e.srv = api.NewServer(e.deps)
	resp := e.do(t, req{method: "POST", path: "/v1/applications", headers: map[string]string{"Content-Type": "application/json"}, body: string(validForm(t))})
	var sub struct{ ID, AccessToken string }
	if err := json.Unmarshal([]byte(resp.Body), &sub); err != nil || resp.StatusCode != 202 {
		t.Fatalf("submit: %d %s", resp.StatusCode, resp.Body)
	}
	e.id, e.access = sub.ID, sub.AccessToken
	e.tokens = e.notes.Tokens(e.id) // sent on submission
	if len(e.tokens) != 4 {
		t.Fatalf("%d links sent on submission, want 4", len(e.tokens))
	}
	return e
}

func jsonReq(method, path, body, lang string) req {
	h := map[string]string{"Content-Type": "application/json"}
	if lang != "" {
		h["Accept-Language"] = lang
	}
	return req{method: method, path: path, headers: h, body: body}
}

func TestConfirmationRoutes(t *testing.T) {
	e := newConfirmEnv(t)
	base := "/v1/confirmations/" + e.tokens[1]
	steps := []struct {
		name       string
		r          req
		wantStatus int
		wantBody   string // a fragment of the answer
	}{
		{"the person's view", req{method: "GET", path: base}, 200, `"name":"李娜"`},
		{"sign before verifying", jsonReq("POST", base+"/decision", `{"sign":true}`, "en"), 409, `"message":"Verify your identity first"`},
		{"liveness failed", jsonReq("POST", base+"/identity", `{"liveness":{"passed":false}}`, "en"), 200, `"verified":false`},
		{"unknown field", jsonReq("POST", base+"/identity", `{"liveness":{"passed":true},"x":1}`, "en"), 400, `"errors"`},
		{"not JSON", req{method: "POST", path: base + "/identity", body: `{}`}, 415, `"errors"`},
		{"verified", jsonReq("POST", base+"/identity", `{"liveness":{"passed":true}}`, ""), 200, `"verified":true`},
		{"decline without a reason", jsonReq("POST", base+"/decision", `{"sign":false}`, "en"), 400, `"field":"reason"`},
		{"decline without a reason, zh", jsonReq("POST", base+"/decision", `{"sign":false}`, ""), 400, `拒绝签署时请填写理由`},
		{"sign", jsonReq("POST", base+"/decision", `{"sign":true}`, ""), 200, `"state":"SIGNED"`},
		{"second decision", jsonReq("POST", base+"/decision", `{"sign":false,"reason":"不同意"}`, "en"), 409, `"code":"Confirmation.AlreadyDecided"`},
		{"view after signing", req{method: "GET", path: base}, 200, `"state":"SIGNED"`},
	}
	for _, s := range steps {
		resp := e.do(t, s.r)
		if resp.StatusCode != s.wantStatus || !strings.Contains(resp.Body, s.wantBody) {
			t.Errorf("%s: %d %s, want %d with %s", s.name, resp.StatusCode, resp.Body, s.wantStatus, s.wantBody)
		}
	}
	if strings.Contains(e.logs.String(), e.tokens[1]) {
		t.Error("a confirmation token is in the log")
	}
}

func TestConfirmationWrongAndUnknownTokenAreTheSame404(t *testing.T) {
	e := newConfirmEnv(t)
	tok := e.tokens[0]
	wrong := tok[:len(tok)-2] + "AA"
	if wrong == tok {
		wrong = tok[:len(tok)-2] + "BB"
	}
	var bodies []string
	for _, tk := range []string{wrong, "KB20261127AAAAAAAAAAAAAAAA.0." + tok[len(tok)-43:], "x"} {
		resp := e.do(t, req{method: "GET", path: "/v1/confirmations/" + tk})
		if resp.StatusCode != 404 {
			t.Errorf("token %q: %d", tk, resp.StatusCode)
		}
		bodies = append(bodies, resp.Body)
	}
	if bodies[0] != bodies[1] || bodies[1] != bodies[2] {
		t.Errorf("404 bodies differ: %q", bodies)
	}
}

func TestStatusShowsConfirmations(t *testing.T) {
	e := newConfirmEnv(t)
	status := func() map[string]any {
		resp := e.do(t, req{method: "GET", path: "/v1/applications/" + e.id, headers: map[string]string{"Authorization": "Bearer " + e.access}})
		var v map[string]any
		if err := json.Unmarshal([]byte(resp.Body), &v); err != nil || resp.StatusCode != 200 {
			t.Fatalf("status %d %s", resp.StatusCode, resp.Body)
		}
		return v
	}
	v := status()
	cs, _ := v["confirmations"].([]any)
	if len(cs) != 4 || v["acceptedAt"] != nil {
		t.Fatalf("confirmations %v, acceptedAt %v", v["confirmations"], v["acceptedAt"])
	}
	first := cs[0].(map[string]any)
	if first["role"] != "legalRepresentative" || first["name"] != "张*" || first["state"] != "PENDING" {
		t.Errorf("first confirmation %v", first)
	}
	for _, tok := range e.tokens {
		for _, step := range []req{
			jsonReq("POST", "/v1/confirmations/"+tok+"/identity", `{"liveness":{"passed":true}}`, ""),
			jsonReq("POST", "/v1/confirmations/"+tok+"/decision", `{"sign":true}`, ""),
		} {
			if resp := e.do(t, step); resp.StatusCode != 200 {
				t.Fatalf("%s: %d %s", step.path, resp.StatusCode, resp.Body)
			}
		}
	}
	v = status()
	if v["acceptedAt"] == nil || v["submittedAt"] == nil {
		t.Errorf("after every signature: acceptedAt %v submittedAt %v", v["acceptedAt"], v["submittedAt"])
	}
}

// FuzzConfirmations drives the three confirmation routes with a real
// token, mutated tokens and arbitrary bodies: never a 5xx, never a body
// outside the error shape, never another person's data.
func FuzzConfirmations(f *testing.F) {
	e := newConfirmEnv(f)
	f.Add(0, "", "GET", "", []byte(nil))
	f.Add(0, "/identity", "POST", "", []byte(`{"liveness":{"passed":true}}`))
	f.Add(1, "/decision", "POST", "", []byte(`{"sign":true}`))
	f.Add(2, "/decision", "POST", "x", []byte(`{"sign":false,"reason":"\u0000"}`))
	f.Add(3, "/decision", "POST", "", []byte(`{"sign":null,"reason":1}`))
	f.Fuzz(func(t *testing.T, who int, suffix, method, tamper string, body []byte) {
		if who < 0 {
			who = -who
		}
		tok := e.tokens[who%len(e.tokens)] + tamper
		resp := e.do(t, req{method: method, path: "/v1/confirmations/" + tok + suffix,
			headers: map[string]string{"Content-Type": "application/json"}, body: string(body)})
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s → %d %s", method, suffix, resp.StatusCode, resp.Body)
		}
		if resp.StatusCode >= 400 {
			var shape struct {
				Errors []json.RawMessage `json:"errors"`
			}
			if err := json.Unmarshal([]byte(resp.Body), &shape); err != nil || len(shape.Errors) == 0 {
				t.Fatalf("%d with body outside the error shape: %q", resp.StatusCode, resp.Body)
			}
		}
		for _, secret := range []string{"210102198503120316", "13840012345", e.access} {
			if strings.Contains(resp.Body, secret) {
				t.Fatalf("response carries %q: %s", secret, resp.Body)
			}
		}
	})
}
