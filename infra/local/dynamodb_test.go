package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamoserver"
)

// Flags that cannot work together are refused before anything starts.
func TestStoreFlagsAreChecked(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--store", "postgres"}, `--store "postgres"`},
		{[]string{"--dynamodb-endpoint", "http://127.0.0.1:1"}, "--dynamodb-endpoint is for --store dynamodb"},
		{[]string{"--store", "dynamodb", "--dynamodb-endpoint", "http://127.0.0.1:1"}, "cannot reach the DynamoDB store"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			args := append([]string{"--addr", "127.0.0.1:0", "--data", t.TempDir(), "--agency-profile", "instant", "--log-level", "error"}, c.args...)
			var out, errOut syncBuffer
			err := run(t.Context(), args, func(string) string { return "" }, &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("run %v: %v, want an error saying %q", c.args, err, c.want)
			}
		})
	}
}

// `--store dynamodb` with no endpoint starts moto_server on 127.0.0.1, says
// so, serves on it, and stops it when the stack stops.
func TestServeStartsItsOwnMoto(t *testing.T) {
	if _, err := exec.LookPath("moto_server"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set and moto_server is not on PATH: --store dynamodb cannot be tested")
		}
		t.Skip("SKIPPED: moto_server not on PATH")
	}
	data := filepath.Join(t.TempDir(), "data")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--data", data, "--agency-profile", "instant", "--log-level", "warn", "--store", "dynamodb", "--name-check=false"}, func(string) string { return "" }, &out, &errOut)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(out.String(), "Dev clerk token") {
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v\n%s", err, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start within 60 s:\n%s\n%s", out.String(), errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	m := regexp.MustCompile(`store: DynamoDB on moto at (http://127\.0\.0\.1:[0-9]+)`).FindStringSubmatch(out.String())
	if m == nil {
		cancel()
		<-done
		t.Fatalf("the banner does not name the moto_server it started:\n%s", out.String())
	}
	if _, err := dynamoserver.Connect(t.Context(), m[1]); err != nil {
		t.Errorf("the moto_server named in the banner does not answer: %v", err)
	}
	portal := regexp.MustCompile(`Applicant portal:\s+(\S+)`).FindStringSubmatch(out.String())
	if resp, err := http.Get(strings.TrimSuffix(portal[1], "/") + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("healthz: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve: %v\n%s", err, errOut.String())
	}
	if _, err := dynamoserver.Connect(context.Background(), m[1]); err == nil {
		t.Errorf("the moto_server at %s still answers after the stack stopped", m[1])
	}
}

// A stack that starts its own moto_server begins with an empty table, so on
// a data directory whose engine history has executions the pairing check
// refuses it; the refusal says why the table is empty and what to do.
func TestOwnMotoOnAUsedDataDirSaysWhy(t *testing.T) {
	if _, err := exec.LookPath("moto_server"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("CI is set and moto_server is not on PATH: --store dynamodb cannot be tested")
		}
		t.Skip("SKIPPED: moto_server not on PATH")
	}
	data := filepath.Join(t.TempDir(), "data")
	ctx, cancel := context.WithCancel(t.Context())
	var out, errOut syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--data", data, "--agency-profile", "instant", "--log-level", "warn", "--name-check=false"}, func(string) string { return "" }, &out, &errOut)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(out.String(), "Dev clerk token") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start:\n%s", errOut.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	portal := regexp.MustCompile(`Applicant portal:\s+(\S+)`).FindStringSubmatch(out.String())
	form, err := os.ReadFile("../examples/valid-llc.json")
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(strings.TrimSuffix(portal[1], "/")+"/v1/applications", "application/json", strings.NewReader(string(form)))
	if err != nil || resp.StatusCode != http.StatusAccepted {
		cancel()
		t.Fatalf("submit: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}

	err = run(t.Context(), []string{"--addr", "127.0.0.1:0", "--data", data, "--agency-profile", "instant", "--log-level", "warn", "--store", "dynamodb", "--name-check=false"}, func(string) string { return "" }, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "holds no applications") || !strings.Contains(err.Error(), "Use a fresh --data directory") {
		t.Errorf("own moto on a used data directory: %v, want the pairing refusal with why and what to do", err)
	}
}
