package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// result is one run of the program.
type result struct {
	code           int
	stdout, stderr string
}

// runDeadline turns an execution that never ends into a failing test (exit
// 3, "context deadline exceeded" on stderr) instead of a hung test binary.
const runDeadline = 30 * time.Second

// sfnlocal runs the real program in-process, as main would.
func sfnlocal(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	getenv := func(string) string { return "" }
	ctx, cancel := context.WithTimeout(context.Background(), runDeadline)
	defer cancel()
	code := run(ctx, args, getenv, strings.NewReader(stdin), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

const (
	benchDef   = "testdata/bench.asl.json"
	benchMocks = "testdata/bench.mock.json"
	benchInput = "testdata/input.json"
	caseMocks  = "testdata/cases.mock.json"
)

// TestRun covers `sfnlocal run`: outputs, failures, mocks, retries and
// every reason to refuse, each with its exit code.
func TestRun(t *testing.T) {
	withCase := func(tc string) []string {
		return []string{"run", benchDef, "--input", benchInput, "--mock-config", caseMocks, "--test-case", tc, "--state-machine", "bench"}
	}
	tests := []struct {
		name    string
		args    []string
		stdin   string
		code    int
		stdout  string // JSON the output must contain (subset), or "" to skip
		stderr  string // text stderr must contain
		nothing bool   // stdout must be empty
	}{
		{name: "shared bench mocks", args: []string{"run", benchDef, "--input", benchInput, "--mock-config", benchMocks, "--test-case", "Trivial"},
			stdout: `{"company":{"name":"Acme","country":"GB","type":"LTD"},"key":"Acme-GB","validation":{"valid":true},"checks":[{"nameFree":true},{"kyc":"passed"}],"record":{"id":"Acme-GB"}}`},
		{name: "input from stdin", args: []string{"run", benchDef, "--input", "-", "--mock-config", benchMocks, "--test-case", "Trivial"},
			stdin: `{"company":{"name":"Beta","country":"CN","type":"LTD"}}`, stdout: `{"key":"Beta-CN"}`},
		{name: "flags before the definition", args: []string{"run", "--input", benchInput, "--mock-config", benchMocks, "--test-case", "Trivial", benchDef},
			stdout: `{"record":{"id":"Acme-GB"}}`},
		{name: "not LTD goes to the Fail state", args: []string{"run", benchDef, "--input", "-", "--mock-config", benchMocks, "--test-case", "Trivial"},
			stdin: `{"company":{"name":"Gamma","country":"GB","type":"PLC"}}`, code: 1,
			stdout: `{"Error":"Rejected","Cause":"not LTD or persist failed"}`},
		{name: "Throw mock caught by Catch", args: withCase("PersistThrows"), code: 1,
			stdout: `{"Error":"Rejected","Cause":"not LTD or persist failed"}`},
		{name: "retries consume invocation indices 0, 1-2, 3", args: withCase("KycRecovers"),
			stdout: `{"checks":[{"nameFree":true},{"kyc":"passed late"}]}`},
		{name: "retries exhausted fail the execution", args: withCase("KycNeverRecovers"), code: 1,
			stdout: `{"Error":"Agency.Rejected","Cause":"blacklisted"}`},
		{name: "mocks running out is States.Runtime", args: withCase("KycMocksRunOut"), code: 1,
			stdout: `{"Error":"States.Runtime"}`},
		{name: "missing mock refused before running", args: withCase("NotifyUnmocked"), code: 2,
			stderr: `test case "NotifyUnmocked" has no mock for Task state(s) "Notify"`, nothing: true},
		{name: "unknown test case", args: []string{"run", benchDef, "--mock-config", benchMocks, "--test-case", "Nope"}, code: 2,
			stderr: `no test case "Nope" (it has: Trivial)`, nothing: true},
		{name: "two machines need --state-machine", args: []string{"run", benchDef, "--mock-config", caseMocks, "--test-case", "HappyPath"}, code: 2,
			stderr: "--state-machine", nothing: true},
		{name: "test case without mock config", args: []string{"run", benchDef, "--test-case", "Trivial"}, code: 2,
			stderr: "go together", nothing: true},
		{name: "invalid definition", args: []string{"run", "testdata/invalid.asl.json"}, code: 2,
			stderr: "invalid definition", nothing: true},
		{name: "invalid input", args: []string{"run", benchDef, "--input", "testdata/broken-input.json"}, code: 2,
			stderr: "not valid JSON", nothing: true},
		{name: "missing definition file", args: []string{"run", "testdata/nope.asl.json"}, code: 2,
			stderr: "no such file", nothing: true},
		{name: "two definitions", args: []string{"run", benchDef, benchDef}, code: 2, stderr: "one DEFINITION", nothing: true},
		{name: "unknown flag", args: []string{"run", benchDef, "--inptu", "x"}, code: 2, stderr: "inptu", nothing: true},
		{name: "JSONata version of the bench definition, same mocks, same output",
			args:   []string{"run", "testdata/bench-jsonata.asl.json", "--input", benchInput, "--mock-config", benchMocks, "--test-case", "Trivial"},
			stdout: `{"company":{"name":"Acme","country":"GB","type":"LTD"},"key":"Acme-GB","validation":{"valid":true},"checks":[{"nameFree":true},{"kyc":"passed"}],"record":{"id":"Acme-GB"}}`},
		{name: "JSONata Choice to the Fail state", args: []string{"run", "testdata/bench-jsonata.asl.json", "--input", "-", "--mock-config", benchMocks, "--test-case", "Trivial"},
			stdin: `{"company":{"name":"Gamma","country":"GB","type":"PLC"}}`, code: 1,
			stdout: `{"Error":"Rejected","Cause":"not LTD or persist failed"}`},
		{name: "variables across JSONPath and JSONata states", args: []string{"run", "testdata/variables.asl.json", "--input", benchInput},
			stdout: `{"label":"Acme (GB)","attempt":1,"line":"Acme (GB) #1"}`},
		{name: "invalid JSONata definition", args: []string{"run", "testdata/jsonata-invalid.asl.json"}, code: 2,
			stderr: "not supported when QueryLanguage is JSONata", nothing: true},
		{name: "no command", args: nil, code: 2, stderr: "usage:", nothing: true},
		{name: "unknown command", args: []string{"execute"}, code: 2, stderr: `unknown command "execute"`, nothing: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sfnlocal(t, tt.stdin, tt.args...)
			if got.code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", got.code, tt.code, got.stdout, got.stderr)
			}
			if tt.stdout != "" {
				assertJSONContains(t, got.stdout, tt.stdout)
			}
			if tt.nothing && got.stdout != "" {
				t.Errorf("stdout = %q, want nothing", got.stdout)
			}
			if !strings.Contains(got.stderr, tt.stderr) {
				t.Errorf("stderr = %q, want it to contain %q", got.stderr, tt.stderr)
			}
		})
	}
}

