package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack"
)

const exampleForm = "../examples/valid-llc.json"

// startStack serves an in-process stack with instant agencies on loopback.
func startStack(t *testing.T) string {
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
	return srv.URL
}

// runLoadCmd runs the real command line and decodes its summary.
func runLoadCmd(t *testing.T, args ...string) (*loadSummary, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(t.Context(), append([]string{"load"}, args...), func(string) string { return "" }, &out, &errOut)
	var sum loadSummary
	if out.Len() > 0 {
		if jerr := json.Unmarshal(out.Bytes(), &sum); jerr != nil {
			t.Fatalf("summary is not JSON: %v\n%s", jerr, out.String())
		}
	}
	return &sum, err
}

func TestLoadAgainstStackCompletesEveryApplication(t *testing.T) {
	url := startStack(t)
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"closed loop", []string{"--applicants", "6"}, 6},
		{"open loop", []string{"--rate", "40", "--duration", "250ms"}, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--url", url, "--form", exampleForm, "--poll", "--poll-every", "20ms", "--poll-timeout", "30s", "--pid", itoa(os.Getpid())}, tc.args...)
			sum, err := runLoadCmd(t, args...)
			if err != nil {
				t.Fatalf("load failed: %v (summary %+v)", err, sum)
			}
			if sum.Requests != tc.want || sum.Accepted != tc.want || sum.Errors != 0 {
				t.Errorf("requests %d, accepted %d, errors %d %v; want %d accepted, no errors", sum.Requests, sum.Accepted, sum.Errors, sum.ErrorsBy, tc.want)
			}
			if c := sum.Completion; c == nil || c.Completed != tc.want || c.TimeToCompleted.Count != tc.want {
				t.Errorf("completion %+v, want all %d COMPLETED", c, tc.want)
			}
			s := sum.Submit
			if s.Count != tc.want || s.P50 <= 0 || s.P50 > s.P90 || s.P90 > s.P99 || s.P99 > s.Max {
				t.Errorf("submit latency %+v is not an ordered distribution of %d", s, tc.want)
			}
			if sum.RSS == nil || sum.RSS.VmRSSKiB <= 0 || sum.RSS.VmHWMKiB < sum.RSS.VmRSSKiB {
				t.Errorf("rss %+v, want this process's resident memory", sum.RSS)
			}
		})
	}
}

// Every submission carries its own Idempotency-Key and the same form
// under a trade name of its own; a failing server is reported by status
// and fails the command.
func TestLoadReportsErrorsByStatus(t *testing.T) {
	var mu sync.Mutex
	keys, trades := map[string]bool{}, map[string]bool{}
	form, err := os.ReadFile(exampleForm)
	if err != nil {
		t.Fatal(err)
	}
	_, formRest := splitTradeName(t, form)
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		n++
		trade, rest := splitTradeName(t, body)
		if keys[r.Header.Get("Idempotency-Key")] || trades[trade] || !bytes.Equal(rest, formRest) {
			t.Errorf("request %d: key %q or trade name %s reused, or body changed", n, r.Header.Get("Idempotency-Key"), trade)
		}
		trades[trade] = true
		keys[r.Header.Get("Idempotency-Key")] = true
		w.Header().Set("Content-Type", "application/json")
		switch n % 3 {
		case 0:
			w.WriteHeader(http.StatusServiceUnavailable)
		case 1:
			w.WriteHeader(http.StatusAccepted)
			io.WriteString(w, `{"id":"A","accessToken":"t"}`)
		default:
			w.WriteHeader(http.StatusBadRequest)
		}
	}))
	defer srv.Close()
	sum, err := runLoadCmd(t, "--url", srv.URL, "--form", exampleForm, "--applicants", "9")
	if err == nil || !strings.Contains(err.Error(), "6 of 9 submissions failed") {
		t.Errorf("load error = %v, want 6 of 9 failed", err)
	}
	if sum.Accepted != 3 || sum.ErrorsBy["503"] != 3 || sum.ErrorsBy["400"] != 3 {
		t.Errorf("summary %+v, want 3 accepted, 3 × 503, 3 × 400", sum)
	}
}

func TestLoadRefusesUnboundedOrRemoteRuns(t *testing.T) {
	for _, args := range [][]string{
		{"--url", "http://example.com", "--applicants", "1"},
		{"--url", "http://10.0.0.1:8080", "--applicants", "1"},
		{"--url", "ftp://127.0.0.1", "--applicants", "1"},
		{"--applicants", "0"},
		{"--applicants", "100001"},
		{"--rate", "200"},
		{"--rate", "200", "--duration", "2h"},
		{"--rate", "5001", "--duration", "1s"},
		{"--rate", "10", "--duration", "1s", "--applicants", "5"},
		{"--rate", "1", "--duration", "10ms"},
		{"--applicants", "1", "--poll-every", "0s"},
		{"--applicants", "1", "--form", "no-such-file.json"},
		{"--applicants", "1", "--pid", "-3"},
		{"--applicants", "1", "extra"},
	} {
		args := append([]string{"--form", exampleForm}, args...)
		if _, err := parseLoad(args, io.Discard); err == nil {
			t.Errorf("load %q was accepted", args[2:])
		}
	}
}

func TestSummariseUsesNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for _, tc := range []struct {
		in   []time.Duration
		want latency
	}{
		{nil, latency{}},
		{[]time.Duration{3 * time.Millisecond}, latency{Count: 1, P50: 3, P90: 3, P99: 3, Max: 3}},
		{ds, latency{Count: 100, P50: 50, P90: 90, P99: 99, Max: 100}},
	} {
		if got := summarise(tc.in); got != tc.want {
			t.Errorf("summarise(%d values) = %+v, want %+v", len(tc.in), got, tc.want)
		}
	}
}

func TestReadRSSOfMissingProcess(t *testing.T) {
	if _, err := readRSS(1 << 30); err == nil {
		t.Error("readRSS of a process that cannot exist succeeded")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// splitTradeName returns a form's trade name and the form without its
// name (as canonical JSON), so submissions that differ only in the name
// compare equal.
func splitTradeName(t *testing.T, body []byte) (string, []byte) {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(body, &f); err != nil {
		t.Fatalf("body is not a form: %v", err)
	}
	company, _ := f["company"].(map[string]any)
	parts, _ := company["nameParts"].(map[string]any)
	trade, _ := parts["tradeName"].(string)
	delete(company, "name")
	delete(parts, "tradeName")
	rest, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return trade, rest
}
