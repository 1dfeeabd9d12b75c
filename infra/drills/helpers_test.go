package drills

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// exampleForm is the valid example form every drill submits.
func exampleForm(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../examples/valid-llc.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// editForm returns the example form with edit applied to its decoded map.
func editForm(t testing.TB, edit func(f map[string]any)) []byte {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(exampleForm(t), &f); err != nil {
		t.Fatal(err)
	}
	edit(f)
	out, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// client talks to a running stack over HTTP.
type client struct {
	t    testing.TB
	base string
	http *http.Client
	// foundersSign: the stack's founders sign as their links are sent
	// (confirmtest.AutoSign), so submit leaves them be.
	foundersSign bool
}

func newClient(t testing.TB, base string) *client {
	return &client{t: t, base: base, http: &http.Client{Timeout: 30 * time.Second}}
}

// response is one answer, kept whole for the leak checks.
type response struct {
	code    int
	header  http.Header
	body    []byte
	decoded map[string]any
}

// request is one HTTP request of a drill.
type request struct {
	method  string
	path    string // raw, sent as written (no cleaning)
	bearer  string
	ctype   string // default application/json when body is set
	headers map[string]string
	body    []byte
}

func (c *client) do(r request) response {
	c.t.Helper()
	req, err := http.NewRequest(r.method, c.base+"/", bytes.NewReader(r.body))
	if err != nil {
		c.t.Fatal(err)
	}
	// Opaque keeps the path exactly as written, so traversal attempts
	// reach the server unnormalised.
	req.URL.Opaque = r.path
	if r.body != nil {
		ct := r.ctype
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	if r.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+r.bearer)
	}
	for k, v := range r.headers {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %.80s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %.80s: reading the answer: %v", r.method, r.path, err)
	}
	out := response{code: resp.StatusCode, header: resp.Header, body: body}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && len(body) > 0 {
		_ = json.Unmarshal(body, &out.decoded)
	}
	return out
}

// submission is an accepted application as its applicant knows it.
type submission struct {
	ID          string `json:"id"`
	AccessToken string `json:"accessToken"`
}

// submit posts a form with an Idempotency-Key and expects 202; then every
// founder verifies and signs (signFounders), so registration can start.
func (c *client) submit(form []byte, key string) submission {
	c.t.Helper()
	r := c.do(request{method: http.MethodPost, path: "/v1/applications", body: form, headers: map[string]string{"Idempotency-Key": key}})
	if r.code != http.StatusAccepted {
		c.t.Fatalf("submit: HTTP %d %s", r.code, r.body)
	}
	var s submission
	if err := json.Unmarshal(r.body, &s); err != nil || s.ID == "" || s.AccessToken == "" {
		c.t.Fatalf("submit: answer %s", r.body)
	}
	if !c.foundersSign {
		c.signFounders(s.ID)
	}
	return s
}

// signFounders opens every founder's link of the application from the
// local stack's outbox (GET /dev/outbox: the submission sent them) and
// verifies and signs through the confirmation routes, as the founders
// would from their phones. A confirmation already decided (a replayed
// submission, a founder who signed as the link arrived) is left as it is;
// a busy identity agency or stack (503, a dropped connection) is asked
// again, as a person would tap again.
func (c *client) signFounders(id string) {
	c.t.Helper()
	seen := map[string]bool{}
	for _, tok := range c.links(id) {
		if seen[tok] {
			continue
		}
		seen[tok] = true
		v := c.retrying(request{method: http.MethodPost, path: "/v1/confirmations/" + tok + "/identity", body: []byte(`{"liveness":{"passed":true}}`)})
		if v.code != http.StatusOK || v.decoded["verified"] != true {
			c.t.Fatalf("founder's identity: HTTP %d %s", v.code, v.body)
		}
		d := c.retrying(request{method: http.MethodPost, path: "/v1/confirmations/" + tok + "/decision", body: []byte(`{"sign":true}`)})
		if d.code != http.StatusOK && d.code != http.StatusConflict {
			c.t.Fatalf("founder's signature: HTTP %d %s", d.code, d.body)
		}
	}
}

// links returns the application's confirmation tokens from the outbox.
// A submission that could not send them (a busy store) leaves them to the
// workflow's confirm step, so an empty answer is read again, for up to a
// minute.
func (c *client) links(id string) []string {
	c.t.Helper()
	for deadline := time.Now().Add(time.Minute); ; {
		r := c.retrying(request{method: http.MethodGet, path: "/dev/outbox"})
		var box struct {
			Messages []struct{ Link string } `json:"messages"`
		}
		if r.code != http.StatusOK || json.Unmarshal(r.body, &box) != nil {
			c.t.Fatalf("outbox: HTTP %d %.200s", r.code, r.body)
		}
		var out []string
		for _, m := range box.Messages {
			if _, tok, ok := strings.Cut(m.Link, "/confirm#"); ok && strings.HasPrefix(tok, id+".") {
				out = append(out, tok)
			}
		}
		if len(out) > 0 {
			return out
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("no confirmation links for %s in the outbox within a minute", id)
		}
		time.Sleep(200 * time.Millisecond) // polling the outbox
	}
}

// retrying makes r until it is answered below 500, ten times at most.
func (c *client) retrying(r request) response {
	c.t.Helper()
	var last response
	for i := range 10 {
		req, err := http.NewRequest(r.method, c.base+r.path, bytes.NewReader(r.body))
		if err != nil {
			c.t.Fatal(err)
		}
		if r.body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.http.Do(req)
		if err == nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr == nil {
				last = response{code: resp.StatusCode, header: resp.Header, body: body}
				_ = json.Unmarshal(body, &last.decoded)
				if resp.StatusCode < 500 {
					return last
				}
			}
		}
		time.Sleep(time.Duration(100*(i+1)) * time.Millisecond) // backing off a busy stack
	}
	return last
}

// status reads an application's status with its access token.
func (c *client) status(s submission) string {
	c.t.Helper()
	r := c.do(request{method: http.MethodGet, path: "/v1/applications/" + s.ID, bearer: s.AccessToken})
	if r.code != http.StatusOK {
		c.t.Fatalf("status of %s: HTTP %d %s", s.ID, r.code, r.body)
	}
	st, _ := r.decoded["status"].(string)
	return st
}

// wantLive is the live records of a completed application: the identity
// check, the licence (market) and the six other registrations. The
// founders' own identity checks add to the identity agency's records, as
// many as were not reused (liveMatches).
var wantLive = map[string]int{"identity": 1, "market": 1, "seal": 1, "tax": 1, "social": 1, "medical": 1, "fund": 1, "bank": 1}

// recordsPerApp is how many records a completed application creates.
// (registrationRecords leaves out the founders' own identity checks).
const recordsPerApp = 8

// founderChecks is how many identity checks of founders records hold
// beyond each application's one: the first applications of the same
// people verify them, later ones reuse the verification.
func founderChecks(live map[string]map[string]int) int {
	n := 0
	for _, l := range live {
		if l["identity"] > 1 {
			n += l["identity"] - 1
		}
	}
	return n
}

// liveMatches reports whether live is wantLive, the founders' identity
// checks aside (at most the example's four).
func liveMatches(live map[string]int) bool {
	if id := live["identity"]; id < 1 || id > 5 {
		return false
	}
	l := map[string]int{}
	for k, v := range live {
		l[k] = v
	}
	l["identity"] = 1
	return sameCounts(l, wantLive)
}

func sameCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
