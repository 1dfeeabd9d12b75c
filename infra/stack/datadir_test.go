package stack

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack/apigw"
	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// startOn starts a stack on dir with the given simulator profile.
func startOn(dir string, profile sim.Profile, log *logrus.Logger) (*Stack, error) {
	return startSigning(Config{DataDir: dir, Profile: profile, WatchdogEvery: -1, AgencyTimeout: 2 * time.Second, Logger: log})
}

// mustStartOn is startOn failing the test on error; the stack is closed at
// cleanup unless the test closed it.
func mustStartOn(t *testing.T, dir string, profile sim.Profile) *Stack {
	t.Helper()
	st, err := startOn(dir, profile, nil)
	if err != nil {
		t.Fatalf("starting the stack on %s: %v", dir, err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// call sends one request to a stack's handler.
func call(t *testing.T, st *Stack, method, path, bearer string, body []byte) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	rec := httptest.NewRecorder()
	st.Handler.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// submitTo submits the example form and returns the application's ID.
func submitTo(t *testing.T, st *Stack) string {
	t.Helper()
	code, body := call(t, st, http.MethodPost, "/v1/applications", "", exampleForm(t, nil))
	if code != http.StatusAccepted {
		t.Fatalf("submit: HTTP %d %s", code, body)
	}
	_, rest, _ := strings.Cut(body, `"id":"`)
	id, _, _ := strings.Cut(rest, `"`)
	return id
}

// clerkView reads the full application (its personal fields unsealed) as a
// clerk does, and returns the HTTP status.
func clerkView(t *testing.T, st *Stack, id string) (int, string) {
	t.Helper()
	tok, err := apigw.IssueDevToken(st.ClerkKey, "clerk-7", "李娜", []string{api.DefaultClerkGroup}, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return call(t, st, http.MethodGet, "/v1/clerk/applications/"+id, tok, nil)
}

// Two stacks started together on one fresh directory: exactly one runs, the
// other is refused, and what the winner stores stays readable after a
// restart (its PII key is the one on disk).
func TestConcurrentStartsOnOneDataDirKeepOneKey(t *testing.T) {
	const trials = 10
	for trial := range trials {
		dir := t.TempDir()
		var wg sync.WaitGroup
		stacks, errs := make([]*Stack, 2), make([]error, 2)
		start := make(chan struct{})
		for i := range stacks {
			wg.Go(func() {
				<-start
				stacks[i], errs[i] = startOn(dir, sim.Instant(), nil)
			})
		}
		close(start)
		wg.Wait()
		var winner *Stack
		for i := range stacks {
			if errs[i] == nil {
				if winner != nil {
					t.Fatalf("trial %d: both stacks started on one data directory", trial)
				}
				winner = stacks[i]
			} else if !strings.Contains(errs[i].Error(), "in use by another kaiban process") {
				t.Errorf("trial %d: the loser's error does not say why: %v", trial, errs[i])
			}
		}
		if winner == nil {
			t.Fatalf("trial %d: neither stack started: %v", trial, errs)
		}
		id := submitTo(t, winner)
		if err := winner.Close(); err != nil {
			t.Fatal(err)
		}
		again := mustStartOn(t, dir, sim.Instant())
		if code, body := clerkView(t, again, id); code != http.StatusOK {
			t.Fatalf("trial %d: after restart the clerk view answers HTTP %d %.200s", trial, code, body)
		}
		again.Close()
	}
}

// A key file deleted from a directory with data is never silently made
// again: the start is refused, says which file to restore, writes nothing,
// and starts again once the file is back.
func TestMissingKeyBesideDataIsRefused(t *testing.T) {
	for _, name := range []string{"pii.key", "token.secret", "jwt.key", "audit.key"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			st := mustStartOn(t, dir, sim.Instant())
			id := submitTo(t, st)
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, name)
			saved, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			_, err = startOn(dir, sim.Instant(), nil)
			if err == nil {
				t.Fatalf("the stack started with %s deleted; old data would be unreadable", name)
			}
			if !kaiban.IsName(err, kaiban.ErrConfig) || !strings.Contains(err.Error(), "Restore "+name) {
				t.Errorf("error %q: want %s naming the file to restore", err, kaiban.ErrConfig)
			}
			if _, serr := os.Stat(path); !os.IsNotExist(serr) {
				t.Fatalf("a refused start wrote %s (%v)", name, serr)
			}
			if err := os.WriteFile(path, saved, 0o600); err != nil {
				t.Fatal(err)
			}
			again := mustStartOn(t, dir, sim.Instant())
			if code, body := clerkView(t, again, id); code != http.StatusOK {
				t.Fatalf("with %s restored the clerk view answers HTTP %d %.200s", name, code, body)
			}
		})
	}
}

// A key file that appears while it is being created is kept, not
// overwritten.
func TestCreateExclusiveNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "k"), []byte("theirs"), 0o600); err != nil {
		t.Fatal(err)
	}
	created, err := createExclusive(dir, "k", []byte("ours"))
	if err != nil || created {
		t.Fatalf("createExclusive over an existing file: created=%v err=%v", created, err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "k")); string(b) != "theirs" {
		t.Fatalf("the existing file now holds %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".k.new-*")); len(left) > 0 {
		t.Fatalf("temporary files left behind: %v", left)
	}
}

