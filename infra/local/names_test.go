package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestRegisteredNamesFlag: --registered-names loads exactly the file's
// names and generates none, so the name check refuses the file's name and
// passes a name only a generated registry might hold.
func TestRegisteredNamesFlag(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "names.jsonl")
	if err := os.WriteFile(file, []byte(`{"name":"大连海韵软件有限公司","status":"REGISTERED","changedAt":"2021-06-01"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--agency-profile", "instant",
			"--log-level", "warn", "--registered-names", file}, func(string) string { return "" }, &out, &errOut)
	}()
	defer func() {
		cancel()
		<-done
	}()
	portal := regexp.MustCompile(`Applicant portal:\s+(http://\S+)/`)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == ""; {
		if m := portal.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("serve ended early: %v\n%s", err, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start within 30 s:\n%s", errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	for name, verdict := range map[string]string{"大连海韵软件有限公司": "refused", "沈阳鑫源软件有限公司": "available"} {
		resp, err := http.Post(base+"/v1/names/check", "application/json", strings.NewReader(`{"name":"`+name+`"}`))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"verdict":"`+verdict+`"`) {
			t.Errorf("%s: %d %s, want %s", name, resp.StatusCode, body, verdict)
		}
	}
}
