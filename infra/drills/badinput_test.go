package drills

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack"
	"github.com/kaiban/kaiban/infra/stack/apigw"
	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// hostile is one request of the corpus and what may answer it.
type hostile struct {
	name string
	req  request
	// ok lists the non-4xx statuses allowed (a hostile string in a
	// free-text field is data, not an attack: stored and echoed safely).
	ok []int
	// finding names what would be wrong if the request were accepted
	// (hostile characters in a person's name): it must be refused.
	finding string
}

// badInputStack is a running stack with a victim whose data must never
// reach anyone else, and a clerk task whose token must never leave the
// server.
type badInputStack struct {
	st        *stack.Stack
	c         *client
	victim    submission
	attacker  submission
	taskID    string
	taskToken string
	clerk     string
	secrets   []string // what no answer may contain
}

const (
	victimEmail  = "victim.secret@example.com"
	victimMobile = "13912345678"
)

func startBadInputStack(t *testing.T) *badInputStack {
	t.Helper()
	st, err := stack.Start(t.Context(), stack.Config{DataDir: t.TempDir(), Profile: sim.Instant(), WatchdogEvery: -1})
	if err != nil {
		t.Fatalf("starting the stack: %v", err)
	}
	srv := httptest.NewServer(st.Handler)
	t.Cleanup(func() {
		srv.Close()
		if err := st.Close(); err != nil {
			t.Errorf("closing the stack: %v", err)
		}
	})
	b := &badInputStack{st: st, c: newClient(t, srv.URL)}
	b.victim = b.c.submit(editForm(t, func(f map[string]any) {
		lr := f["legalRepresentative"].(map[string]any)
		lr["email"], lr["mobile"] = victimEmail, victimMobile
		f["liaison"].(map[string]any)["mobile"] = victimMobile
		// A name that needs review leaves a clerk task with a task token.
		c := f["company"].(map[string]any)
		p := c["nameParts"].(map[string]any)
		p["tradeName"] = "审核"
		c["name"] = p["region"].(string) + "审核" + p["industry"].(string) + p["orgForm"].(string)
	}), "victim")
	b.attacker = b.c.submit(exampleForm(t), "attacker")
	deadline := time.Now().Add(30 * time.Second)
	for b.taskToken == "" {
		ts, err := st.Store.OpenTasksFor(context.Background(), b.victim.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range ts {
			b.taskID, b.taskToken = task.ID, task.TaskToken
		}
		if time.Now().After(deadline) {
			t.Fatal("the victim's name review task did not appear")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if b.clerk, err = apigw.IssueDevToken(st.ClerkKey, "clerk-1", "李娜", []string{api.DefaultClerkGroup}, time.Hour, time.Now()); err != nil {
		t.Fatal(err)
	}
	hash := kaiban.HashToken(b.victim.AccessToken)
	b.secrets = []string{b.victim.AccessToken, victimEmail, victimMobile, b.taskToken, hex.EncodeToString(hash[:]), base64.RawURLEncoding.EncodeToString(hash[:])}
	return b
}

// jwtWith signs claims with key and alg, by hand, so the corpus can forge
// what a library would refuse to make.
func jwtWith(alg string, key []byte, claims map[string]any) string {
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	head := enc(map[string]string{"alg": alg, "typ": "JWT"}) + "." + enc(claims)
	if alg == "none" {
		return head + "."
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(head))
	return head + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func clerkClaims(mod func(map[string]any)) map[string]any {
	now := time.Now()
	c := map[string]any{
		"iss": apigw.DevIssuer, "client_id": apigw.DevAudience, "token_use": "access", "sub": "mallory",
		apigw.GroupsClaim: []string{api.DefaultClerkGroup}, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
	if mod != nil {
		mod(c)
	}
	return c
}

// formWith returns the example form with one field (a dotted path) set.
func formWith(t *testing.T, path string, v any) []byte {
	return editForm(t, func(f map[string]any) {
		keys := strings.Split(path, ".")
		m := f
		for _, k := range keys[:len(keys)-1] {
			m = m[k].(map[string]any)
		}
		m[keys[len(keys)-1]] = v
	})
}

func (b *badInputStack) corpus(t *testing.T) []hostile {
	post := func(name string, body []byte, ok ...int) hostile {
		return hostile{name: name, req: request{method: "POST", path: "/v1/applications", body: body}, ok: ok}
	}
	deep := strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000)
	deepObj := strings.Repeat(`{"a":`, 5_000) + "1" + strings.Repeat("}", 5_000)
	mb := strings.Repeat("沈", 350_000) // about 1 MB of UTF-8
	other := []byte("other-key-------------------------------")
	key := b.st.ClerkKey
	var cs []hostile
	// Broken JSON and wrong types.
	for _, s := range []string{"", "{", `{"company":`, "nul", "[]", `"form"`, "12", `{"a":1}{"b":2}`, `{"company":{},}`, "\ufeff{}", `{"company":{"name":"x"} /* c */}`, deep, deepObj} {
		cs = append(cs, post(fmt.Sprintf("broken JSON %.20q", s), []byte(s)))
	}
	for _, f := range []struct {
		path string
		v    any
	}{
		{"company.name", 123}, {"company.registeredCapital", "1000000"}, {"company.registeredCapital", json.RawMessage("1e400")},
		{"company.registeredCapital", json.RawMessage("99999999999999999999999999999")}, {"company.registeredCapital", -1},
		{"company.registeredCapital", 1.5}, {"employment.employees", json.RawMessage("1e20")}, {"shareholders", map[string]any{}},
		{"consent.truthful", "yes"}, {"company.businessScope", json.RawMessage(deep[:2000] + deep[len(deep)-2000:])},
		{"company", nil}, {"company.type", "LLC\u0000"}, {"unknownField", true},
	} {
		cs = append(cs, post(fmt.Sprintf("%s = %.30v", f.path, f.v), formWith(t, f.path, f.v)))
	}
	// Long strings: over the body limit, and just under it in a name.
	cs = append(cs, post("1 MB address", formWith(t, "company.address.detail", mb)))
	cs = append(cs, post("50 KB trade name", formWith(t, "company.nameParts.tradeName", strings.Repeat("沈", 16_000))))
	// Unusual Unicode in names (validated) and the address (free text).
	// Hangul fillers look blank. Names are normalised (NFKC) before they
	// are checked, so fullwidth letters fold to Latin (which a trade name
	// refuses and a foreign resident's name may hold: a trade-name case
	// only) and radicals fold to the ideograph they look like.
	for _, s := range []string{"云\u202e启", "云\u200b启", "云\u0000启", "云\ufeff启", "云\U0001F600启", "云́启", "\u3164\u3164", "云\u115f\u1160启"} {
		cs = append(cs, post(fmt.Sprintf("trade name %+q", s), formWith(t, "company.nameParts.tradeName", s)))
		h := post(fmt.Sprintf("legal representative %+q", s), formWith(t, "legalRepresentative.name", s))
		h.finding = "person names accept control, format and symbol characters"
		cs = append(cs, h)
	}
	cs = append(cs, post(fmt.Sprintf("trade name %+q", "ｙｕｎ"), formWith(t, "company.nameParts.tradeName", "ｙｕｎ")))
	surrogate := post("lone surrogate", bytes.Replace(exampleForm(t), []byte(`"张伟"`), []byte(`"\ud800"`), 1))
	surrogate.finding = "a lone surrogate in a person name is decoded to U+FFFD and accepted"
	cs = append(cs, surrogate)
	cs = append(cs, post("invalid UTF-8", bytes.Replace(exampleForm(t), []byte("张伟"), []byte{0xff, 0xfe, 0xc0}, 1)))
	// Injection strings: refused in names, stored as data in the address.
	for _, s := range []string{"'; DROP TABLE applications;--", `<script>alert(1)</script>`, "${jndi:ldap://x/a}", "{{7*7}}", "\" OR 1=1 --", "../../etc/passwd"} {
		cs = append(cs, post(fmt.Sprintf("trade name %q", s), formWith(t, "company.nameParts.tradeName", s)))
		h := post(fmt.Sprintf("legal representative %q", s), formWith(t, "legalRepresentative.name", s))
		h.finding = "person names accept injection strings (stored as data; no harm found, but no name looks like this)"
		cs = append(cs, h)
		cs = append(cs, post(fmt.Sprintf("address %q", s), formWith(t, "company.address.detail", "沈阳市浑南区创新路196号"+s), http.StatusAccepted))
	}
	// Media types and headers.
	for _, ct := range []string{"text/plain", "application/json; charset=latin1", "multipart/form-data; boundary=x", "application/xml", "application/json; charset=\"utf-16\""} {
		cs = append(cs, hostile{name: "content type " + ct, req: request{method: "POST", path: "/v1/applications", body: exampleForm(t), ctype: ct}})
	}
	cs = append(cs,
		hostile{name: "10 KB idempotency key", req: request{method: "POST", path: "/v1/applications", body: exampleForm(t), headers: map[string]string{"Idempotency-Key": strings.Repeat("k", 10_000)}}},
		hostile{name: "non-ASCII idempotency key", req: request{method: "POST", path: "/v1/applications", body: exampleForm(t), headers: map[string]string{"Idempotency-Key": "键"}}},
		hostile{name: "the attacker's key with another body", req: request{method: "POST", path: "/v1/applications", body: formWith(t, "employment.employees", 9), headers: map[string]string{"Idempotency-Key": "attacker"}}},
		hostile{name: "the victim's key with another body", req: request{method: "POST", path: "/v1/applications", body: exampleForm(t), headers: map[string]string{"Idempotency-Key": "victim"}}},
	)
	// Other applicants' IDs and tokens.
	get := func(name, path, bearer string) hostile {
		return hostile{name: name, req: request{method: "GET", path: path, bearer: bearer}}
	}
	v, a := b.victim, b.attacker
	cs = append(cs,
		get("victim's ID, attacker's token", "/v1/applications/"+v.ID, a.AccessToken),
		get("attacker's ID, victim's token", "/v1/applications/"+a.ID, v.AccessToken+"x"),
		get("victim's ID, no token", "/v1/applications/"+v.ID, ""),
		get("victim's ID, truncated token", "/v1/applications/"+v.ID, v.AccessToken[:len(v.AccessToken)-1]),
		get("victim's ID, token hash", "/v1/applications/"+v.ID, b.secrets[4]),
		get("victim's ID, clerk JWT", "/v1/applications/"+v.ID, b.clerk),
		get("victim's ID, 10 KB token", "/v1/applications/"+v.ID, strings.Repeat("A", 10_000)),
		get("unknown ID", "/v1/applications/KB20261127AAAAAAAAAAAAAAAA", a.AccessToken),
		get("10 KB ID", "/v1/applications/"+strings.Repeat("K", 10_000), a.AccessToken),
		get("NUL in ID", "/v1/applications/"+v.ID+"%00", v.AccessToken),
		get("task token as the ID", "/v1/applications/"+b.taskToken[:min(len(b.taskToken), 64)], a.AccessToken),
		hostile{name: "basic auth", req: request{method: "GET", path: "/v1/applications/" + v.ID, headers: map[string]string{"Authorization": "Basic dmljdGltOnB3"}}},
	)
	// Clerk routes with forged, expired, alg-none and wrong-group tokens.
	for _, tok := range []struct{ name, tok string }{
		{"no token", ""},
		{"alg none", jwtWith("none", nil, clerkClaims(nil))},
		{"forged signature", jwtWith("HS256", other, clerkClaims(nil))},
		{"expired", jwtWith("HS256", key, clerkClaims(func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }))},
		{"no expiry", jwtWith("HS256", key, clerkClaims(func(c map[string]any) { delete(c, "exp") }))},
		{"issued in the future", jwtWith("HS256", key, clerkClaims(func(c map[string]any) { c["iat"] = time.Now().Add(time.Hour).Unix() }))},
		{"wrong group", jwtWith("HS256", key, clerkClaims(func(c map[string]any) { c[apigw.GroupsClaim] = []string{"applicants"} }))},
		{"no group", jwtWith("HS256", key, clerkClaims(func(c map[string]any) { delete(c, apigw.GroupsClaim) }))},
		{"wrong issuer", jwtWith("HS256", key, clerkClaims(func(c map[string]any) { c["iss"] = "https://evil.example" }))},
		{"wrong audience", jwtWith("HS256", key, clerkClaims(func(c map[string]any) { c["client_id"] = "other-app" }))},
		{"HS512 header", jwtWith("HS512", key, clerkClaims(nil))},
		{"three dots", "a.b.c"},
		{"applicant token", v.AccessToken},
	} {
		for _, r := range []request{
			{method: "GET", path: "/v1/clerk/tasks"},
			{method: "POST", path: "/v1/clerk/tasks/" + b.taskID + "/resolve", body: []byte(`{"decision":"reject","note":"x"}`)},
			{method: "GET", path: "/v1/clerk/applications/" + v.ID},
		} {
			r.bearer = tok.tok
			cs = append(cs, hostile{name: "clerk " + tok.name + " " + r.path, req: r})
		}
	}
	// A signed-in clerk sending nonsense.
	clerk := func(name, method, path string, body []byte, ok ...int) hostile {
		return hostile{name: name, req: request{method: method, path: path, bearer: b.clerk, body: body}, ok: ok}
	}
	cs = append(cs,
		clerk("limit huge", "GET", "/v1/clerk/tasks?limit=99999999999999999999999", nil, http.StatusOK),
		clerk("limit negative", "GET", "/v1/clerk/tasks?limit=-5", nil, http.StatusOK),
		clerk("status script", "GET", "/v1/clerk/tasks?status=%3Cscript%3E", nil),
		clerk("track traversal", "GET", "/v1/clerk/tasks?track=..%2F..%2Fetc", nil),
		clerk("100 KB query", "GET", "/v1/clerk/tasks?status="+strings.Repeat("A", 100_000), nil),
		clerk("unknown task", "POST", "/v1/clerk/tasks/no-such-task/claim", nil),
		clerk("resolve unclaimed", "POST", "/v1/clerk/tasks/"+b.taskID+"/resolve", []byte(`{"decision":"complete","note":"x"}`)),
		clerk("bad decision", "POST", "/v1/clerk/tasks/"+b.taskID+"/resolve", []byte(`{"decision":"approve-all","note":"x"}`)),
		clerk("1 MB note", "POST", "/v1/clerk/tasks/"+b.taskID+"/resolve", []byte(`{"decision":"retry","note":"`+mb+`"}`)),
		clerk("broken JSON", "POST", "/v1/clerk/tasks/"+b.taskID+"/resolve", []byte(`{"decision":`)),
		clerk("application ID traversal", "GET", "/v1/clerk/applications/..%2F..%2Fetc%2Fpasswd", nil),
	)
	// Paths and methods.
	for _, p := range []string{"/static/../../go.mod", "/static/%2e%2e/%2e%2e/go.mod", "/static/..%2f..%2fgo.mod", "/v1/applications/..%2f..%2fv1%2fclerk%2ftasks",
		"/v1/clerk/tasks/../../applications", "/v1/applications/../clerk/tasks", "//etc/passwd", "/v1/applications/" + v.ID + "/../../clerk/tasks", "/.env", "/static/", "/v1"} {
		cs = append(cs, hostile{name: "path " + p, req: request{method: "GET", path: p, bearer: v.AccessToken}})
	}
	for _, m := range []string{"DELETE", "PUT", "PATCH", "TRACE", "OPTIONS"} {
		cs = append(cs, hostile{name: "method " + m, req: request{method: m, path: "/v1/applications/" + v.ID, bearer: v.AccessToken}})
	}
	return cs
}

// leakMarkers are signs of internals: stack traces, Go type names, file
// paths, driver errors.
var leakMarkers = []string{"goroutine ", "panic", ".go:", "runtime.", "/work/", "/home/", "/usr/local/go", "*kaiban.", "kaiban.Error", "json: cannot", "sqlite", "SQL logic", "sfn:", "operation error", "StatusCode:", "module github.com"}

// TestBadInputDrill sends the corpus to a running stack over HTTP: every
// hostile request gets a 4xx in the API's error shape (or, for data in a
// free-text field, an ordinary answer), never a 5xx; the server stays up;
// no answer carries another applicant's data, the task token or internals.
func TestBadInputDrill(t *testing.T) {
	b := startBadInputStack(t)
	corpus := b.corpus(t)
	for _, h := range corpus {
		t.Run(h.name, func(t *testing.T) {
			c := newClient(t, b.c.base)
			r := c.do(h.req)
			if h.finding != "" && r.code == http.StatusAccepted {
				t.Errorf("accepted hostile input: %s", h.finding)
			}
			allowed := false
			for _, s := range h.ok {
				allowed = allowed || r.code == s
			}
			if !allowed && (r.code < 400 || r.code > 499) {
				t.Errorf("HTTP %d, want a 4xx: %.300s", r.code, r.body)
			}
			if r.code >= 400 && r.code != http.StatusRequestHeaderFieldsTooLarge {
				// The API's shape, or — for a token the authorizer refuses
				// before the API is invoked — API Gateway's own.
				var shape struct {
					Errors  []kaiban.FieldError `json:"errors"`
					Message string              `json:"message"`
				}
				err := json.Unmarshal(r.body, &shape)
				apiShape := len(shape.Errors) > 0 && shape.Errors[0].Code != ""
				gatewayShape := r.code == http.StatusUnauthorized && shape.Message == "Unauthorized"
				if err != nil || !(apiShape || gatewayShape) {
					t.Errorf("HTTP %d answer is not the error shape: %.300s", r.code, r.body)
				}
			}
			whole := string(r.body)
			for k, vs := range r.header {
				whole += "\n" + k + ": " + strings.Join(vs, ",")
			}
			for _, s := range b.secrets {
				if strings.Contains(whole, s) {
					t.Errorf("answer leaks a secret (%.12s…): %.300s", s, whole)
				}
			}
			if h.req.bearer != b.victim.AccessToken && strings.Contains(whole, b.victim.ID) && !strings.Contains(h.req.path, b.victim.ID) {
				t.Errorf("answer names the victim's application: %.300s", whole)
			}
			for _, m := range leakMarkers {
				if strings.Contains(whole, m) {
					t.Errorf("answer leaks internals (%q): %.300s", m, whole)
				}
			}
			if hz := c.do(request{method: "GET", path: "/healthz"}); hz.code != http.StatusOK {
				t.Fatalf("the server is down after this request: healthz HTTP %d", hz.code)
			}
		})
	}
	// The victim's application is untouched and still theirs alone.
	if st := b.c.status(b.victim); st == "" {
		t.Error("the victim can no longer read their application")
	}
	t.Logf("%d hostile requests", len(corpus))
}
