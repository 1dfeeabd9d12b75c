package drills

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamoserver"
	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamotest"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// crashApplicationsDynamoDB is the crash drill's load on the DynamoDB
// store: moto answers one request at a time (a few applications a second
// end to end on a shared machine), so 20 keep the drill under a minute.
const crashApplicationsDynamoDB = 20

// needMoto skips a drill that needs moto_server when there is none, and
// fails it under CI, where a drill that did not run must not pass.
func needMoto(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("moto_server"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set and moto_server is not on PATH (pip install 'moto[server]'): the DynamoDB drills cannot run")
		}
		t.Skip("SKIPPED: moto_server is not on PATH (pip install 'moto[server]')")
	}
}

// TestCrashDrillDynamoDB is the crash drill on the DynamoDB store: the
// table lives in a moto_server the drill starts, which, like the agencies,
// outlives the killed stack; the engine's history stays in the data
// directory.
func TestCrashDrillDynamoDB(t *testing.T) {
	if testing.Short() {
		t.Skip("crash drill skipped in -short mode: it builds two binaries and runs for about 30 s")
	}
	needMoto(t)
	srv, err := dynamotest.Start(t.Context())
	if err != nil {
		t.Fatalf("starting moto_server: %v", err)
	}
	t.Cleanup(srv.Stop)
	// The applications move through moto's one request at a time
	// together, so the first completes only when nearly all have: the
	// stack is killed earlier, once the first has a registration done and
	// others still to make.
	crashDrill(t, crashApplicationsDynamoDB, []string{"--store", "dynamodb", "--dynamodb-endpoint", srv.Endpoint},
		"the first application has a track succeeded", func(c *client, first submission) bool {
			return c.tracksSucceeded(first) > 0
		})
}

// tracksSucceeded counts an application's succeeded tracks as its
// applicant sees them.
func (c *client) tracksSucceeded(s submission) int {
	c.t.Helper()
	r := c.do(request{method: http.MethodGet, path: "/v1/applications/" + s.ID, bearer: s.AccessToken})
	var st struct {
		Tracks []struct {
			Status string `json:"status"`
		} `json:"tracks"`
	}
	if r.code != http.StatusOK || json.Unmarshal(r.body, &st) != nil {
		c.t.Fatalf("status of %s: HTTP %d %s", s.ID, r.code, r.body)
	}
	n := 0
	for _, tr := range st.Tracks {
		if tr.Status == string(kaiban.TrackSucceeded) {
			n++
		}
	}
	return n
}

// TestHappyPathDynamoDB runs `local --store dynamodb` as an operator does,
// with no endpoint, so the stack starts its own moto_server: the example
// completes with all seven tracks succeeded, and the clerk API finds its
// audit trail intact.
func TestHappyPathDynamoDB(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: it builds the stack's binary")
	}
	needMoto(t)
	stackBin, _ := buildBinaries(t)
	data := t.TempDir()
	p := startProc(t, "stack-dynamodb", stackBin, "--addr", "127.0.0.1:0", "--data", data, "--agency-profile", "instant", "--log-level", "warn", "--store", "dynamodb", "--name-check=false", "--documents=false")
	c := newClient(t, p.urlAfter("Applicant portal:"))
	sub := c.submit(exampleForm(t), "dynamodb-happy-path")

	var status struct {
		Status string `json:"status"`
		Tracks []struct {
			Name   string `json:"name"`
			Status string `json:"status"`
		} `json:"tracks"`
	}
	deadline := time.Now().Add(time.Minute)
	for {
		r := c.do(request{method: http.MethodGet, path: "/v1/applications/" + sub.ID, bearer: sub.AccessToken})
		if r.code != http.StatusOK {
			t.Fatalf("status: HTTP %d %s", r.code, r.body)
		}
		if err := json.Unmarshal(r.body, &status); err != nil {
			t.Fatal(err)
		}
		if status.Status == string(kaiban.AppCompleted) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not completed within a minute on DynamoDB: %s", r.body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	succeeded := 0
	for _, tr := range status.Tracks {
		if tr.Status == string(kaiban.TrackSucceeded) {
			succeeded++
		} else {
			t.Errorf("track %s: %s", tr.Name, tr.Status)
		}
	}
	if succeeded != len(kaiban.Tracks) {
		t.Errorf("%d tracks succeeded, want %d", succeeded, len(kaiban.Tracks))
	}

	clerk := strings.TrimSpace(string(readFile(t, filepath.Join(data, "clerk.token"))))
	r := c.do(request{method: http.MethodGet, path: "/v1/clerk/applications/" + sub.ID, bearer: clerk})
	var view struct {
		Check verification `json:"auditVerification"`
	}
	if r.code != http.StatusOK || json.Unmarshal(r.body, &view) != nil {
		t.Fatalf("clerk view: HTTP %d %.300s", r.code, r.body)
	}
	if !view.Check.Intact || len(view.Check.Problems) != 0 {
		t.Errorf("audit verification on DynamoDB: %+v", view.Check)
	}
	if _, err := os.Stat(filepath.Join(data, "kaiban.db")); !os.IsNotExist(err) {
		t.Errorf("kaiban.db in the data directory of a DynamoDB stack (%v)", err)
	}
}

// A stack killed with SIGKILL runs no shutdown code, so the moto_server it
// started must not outlive it: left running, it would hold the dead run's
// tables and memory until someone found it.
func TestOwnMotoEndsWithAKilledStack(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode: it builds the stack's binary")
	}
	needMoto(t)
	stackBin, _ := buildBinaries(t)
	p := startProc(t, "stack-dynamodb", stackBin, "--addr", "127.0.0.1:0", "--data", t.TempDir(), "--agency-profile", "instant", "--log-level", "warn", "--store", "dynamodb", "--name-check=false", "--documents=false")
	endpoint, _, _ := strings.Cut(p.urlAfter("DynamoDB on moto at "), ",")
	p.urlAfter("Applicant portal:")
	if _, err := dynamoserver.Connect(t.Context(), endpoint); err != nil {
		t.Fatalf("the stack's moto_server at %s does not answer: %v", endpoint, err)
	}
	p.kill()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if _, err := dynamoserver.Connect(t.Context(), endpoint); err != nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the moto_server at %s still answers 15 s after its stack was killed", endpoint)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
