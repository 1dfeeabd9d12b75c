package drills

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// twoStackTrials is how many times the drill starts two stacks together.
const twoStackTrials = 15

// TestTwoStacksDrill starts two stacks as separate processes on one fresh
// data directory at the same moment, again and again: exactly one must run
// and the other refuse with a message that says why, the PII key must be the
// one the winner uses (what it stores stays readable after a restart), and
// the key never changes. Then it deletes the key and restarts: the start
// must be refused with a message saying to restore it, with nothing
// created or overwritten.
func TestTwoStacksDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("two-stacks drill skipped in -short mode: it builds a binary and starts 45 processes")
	}
	stackBin, _ := buildBinaries(t)
	start := func(name, data string) *proc {
		return startProc(t, name, stackBin, "--addr", "127.0.0.1:0", "--data", data, "--agency-profile", "instant", "--log-level", "warn", "--name-check=false")
	}
	began := time.Now()
	var lastData string
	for trial := range twoStackTrials {
		data := filepath.Join(t.TempDir(), "data")
		a, b := start(fmt.Sprintf("stack-%d-a", trial), data), start(fmt.Sprintf("stack-%d-b", trial), data)
		var winner *proc
		var winnerURL string
		for _, p := range []*proc{a, b} {
			if url, running := p.settle("Applicant portal:"); running {
				if winner != nil {
					t.Fatalf("trial %d: both stacks are running on one data directory", trial)
				}
				winner, winnerURL = p, url
				continue
			}
			if msg := p.stderr(); !strings.Contains(msg, "in use by another kaiban process") {
				t.Errorf("trial %d: %s exited without saying the directory is in use: %s", trial, p.name, msg)
			}
		}
		if winner == nil {
			t.Fatalf("trial %d: neither stack started: %s | %s", trial, a.stderr(), b.stderr())
		}
		key := readFile(t, filepath.Join(data, "pii.key"))
		c := newClient(t, winnerURL)
		sub := c.submit(exampleForm(t), fmt.Sprintf("two-stacks-%d", trial))
		winner.stop()

		again := start(fmt.Sprintf("stack-%d-restarted", trial), data)
		url, running := again.settle("Applicant portal:")
		if !running {
			t.Fatalf("trial %d: the restart failed: %s", trial, again.stderr())
		}
		c = newClient(t, url)
		clerk := strings.TrimSpace(string(readFile(t, filepath.Join(data, "clerk.token"))))
		if r := c.do(request{method: http.MethodGet, path: "/v1/clerk/applications/" + sub.ID, bearer: clerk}); r.code != http.StatusOK {
			t.Fatalf("trial %d: after the restart the clerk reads the winner's application as HTTP %d %.200s", trial, r.code, r.body)
		}
		if got := c.status(sub); got == "" {
			t.Fatalf("trial %d: the applicant cannot read the application after the restart", trial)
		}
		again.stop()
		if now := readFile(t, filepath.Join(data, "pii.key")); !bytes.Equal(now, key) {
			t.Fatalf("trial %d: pii.key changed", trial)
		}
		lastData = data
	}
	t.Logf("%d trials of two simultaneous starts in %s", twoStackTrials, time.Since(began).Round(time.Millisecond))

	// The key is deleted (or not restored with a backup): refuse, say what
	// to restore, and touch nothing.
	keyPath := filepath.Join(lastData, "pii.key")
	if err := os.Remove(keyPath); err != nil {
		t.Fatal(err)
	}
	storeBefore := readFile(t, filepath.Join(lastData, "kaiban.db"))
	p := start("stack-without-key", lastData)
	if _, running := p.settle("Applicant portal:"); running {
		t.Fatal("the stack started with pii.key deleted: every stored personal field would be unreadable")
	}
	if msg := p.stderr(); !strings.Contains(msg, "Restore pii.key") {
		t.Errorf("the refusal does not say to restore pii.key: %s", msg)
	}
	if _, err := os.Stat(keyPath); !os.IsNotExist(err) {
		t.Errorf("the refused start created a new pii.key (%v)", err)
	}
	if !bytes.Equal(readFile(t, filepath.Join(lastData, "kaiban.db")), storeBefore) {
		t.Error("the refused start changed kaiban.db")
	}
}

// settle waits until the process prints a line containing marker (it runs:
// the URL after the marker) or exits (it refused to start).
func (p *proc) settle(marker string) (url string, running bool) {
	p.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case line, ok := <-p.lines:
			if !ok {
				<-p.done
				return "", false
			}
			if _, rest, found := strings.Cut(line, marker); found {
				return strings.TrimSuffix(strings.TrimSpace(rest), "/"), true
			}
		case <-deadline:
			p.t.Fatalf("%s neither started nor exited within 30s", p.name)
		}
	}
}

// stderr is what the process wrote to its standard error so far.
func (p *proc) stderr() string {
	b, _ := os.ReadFile(p.errLog)
	return strings.TrimSpace(string(tail(b, 2048)))
}

// stop ends the process as Ctrl-C does and waits for it.
func (p *proc) stop() {
	p.t.Helper()
	p.signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.t.Fatalf("%s did not stop within 15 s of SIGINT", p.name)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