// A data directory left 0755 with 0644 files (an earlier run under another
// umask, or files copied in) is made private: the directory 0700 and every
// file in it, the databases' -wal and -shm included, 0600, with a warning
// per change.
func TestDataDirectoryIsMadePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	st := mustStartOn(t, dir, sim.Instant())
	submitTo(t, st)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	// Files an earlier version, another tool or a copy left open.
	for _, n := range []string{"clerk.token", "kaiban.db-wal", "kaiban.db-shm", "engine.db-wal", "engine.db-shm"} {
		if _, err := os.Stat(filepath.Join(dir, n)); os.IsNotExist(err) {
			if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if err := os.Chmod(filepath.Join(dir, e.Name()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	log, hook := test.NewNullLogger()
	st, err := startOn(dir, sim.Instant(), log)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	submitTo(t, st) // the WAL files exist and are written
	fi, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o700 {
		t.Errorf("data directory mode %v, want 0700", fi.Mode().Perm())
	}
	entries, _ = os.ReadDir(dir)
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		if want := privateMode(e); info.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", e.Name(), info.Mode().Perm(), want)
		}
	}
	warned := 0
	for _, e := range hook.AllEntries() {
		if e.Level == logrus.WarnLevel && strings.Contains(e.Message, "other users") {
			warned++
		}
	}
	if warned < len(entries) {
		t.Errorf("%d warnings about modes for %d files and the directory", warned, len(entries))
	}
}

// A fresh directory gets private files even under a permissive umask: the
// databases' -wal and -shm included, which SQLite creates itself.
func TestNewFilesArePrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	st := mustStartOn(t, dir, sim.Instant())
	submitTo(t, st)
	entries, _ := os.ReadDir(dir)
	seen := map[string]bool{}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		seen[e.Name()] = true
		if want := privateMode(e); info.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", e.Name(), info.Mode().Perm(), want)
		}
	}
	for _, n := range []string{"kaiban.db", "kaiban.db-wal", "kaiban.db-shm", "engine.db", "engine.db-wal", "pii.key"} {
		if !seen[n] {
			t.Errorf("%s missing from the data directory: %v", n, seen)
		}
	}
}

// The store and the engine's history are one pair: a blank one beside a
// populated other is refused with a message saying what to restore, and
// nothing is changed.
func TestBlankHalfOfThePairIsRefused(t *testing.T) {
	cases := []struct {
		name    string
		profile sim.Profile
		wait    bool   // for the application to complete before stopping
		remove  string // the database to lose
		want    string
	}{
		{"blank store beside executions", sim.Instant(), true, "kaiban.db", "holds no applications"},
		{"blank engine beside applications in progress", slowRegistries(), false, "engine.db", "applications in progress"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			st := mustStartOn(t, dir, c.profile)
			id := submitTo(t, st)
			// Wait for the application to complete, or (demo agencies take
			// seconds) at least to be in progress: a SUBMITTED one beside a
			// blank engine is the reconciler's to start, not a lost engine.
			{
				deadline := time.Now().Add(30 * time.Second)
				for {
					app, err := st.Store.GetApplication(context.Background(), id)
					if err == nil && (app.Status == kaiban.AppCompleted || !c.wait && app.Status != kaiban.AppSubmitted) {
						break
					}
					if time.Now().After(deadline) {
						t.Fatalf("the application did not complete: %v %v", app, err)
					}
					time.Sleep(20 * time.Millisecond)
				}
			}
			if err := st.Close(); err != nil {
				t.Fatal(err)
			}
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(filepath.Join(dir, c.remove+suffix))
			}
			other := map[string]string{"kaiban.db": "engine.db", "engine.db": "kaiban.db"}[c.remove]
			before, _ := os.ReadFile(filepath.Join(dir, other))
			_, err := startOn(dir, sim.Instant(), nil)
			if err == nil {
				t.Fatalf("the stack started with %s lost", c.remove)
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "Restore "+c.remove) {
				t.Errorf("error %q: want it to say %q and what to restore", err, c.want)
			}
			if _, serr := os.Stat(filepath.Join(dir, c.remove)); !os.IsNotExist(serr) {
				t.Errorf("the refused start created %s", c.remove)
			}
			if after, _ := os.ReadFile(filepath.Join(dir, other)); !bytes.Equal(before, after) {
				t.Errorf("the refused start changed %s", other)
			}
		})
	}
}

// slowRegistries is the demo profile (agencies take seconds, so an
// application is still in progress when the stack stops) with an instant
// identity agency: the founders sign at once, without the demo's
// identity calls running into the stack's 2 s agency timeout.
func slowRegistries() sim.Profile {
	p := sim.Demo()
	p.Agencies[kaiban.AgencyIdentity] = sim.Behaviour{}
	return p
}

// privateMode is the mode an entry of the data directory must have: 0600
// for a file, 0700 for a folder (the documents').
func privateMode(e os.DirEntry) os.FileMode {
	if e.IsDir() {
		return 0o700
	}
	return 0o600
}