// TestRunNamesTheState: when mocks run out, the cause says which state and
// which invocation, so the test file can be fixed.
func TestRunNamesTheState(t *testing.T) {
	got := sfnlocal(t, "", "run", benchDef, "--input", benchInput, "--mock-config", caseMocks, "--test-case", "KycMocksRunOut", "--state-machine", "bench")
	if !strings.Contains(got.stdout, `state \"KycCheck\" has no answer for invocation 1`) {
		t.Errorf("stdout = %s", got.stdout)
	}
}

// TestRunHistory: --history prints GetExecutionHistory's JSON on stderr and
// leaves stdout to the output.
func TestRunHistory(t *testing.T) {
	got := sfnlocal(t, "", "run", benchDef, "--input", benchInput, "--mock-config", benchMocks, "--test-case", "Trivial", "--history")
	if got.code != 0 {
		t.Fatalf("exit %d: %s", got.code, got.stderr)
	}
	var h struct {
		Events []struct {
			ID   int64  `json:"id"`
			Type string `json:"type"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(strings.TrimSpace(got.stderr)), &h); err != nil {
		t.Fatalf("stderr is not a history: %v\n%s", err, got.stderr)
	}
	if n := len(h.Events); n < 10 || h.Events[0].Type != "ExecutionStarted" || h.Events[n-1].Type != "ExecutionSucceeded" || h.Events[0].ID != 1 {
		t.Errorf("history: %+v", h.Events)
	}
	assertJSONContains(t, got.stdout, `{"record":{"id":"Acme-GB"}}`)
}

// TestValidate: exit 0 for a valid definition, 2 with each problem on its
// own line otherwise.
func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr []string
	}{
		{"valid", []string{"validate", benchDef}, 0, "valid", nil},
		{"invalid", []string{"validate", "testdata/invalid.asl.json"}, 2, "", []string{"Nowhere", "MaxAttemps"}},
		{"not JSON", []string{"validate", "testdata/broken-input.json"}, 2, "", []string{"invalid definition"}},
		{"no file", []string{"validate"}, 2, "", []string{"one DEFINITION"}},
		{"valid JSONata", []string{"validate", "testdata/bench-jsonata.asl.json"}, 0, "valid", nil},
		{"valid with variables", []string{"validate", "testdata/variables.asl.json"}, 0, "valid", nil},
		{"JSONPath fields in JSONata states, named by state and field", []string{"validate", "testdata/jsonata-invalid.asl.json"}, 2, "", []string{
			"States.Prepare.Parameters: The field 'Parameters' is not supported when QueryLanguage is JSONata",
			"States.Prepare.ResultPath: The field 'ResultPath'",
			"States.Decide.Choices[0].Variable: The field 'Variable' is not supported when QueryLanguage is JSONata; use Condition",
			"States.Decide.Choices[0].Condition: required field is missing",
			"States.Done.Output: The JSONata expression '$states.input.' specified for the field 'Output' is invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sfnlocal(t, "", tt.args...)
			if got.code != tt.code || !strings.Contains(got.stdout, tt.stdout) {
				t.Fatalf("exit %d stdout %q, want %d %q (stderr %s)", got.code, got.stdout, tt.code, tt.stdout, got.stderr)
			}
			lines := strings.Split(got.stderr, "\n")
			for _, w := range tt.stderr {
				found := 0
				for _, l := range lines {
					if strings.Contains(l, w) {
						found++
					}
				}
				if found == 0 {
					t.Errorf("no stderr line mentions %q:\n%s", w, got.stderr)
				}
			}
		})
	}
}

// TestBench: one JSON line with the documented fields, in memory and
// durable; refusals exit 2.
func TestBench(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"in memory", []string{"-n", "40", "--concurrency", "4", "--warmup", "5"}, 0},
		{"durable", []string{"-n", "20", "--concurrency", "8", "--warmup", "0", "--durable", t.TempDir()}, 0},
		// Executions finish and are forgotten while others are still
		// being started: each must still be seen to succeed.
		{"more in flight than retained", []string{"-n", "6000", "--concurrency", "100", "--warmup", "0", "--retain", "1"}, 0},
		{"unknown test case", []string{"-n", "5", "--test-case", "Missing"}, 2},
		{"failing executions are not a result", []string{"-n", "5", "--mock-config", caseMocks, "--state-machine", "bench", "--test-case", "KycMocksRunOut"}, 1},
		{"zero executions", []string{"-n", "0"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"bench", benchDef, "--input", benchInput, "--mock-config", benchMocks, "--test-case", "Trivial"}, tt.args...)
			got := sfnlocal(t, "", args...)
			if got.code != tt.code {
				t.Fatalf("exit %d, want %d: %s", got.code, tt.code, got.stderr)
			}
			if tt.code != 0 {
				return
			}
			lines := strings.Split(strings.TrimSpace(got.stdout), "\n")
			var r benchResult
			dec := json.NewDecoder(strings.NewReader(got.stdout))
			dec.DisallowUnknownFields()
			if len(lines) != 1 || dec.Decode(&r) != nil {
				t.Fatalf("stdout is not one bench line: %q", got.stdout)
			}
			if r.Executions == 0 || r.Seconds <= 0 || r.ExecutionsPerSecond <= 0 || r.P50Ms <= 0 || r.P99Ms < r.P50Ms {
				t.Errorf("implausible result %+v", r)
			}
		})
	}
}

// assertJSONContains checks that every member of want appears in got with
// the same value (objects compared member by member, arrays exactly).
func assertJSONContains(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("output is not JSON: %q", got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation %q", want)
	}
	if !contains(g, w) {
		t.Errorf("output %s\ndoes not contain %s", got, want)
	}
}

func contains(got, want any) bool {
	wm, ok := want.(map[string]any)
	if !ok {
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(want)
		return bytes.Equal(gb, wb)
	}
	gm, ok := got.(map[string]any)
	if !ok {
		return false
	}
	for k, wv := range wm {
		gv, ok := gm[k]
		if !ok || !contains(gv, wv) {
			return false
		}
	}
	return true
}

// TestRunS3Dir: --s3-dir maps a bucket to a folder for a distributed
// Map's ItemReader; a bad mapping is refused as usage.
func TestRunS3Dir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "items.json"), []byte(`[{"a":1},{"a":2}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	def := filepath.Join(t.TempDir(), "dist.asl.json")
	if err := os.WriteFile(def, []byte(`{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
		"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},"Parameters":{"Bucket":"in","Key":"items.json"}},
		"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	got := sfnlocal(t, "", "run", def, "--s3-dir", "in="+dir)
	if got.code != 0 || strings.TrimSpace(got.stdout) != `[{"a":1},{"a":2}]` {
		t.Errorf("exit %d, stdout %s, stderr %s", got.code, got.stdout, got.stderr)
	}
	if bad := sfnlocal(t, "", "run", def, "--s3-dir", "in"); bad.code != exitInvalid {
		t.Errorf("--s3-dir without =PATH: exit %d", bad.code)
	}
}
