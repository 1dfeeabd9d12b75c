package stack

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack/apigw"
	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop/confirmtest"
	"github.com/kaiban/kaiban/workflow/engine"
)

// harness is a running stack behind a real HTTP server on 127.0.0.1.
type harness struct {
	t     *testing.T
	st    *Stack
	srv   *httptest.Server
	clerk string
	// auto signs for every founder as their link is sent (nil: the test
	// signs itself, through the links in the outbox).
	auto *confirmtest.AutoSign
}

// startHarness starts a stack with instant simulators. With virtual time,
// retries and backoff take no real time; but a virtual clock jumps ahead
// whenever all work waits, including to a clerk task's timeout, so tests
// where a person acts use the real clock.
func startHarness(t *testing.T, virtual bool) *harness {
	t.Helper()
	var clock engine.Clock = engine.RealClock{}
	if virtual {
		clock = newVirtualClock()
	}
	return startHarnessOn(t, clock)
}

// newVirtualClock starts at 09:00 in Shenyang on a working day.
func newVirtualClock() *engine.VirtualClock {
	return engine.NewVirtualClock(time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC))
}

// startHarnessOn starts a stack on clock whose founders sign the moment
// their links are sent (confirmtest.AutoSign), for the tests about what
// follows the signatures.
func startHarnessOn(t *testing.T, clock engine.Clock) *harness {
	t.Helper()
	return startHarnessSigning(t, clock, true)
}

// startHarnessSigning starts a stack on clock; autoSign false leaves the
// founders' links in the outbox for the test to use (signatures_test.go).
func startHarnessSigning(t *testing.T, clock engine.Clock, autoSign bool) *harness {
	t.Helper()
	cfg := Config{DataDir: t.TempDir(), Profile: sim.Instant(), Clock: clock, WatchdogEvery: -1, AgencyTimeout: 2 * time.Second}
	var auto *confirmtest.AutoSign
	if autoSign {
		auto = &confirmtest.AutoSign{}
		cfg.Notifier = auto
	}
	st, err := Start(context.Background(), cfg)
	if err != nil {
		t.Fatalf("starting the stack: %v", err)
	}
	if auto != nil {
		auto.Use(st.API.Service(), st.Outbox)
	}
	srv := httptest.NewServer(st.Handler)
	t.Cleanup(func() {
		srv.Close()
		if err := st.Close(); err != nil {
			t.Errorf("closing the stack: %v", err)
		}
	})
	tok, err := apigw.IssueDevToken(st.ClerkKey, "clerk-7", "李娜", []string{api.DefaultClerkGroup}, time.Hour, clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, st: st, srv: srv, clerk: tok, auto: auto}
}

// startSigning starts a stack on cfg whose founders sign the moment their
// links are sent (confirmtest.AutoSign, over the stack's outbox).
func startSigning(cfg Config) (*Stack, error) {
	auto := &confirmtest.AutoSign{}
	cfg.Notifier = auto
	st, err := Start(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	auto.Use(st.API.Service(), st.Outbox)
	return st, nil
}

// exampleForm returns the valid example form, changed by edit.
func exampleForm(t *testing.T, edit func(f map[string]any)) []byte {
	t.Helper()
	b, err := os.ReadFile("../examples/valid-llc.json")
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]any
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(f)
	}
	out, _ := json.Marshal(f)
	return out
}

// withTradeName changes the trade name and the full name consistently.
func withTradeName(tn string) func(map[string]any) {
	return func(f map[string]any) {
		c := f["company"].(map[string]any)
		p := c["nameParts"].(map[string]any)
		p["tradeName"] = tn
		c["name"] = p["region"].(string) + tn + p["industry"].(string) + p["orgForm"].(string)
	}
}

func (h *harness) do(method, path, bearer string, body []byte) (int, map[string]any) {
	h.t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out); err != nil {
			h.t.Fatalf("%s %s: body is not JSON: %s", method, path, raw)
		}
	}
	return resp.StatusCode, out
}

// submit posts a form and returns the application ID and access token.
//
// On a virtual clock the submission holds the clock until it answers, so
// the founders who sign as their links arrive (harness.auto) sign before
// the clock can jump to the reminder or the window's end.
func (h *harness) submit(form []byte) (string, string) {
	h.t.Helper()
	release := h.st.clock.Hold()
	defer release()
	code, out := h.do("POST", "/v1/applications", "", form)
	if code != http.StatusAccepted {
		h.t.Fatalf("submit: HTTP %d %v", code, out)
	}
	return out["id"].(string), out["accessToken"].(string)
}

// waitFor polls the store until cond holds for the application, failing
// after a real-time deadline.
func (h *harness) waitFor(id, what string, cond func(*kaiban.Application) bool) *kaiban.Application {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		app, err := h.st.Store.GetApplication(context.Background(), id)
		if err != nil {
			h.t.Fatal(err)
		}
		if cond(app) {
			return app
		}
		if time.Now().After(deadline) {
			b, _ := json.MarshalIndent(app.Tracks, "", " ")
			h.t.Fatalf("timed out waiting for %s; application %s, tracks %s", what, app.Status, b)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (h *harness) waitStatus(id string, want kaiban.AppStatus) *kaiban.Application {
	h.t.Helper()
	return h.waitFor(id, string(want), func(a *kaiban.Application) bool { return a.Status == want })
}

// waitTask waits for an open clerk task of the application and returns it.
func (h *harness) waitTask(id string) kaiban.ClerkTask {
	h.t.Helper()
	var task kaiban.ClerkTask
	h.waitFor(id, "a clerk task", func(*kaiban.Application) bool {
		var ok bool
		task, ok = h.openTask(id)
		return ok
	})
	return task
}

// openTask returns an open clerk task of the application, if there is one.
func (h *harness) openTask(id string) (kaiban.ClerkTask, bool) {
	h.t.Helper()
	ts, err := h.st.Store.OpenTasksFor(context.Background(), id)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, t := range ts {
		if t.Status == kaiban.TaskOpen {
			return t, true
		}
	}
	return kaiban.ClerkTask{}, false
}

// resolve claims and resolves a clerk task through the API.
func (h *harness) resolve(taskID string, decision kaiban.Decision, data string) {
	h.t.Helper()
	if code, out := h.do("POST", "/v1/clerk/tasks/"+taskID+"/claim", h.clerk, nil); code != http.StatusOK {
		h.t.Fatalf("claim: HTTP %d %v", code, out)
	}
	body := `{"decision":"` + string(decision) + `","note":"已核实"`
	if data != "" {
		body += `,"data":` + data
	}
	body += "}"
	if code, out := h.do("POST", "/v1/clerk/tasks/"+taskID+"/resolve", h.clerk, []byte(body)); code != http.StatusOK {
		h.t.Fatalf("resolve: HTTP %d %v", code, out)
	}
}
