package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestRunServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--profile", "instant", "--seed", "42"}, pw)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the banner: %v", err)
	}
	if !strings.Contains(line, "instant profile, seed 42") {
		t.Errorf("banner %q does not name the profile and seed", line)
	}
	url := line[strings.LastIndex(line, " ")+1 : len(line)-1]
	resp, err := http.Get(url + "/healthz")
	if err != nil {
		t.Fatalf("GET %s/healthz: %v", url, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"instant"`) {
		t.Errorf("healthz = %d %s", resp.StatusCode, body)
	}
	go io.Copy(io.Discard, pr)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run returned %v after cancellation", err)
	}
}

func TestRunRejectsBadArguments(t *testing.T) {
	for _, args := range [][]string{
		{"--profile", "fast"},
		{"--addr", "0.0.0.0:8090"},
		{"--addr", "nonsense"},
		{"--unknown"},
		{"--transient-rate", "2"},
	} {
		if err := run(t.Context(), args, io.Discard); err == nil {
			t.Errorf("run(%q) succeeded", args)
		}
	}
}

func TestDebugEndpointReportsRecordsPerApplication(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--profile", "instant", "--debug-addr", "127.0.0.1:0"}, pw)
		pw.Close()
	}()
	rd := bufio.NewReader(pr)
	var debugURL string
	for debugURL == "" {
		line, err := rd.ReadString('\n')
		if err != nil {
			t.Fatalf("reading the banner: %v", err)
		}
		if strings.HasPrefix(line, "debug records on ") {
			debugURL = strings.TrimSpace(strings.TrimPrefix(line, "debug records on "))
		}
	}
	go io.Copy(io.Discard, pr)
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run returned %v after cancellation", err)
		}
	}()

	for _, tc := range []struct {
		query    string
		wantCode int
		wantBody string
	}{
		{"?app=A-1&app=A-2", 200, `{"total":0,"live":{"A-1":{},"A-2":{}}}`},
		{"", 200, `{"total":0,"live":{}}`},
		{"?" + strings.Repeat("app=x&", maxDebugApps+1), 400, ""},
	} {
		resp, err := http.Get(debugURL + tc.query)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.wantCode || (tc.wantBody != "" && strings.TrimSpace(string(body)) != tc.wantBody) {
			t.Errorf("GET records%.40s = %d %s, want %d %s", tc.query, resp.StatusCode, body, tc.wantCode, tc.wantBody)
		}
	}
}

func TestDebugEndpointRefusesNonLoopback(t *testing.T) {
	err := run(t.Context(), []string{"--addr", "127.0.0.1:0", "--profile", "instant", "--debug-addr", "0.0.0.0:0"}, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Fatalf("run with a public debug address = %v, want a loopback refusal", err)
	}
}
