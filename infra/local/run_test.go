package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer the server goroutine writes while the test
// reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A clerk.token left readable by others (an earlier version wrote it under
// the umask, or it was copied in) is private once the stack has written the
// new token into it.
func TestClerkTokenIsPrivate(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	tokenPath := filepath.Join(data, "clerk.token")
	if err := os.WriteFile(tokenPath, []byte("old token\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tokenPath, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--data", data, "--agency-profile", "instant", "--log-level", "warn", "--name-check=false"}, func(string) string { return "" }, &out, &errOut)
	}()
	ended := false
	defer func() {
		cancel()
		if ended {
			return
		}
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Dev clerk token") {
		select {
		case err := <-done:
			ended = true
			t.Fatalf("serve ended early: %v\n%s", err, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no token within 30 s:\n%s\n%s", out.String(), errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	fi, err := os.Stat(tokenPath)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("clerk.token has mode %v, want 0600", fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(tokenPath); strings.Contains(string(b), "old token") {
		t.Errorf("clerk.token still holds the old token")
	}
	// Beside it, a supervisor's token (groups clerks and supervisors).
	sup := filepath.Join(data, "supervisor.token")
	if fi, err := os.Stat(sup); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("supervisor.token: %v %v, want mode 0600", fi, err)
	}
	b, _ := os.ReadFile(sup)
	parts := strings.Split(strings.TrimSpace(string(b)), ".")
	if len(parts) != 3 {
		t.Fatalf("supervisor.token is not a JWT: %q", b)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || !strings.Contains(string(payload), `"cognito:groups":["clerks","supervisors"]`) {
		t.Errorf("supervisor.token claims %s (%v), want groups clerks and supervisors", payload, err)
	}
}
