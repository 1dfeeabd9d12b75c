package engine

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/workflow/engine/internal/journal"
)

// crashDef exercises every kind of durable step: tasks, a wait, a
// Parallel with a retried branch, a Map and a task token. Every task gets
// an idempotency key (execution/state/item/retry) in its input.
const crashDef = `{
 "StartAt": "Prepare",
 "States": {
  "Prepare": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
    "Parameters": {"key.$": "States.Format('{}/Prepare/{}', $$.Execution.Name, $$.State.RetryCount)", "n.$": "$.n"},
    "ResultPath": "$.prepared", "Next": "Pause"},
  "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Fan"},
  "Fan": {"Type": "Parallel", "ResultPath": "$.fan", "Next": "Items", "Branches": [
    {"StartAt": "Left", "States": {"Left": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
      "Parameters": {"key.$": "States.Format('{}/Left/{}', $$.Execution.Name, $$.State.RetryCount)", "n.$": "$.n"}, "End": true}}},
    {"StartAt": "Right", "States": {"Right": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:flaky",
      "Parameters": {"key.$": "States.Format('{}/Right/{}', $$.Execution.Name, $$.State.RetryCount)", "n.$": "$.n"},
      "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": 1, "MaxAttempts": 3}], "End": true}}}]},
  "Items": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "ResultPath": "$.items", "Next": "Approve",
    "ItemSelector": {"key.$": "States.Format('{}/Item{}', $$.Execution.Name, $$.Map.Item.Index)", "n.$": "$$.Map.Item.Value"},
    "ItemProcessor": {"StartAt": "Each", "States": {"Each": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:work",
      "Parameters": {"key.$": "States.Format('{}/{}', $.key, $$.State.RetryCount)", "n.$": "$.n"}, "End": true}}}},
  "Approve": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "Parameters": {"FunctionName": "park", "Payload": {"key.$": "States.Format('{}/Approve/{}', $$.Execution.Name, $$.State.RetryCount)", "token.$": "$$.Task.Token"}},
    "ResultPath": "$.approval", "Next": "Done"},
  "Done": {"Type": "Succeed"}
 }
}`

const crashExecutions = 24

// crashHandlers log every invocation to logPath (O_APPEND, one write per
// line, so lines survive a SIGKILL): "begin <key>" when a task starts and
// "token <key> <token>" when one parks.
func crashHandlers(logPath string) (map[string]Handler, func()) {
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		panic(err)
	}
	var mu sync.Mutex
	logLine := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		_, _ = f.WriteString(s + "\n")
	}
	type in struct {
		Key   string `json:"key"`
		N     int    `json:"n"`
		Token string `json:"token"`
	}
	work := func(ctx context.Context, raw json.RawMessage) (json.RawMessage, error) {
		var v in
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		logLine("begin " + v.Key)
		// Model an agency's latency so that the kill finds tasks in flight.
		if err := (RealClock{}).Sleep(ctx, 20*time.Millisecond); err != nil {
			return nil, err
		}
		return json.Marshal(map[string]any{"double": v.N * 2})
	}
	return map[string]Handler{
		"work": work,
		"flaky": func(ctx context.Context, raw json.RawMessage) (json.RawMessage, error) {
			var v in
			_ = json.Unmarshal(raw, &v)
			if strings.HasSuffix(v.Key, "/0") {
				logLine("begin " + v.Key)
				return nil, &TaskError{Name: "Flaky", Cause: "first attempt fails"}
			}
			return work(ctx, raw)
		},
		"park": func(_ context.Context, raw json.RawMessage) (json.RawMessage, error) {
			var v in
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, err
			}
			logLine("begin " + v.Key)
			logLine("token " + v.Key + " " + v.Token)
			return json.RawMessage(`{}`), nil
		},
	}, func() { f.Close() }
}

