// Package dynamotest runs a DynamoDB-API server on 127.0.0.1 for tests:
// moto_server (Python moto), or any server named by DYNAMODB_ENDPOINT
// (DynamoDB Local, DynamoDB itself). The server must support transactions
// (TransactWriteItems), which the store's audited writes use; dynalite
// does not, so it is not started. It also builds
// clients for it and gives each test its own table.
package dynamotest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// EnvEndpoint names an already running server to use instead of starting
// one.
const EnvEndpoint = "DYNAMODB_ENDPOINT"

// Server is a running DynamoDB-API server.
type Server struct {
	Endpoint string
	Name     string // "moto" or "external"
	cmd      *exec.Cmd
	exited   chan struct{}
}

// readyTimeout bounds the wait for a server to answer.
const readyTimeout = 60 * time.Second

// Start returns the server named by DYNAMODB_ENDPOINT, or starts
// moto_server on a free loopback port and waits until it answers. The error says why no server could be had.
func Start(ctx context.Context) (*Server, error) {
	if ep := os.Getenv(EnvEndpoint); ep != "" {
		return &Server{Endpoint: ep, Name: "external"}, nil
	}
	var reasons []string
	candidates := []struct {
		name string
		argv func(port string) []string
		// bindsItself: the server is given port 0, binds a free port
		// itself and prints it, so no other process can take the port
		// between its choice and its use.
		bindsItself bool
	}{
		{"moto", func(p string) []string { return []string{"moto_server", "-H", "127.0.0.1", "-p", p} }, true},
	}
	for _, c := range candidates {
		argv := c.argv("0")
		if _, err := exec.LookPath(argv[0]); err != nil {
			reasons = append(reasons, fmt.Sprintf("%s: %s not found on PATH", c.name, argv[0]))
			continue
		}
		if c.bindsItself {
			s, err := launch(ctx, c.name, argv, "")
			if err == nil {
				return s, nil
			}
			reasons = append(reasons, fmt.Sprintf("%s: %v", c.name, err))
			continue
		}
		// The free port is only free when we look: another test process
		// may take it before the server binds it (the server then exits),
		// so a launch is retried on a new port.
		for attempt := 0; attempt < 3; attempt++ {
			port, err := freePort()
			if err != nil {
				return nil, err
			}
			s, err := launch(ctx, c.name, c.argv(port), port)
			if err == nil {
				return s, nil
			}
			reasons = append(reasons, fmt.Sprintf("%s: %v", c.name, err))
		}
	}
	return nil, errors.New(strings.Join(reasons, "; "))
}

// freePort chooses a loopback port that is free when it looks; a variable
// so a test can hand out a taken one.
var freePort = pickFreePort

func pickFreePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}

// launch starts the server on port, or, with port "", on the port it
// reports having bound ("Running on http://127.0.0.1:PORT").
func launch(ctx context.Context, name string, argv []string, port string) (*Server, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // so Stop ends its children too
	lw := &limitWriter{w: &strings.Builder{}, n: 16 << 10}
	cmd.Stdout, cmd.Stderr = lw, lw
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{Name: name, cmd: cmd, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(s.exited) }()
	if port == "" {
		ep, err := waitBound(ctx, lw, s.exited)
		if err != nil {
			s.Stop()
			return nil, fmt.Errorf("%w (output: %.500s)", err, lw.String())
		}
		s.Endpoint = ep
	} else {
		s.Endpoint = "http://127.0.0.1:" + port
	}
	if err := waitReady(ctx, s.Endpoint, s.exited); err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w (output: %.500s)", err, lw.String())
	}
	return s, nil
}

// boundURL is how moto_server (werkzeug) says where it listens.
var boundURL = regexp.MustCompile(`Running on (http://127\.0\.0\.1:[0-9]+)`)

// waitBound waits until the server's output names the address it bound.
func waitBound(ctx context.Context, out *limitWriter, exited <-chan struct{}) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		if m := boundURL.FindStringSubmatch(out.String()); m != nil {
			return m[1], nil
		}
		select {
		case <-exited:
			return "", errors.New("the server exited before it said where it listens")
		case <-ctx.Done():
			return "", fmt.Errorf("the server did not say where it listens within %s", readyTimeout)
		case <-tick.C:
		}
	}
}

// waitReady polls the endpoint until it answers a DynamoDB ListTables call:
// answering HTTP is not enough, since whatever answers may be another
// test's server that took the port first.
func waitReady(ctx context.Context, endpoint string, exited <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0")
		if resp, err := client.Do(req); err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && strings.Contains(string(body), "TableNames") {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("the server exited before it answered")
		case <-ctx.Done():
			return fmt.Errorf("the server did not answer within %s", readyTimeout)
		case <-tick.C:
		}
	}
}

// Stop ends a server this package started (and its children).
func (s *Server) Stop() {
	if s == nil || s.cmd == nil || s.cmd.Process == nil {
		return
	}
	pgid := s.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
	}
	// Children that ignored SIGTERM (or outlived the leader) go now.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// Client returns a DynamoDB client for the server with dummy credentials.
//
// Against moto the client sends one request at a time. moto (5.2.1,
// dynamodb/models UpdateItem and PutItem) evaluates a condition and then
// applies the write without a lock, so two concurrent conditional writes to
// one item can both succeed — which DynamoDB and DynamoDB Local never
// allow. Serialising the requests restores DynamoDB's per-item
// atomicity; the store's concurrent callers still interleave between
// requests, which is what the contract's concurrency tests exercise.
func (s *Server) Client() *ddb.Client {
	opts := ddb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(s.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	}
	if s.Name == "moto" {
		opts.HTTPClient = &http.Client{Transport: &oneAtATime{next: http.DefaultTransport, sem: make(chan struct{}, 1)}}
	}
	return ddb.New(opts)
}

// oneAtATime lets one request through at a time.
type oneAtATime struct {
	next http.RoundTripper
	sem  chan struct{}
}

func (o *oneAtATime) RoundTrip(r *http.Request) (*http.Response, error) {
	select {
	case o.sem <- struct{}{}:
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
	defer func() { <-o.sem }()
	resp, err := o.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	// Hold the slot until the body is read, so the server has finished
	// with this request before the next one starts.
	body, rerr := io.ReadAll(resp.Body)
	resp.Body.Close()
	if rerr != nil {
		return nil, rerr
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

var tableSeq atomic.Int64

// TableName returns a table name no other test in this process uses.
func TableName(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, os.Getpid(), tableSeq.Add(1))
}

// limitWriter keeps the first n bytes of the server's output for error
// messages; stdout and stderr share it.
type limitWriter struct {
	mu sync.Mutex
	w  *strings.Builder
	n  int
}

func (l *limitWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if room := l.n - l.w.Len(); room > 0 {
		l.w.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (l *limitWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}
