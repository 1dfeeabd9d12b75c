package drills

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// crashApplications is how many applications are in the air when the
// stack is killed.
const crashApplications = 200

// TestCrashDrill kills the local stack with SIGKILL while applications are
// in flight, restarts it on the same data directory and checks that every
// application completes with exactly one live record per track at the
// agencies, which run as their own process and so remember everything the
// dead stack did.
func TestCrashDrill(t *testing.T) {
	if testing.Short() {
		t.Skip("crash drill skipped in -short mode: it builds two binaries and runs for about a minute")
	}
	crashDrill(t, crashApplications, nil, "the first application has completed", func(c *client, first submission) bool {
		return c.status(first) == string(kaiban.AppCompleted)
	})
}

// crashDrill runs the crash drill with n applications; storeArgs are the
// stack's store flags (nil: SQLite in the data directory). The stack is
// killed once killNow (described by when) holds for the first application.
func crashDrill(t *testing.T, n int, storeArgs []string, when string, killNow func(c *client, first submission) bool) {
	built := time.Now()
	stackBin, simBin := buildBinaries(t)
	t.Logf("binaries built in %s", time.Since(built).Round(100*time.Millisecond))
	// Demo latency (a few seconds per call, 2 % transient 503s) keeps most
	// applications mid-flight when the stack dies.
	agencies := startProc(t, "agencysim", simBin, "--addr", "127.0.0.1:0", "--profile", "demo", "--seed", "8", "--debug-addr", "127.0.0.1:0")
	simURL := agencies.urlAfter("set KAIBAN_AGENCY_URL=")
	recordsURL := agencies.urlAfter("debug records on ")

	data := t.TempDir()
	start := func(name string) (*proc, *client) {
		args := append([]string{"--addr", "127.0.0.1:0", "--data", data, "--agencies", simURL, "--log-level", "warn", "--name-check=false", "--documents=false"}, storeArgs...)
		p := startProc(t, name, stackBin, args...)
		return p, newClient(t, p.urlAfter("Applicant portal:"))
	}
	first, c := start("stack")

	// Submit at 50 a second, so the first are finishing while the last
	// are still at their first agencies.
	subs := make([]submission, n)
	tick := time.NewTicker(20 * time.Millisecond)
	var wg sync.WaitGroup
	form := exampleForm(t)
	for i := range subs {
		<-tick.C
		wg.Go(func() { subs[i] = c.submit(form, fmt.Sprintf("crash-drill-%03d", i)) })
	}
	tick.Stop()
	wg.Wait()

	deadline := time.Now().Add(time.Minute)
	for !killNow(c, subs[0]) {
		if time.Now().After(deadline) {
			t.Fatalf("not within a minute: %s", when)
		}
		time.Sleep(100 * time.Millisecond)
	}
	before := statusCounts(c, subs)
	first.kill()
	t.Logf("SIGKILL once %s, with applications %v", when, before)
	if before[string(kaiban.AppCompleted)] == n {
		t.Fatal("every application had completed before the crash: the drill proves nothing")
	}

	restarted := time.Now()
	_, c = start("stack-restarted")
	deadline = time.Now().Add(2 * time.Minute)
	for {
		after := statusCounts(c, subs)
		if after[string(kaiban.AppCompleted)] == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("two minutes after the restart: %v, want all %d COMPLETED", after, n)
		}
		time.Sleep(250 * time.Millisecond)
	}

	t.Logf("all %d COMPLETED %s after the restart", n, time.Since(restarted).Round(100*time.Millisecond))

	recs := fetchRecords(t, recordsURL, subs)
	for _, s := range subs {
		if live := recs.Live[s.ID]; !liveMatches(live) {
			t.Errorf("application %s: live records %v, want exactly %v", s.ID, live, wantLive)
		}
	}
	if want := n*recordsPerApp + founderChecks(recs.Live); recs.Total != want {
		t.Errorf("agencies created %d records in all, want %d: a registration was made twice", recs.Total, want)
	}
}

// statusCounts counts the applications by the status their applicants see.
func statusCounts(c *client, subs []submission) map[string]int {
	out := map[string]int{}
	for _, s := range subs {
		out[c.status(s)]++
	}
	return out
}

// simRecords is agencysim's GET /_sim/records answer.
type simRecords struct {
	Total int                       `json:"total"`
	Live  map[string]map[string]int `json:"live"`
}

func fetchRecords(t *testing.T, base string, subs []submission) simRecords {
	t.Helper()
	q := url.Values{}
	for _, s := range subs {
		q.Add("app", s.ID)
	}
	resp, err := http.Get(base + "?" + q.Encode())
	if err != nil {
		t.Fatalf("reading the agencies' records: %v", err)
	}
	defer resp.Body.Close()
	var out simRecords
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("reading the agencies' records: HTTP %d", resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("reading the agencies' records: %v", err)
	}
	return out
}