// TestCrashChild is the process TestCrashResume kills; it does nothing
// when run on its own.
func TestCrashChild(t *testing.T) {
	db, logPath := os.Getenv("ENGINE_CRASH_DB"), os.Getenv("ENGINE_CRASH_LOG")
	if db == "" {
		t.Skip("helper process for TestCrashResume (runs only when ENGINE_CRASH_DB is set)")
	}
	handlers, _ := crashHandlers(logPath)
	e, err := New(context.Background(), Options{DBPath: db, Handlers: handlers})
	if err != nil {
		t.Fatal(err)
	}
	arn := mustCreate(t, e, "crash", crashDef)
	tick := time.NewTicker(15 * time.Millisecond) // pace the starts so the kill finds executions at every step
	defer tick.Stop()
	for i := range crashExecutions {
		<-tick.C
		if _, err := e.StartExecution(context.Background(), arn, fmt.Sprintf("app-%02d", i), fmt.Sprintf(`{"n":%d,"items":[1,2,3]}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	<-time.After(time.Minute) // the parent kills us long before this
}

// TestCrashResume kills a process running durable executions with
// SIGKILL, then resumes them in a new engine on the same database: all
// finish with the right outputs, tokens issued before the crash still
// work, and no task whose completion was recorded runs again.
func TestCrashResume(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process; skipped with -short")
	}
	dir := t.TempDir()
	db, logPath := filepath.Join(dir, "engine.db"), filepath.Join(dir, "invocations.log")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ENGINE_CRASH_DB="+db, "ENGINE_CRASH_LOG="+logPath)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Kill once a third of the executions wait for their token and the
	// rest are still at work.
	deadline := time.Now().Add(60 * time.Second)
	for {
		lines := readLog(t, logPath)
		if countPrefix(lines, "token ") >= crashExecutions/3 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("child made no progress: %d log lines", len(lines))
		}
		time.Sleep(2 * time.Millisecond) // polling interval
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = cmd.Wait()
	tokensBefore := countPrefix(readLog(t, logPath), "token ")

	recordedDone := recordedSuccesses(t, db)

	handlers, closeLog := crashHandlers(logPath)
	defer closeLog()
	e := newTestEngine(t, Options{DBPath: db, Handlers: handlers})
	ctx := context.Background()
	smArn := stateMachineArn("crash")
	xs, err := e.ListExecutions(ctx, smArn, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(xs) == 0 {
		t.Fatal("no executions survived the crash")
	}
	// Approve every execution with the newest token it was given, the
	// ones issued before the crash included.
	approved := map[string]bool{}
	for len(approved) < len(xs) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d executions reached Approve", len(approved), len(xs))
		}
		for exec, tok := range latestTokens(readLog(t, logPath)) {
			if approved[exec] {
				continue
			}
			if err := e.SendTaskSuccess(ctx, tok, `{"approved":true}`); err != nil {
				t.Fatalf("SendTaskSuccess for %s: %v", exec, err)
			}
			approved[exec] = true
		}
		time.Sleep(2 * time.Millisecond) // polling interval
	}
	for _, x := range xs {
		got := waitEnd(t, e, x.Arn)
		if got.Status != StatusSucceeded {
			t.Errorf("%s: %s %s %s", x.Name, got.Status, got.Error, got.Cause)
			continue
		}
		var n int
		fmt.Sscanf(x.Name, "app-%d", &n)
		want := fmt.Sprintf(`{"n":%d,"items":[{"double":2},{"double":4},{"double":6}],"prepared":{"double":%d},
			"fan":[{"double":%d},{"double":%d}],"approval":{"approved":true}}`, n, 2*n, 2*n, 2*n)
		if !jsonEq(t, got.Output, want) {
			t.Errorf("%s output %s", x.Name, got.Output)
		}
	}

	begins := map[string]int{}
	for _, l := range readLog(t, logPath) {
		if key, ok := strings.CutPrefix(l, "begin "); ok {
			begins[key]++
		}
	}
	reruns := 0
	for key, n := range begins {
		switch {
		case recordedDone[key] && n != 1:
			t.Errorf("%s completed before the crash but ran %d times", key, n)
		case n > 2:
			t.Errorf("%s ran %d times", key, n)
		case n == 2:
			reruns++
		}
	}
	for key := range recordedDone {
		if begins[key] == 0 {
			t.Errorf("%s recorded as done but never ran", key)
		}
	}
	t.Logf("%d executions resumed; %d tasks were recorded done before the kill; %d tokens issued before it; %d in-flight tasks ran again (at-least-once)",
		len(xs), len(recordedDone), tokensBefore, reruns)
}

func readLog(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); strings.Count(l, " ") >= 1 {
			lines = append(lines, l)
		}
	}
	return lines
}

func countPrefix(lines []string, p string) int {
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(l, p) {
			n++
		}
	}
	return n
}

// latestTokens maps execution name to the newest token logged for it.
func latestTokens(lines []string) map[string]string {
	out := map[string]string{}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) == 3 && f[0] == "token" {
			out[strings.SplitN(f[1], "/", 2)[0]] = f[2]
		}
	}
	return out
}

// recordedSuccesses reads the journal as the kill left it and returns the
// idempotency keys of the task attempts whose success it recorded.
func recordedSuccesses(t *testing.T, db string) map[string]bool {
	t.Helper()
	j, err := journal.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	xs, err := j.Executions(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	for _, x := range xs {
		evs, err := j.Events(context.Background(), x.Seq)
		if err != nil {
			t.Fatal(err)
		}
		pending := map[string]string{} // thread → key of the attempt in flight
		for _, r := range evs {
			ev := eventFromRecord(&r)
			rec, _ := ev.recorded()
			switch ev.typ {
			case evLambdaScheduled:
				var in struct{ Key string }
				_ = json.Unmarshal([]byte(rec.Input), &in)
				pending[ev.thread] = in.Key
			case evLambdaSucceeded:
				done[pending[ev.thread]] = true
			}
		}
	}
	return done
}
