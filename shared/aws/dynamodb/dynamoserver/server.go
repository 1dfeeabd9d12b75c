// Package dynamoserver runs a DynamoDB-API server on 127.0.0.1 —
// moto_server (Python moto) — or connects to one already running, and
// builds clients for it. The server must support transactions
// (TransactWriteItems), which the store's audited writes use. The local
// stack uses it for `--store dynamodb`, the tests for the DynamoDB store's
// contract and drills. A client for moto sends one request at a time, which
// makes moto's conditional writes atomic (see Server.Client).
package dynamoserver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// Server is a running DynamoDB-API server.
type Server struct {
	Endpoint string
	Name     string // "moto" or "external" (Connect: not moto)
	cmd      *exec.Cmd
	exited   chan struct{}
}

// readyTimeout bounds the wait for a server to answer.
const readyTimeout = 60 * time.Second

// Start starts moto_server on a loopback port it binds itself (so no other
// process can take the port between its choice and its use) and waits
// until it answers. The error says why no server could be had. Stop ends
// it; the tables live in its memory and end with it.
func Start(ctx context.Context) (*Server, error) {
	argv := []string{"moto_server", "-H", "127.0.0.1", "-p", "0"}
	if _, err := exec.LookPath(argv[0]); err != nil {
		return nil, fmt.Errorf("moto: %s not found on PATH (pip install 'moto[server]')", argv[0])
	}
	s, err := launch(ctx, "moto", argv)
	if err != nil {
		return nil, fmt.Errorf("moto: %w", err)
	}
	return s, nil
}

// launch starts the server, which binds a port itself and reports it
// ("Running on http://127.0.0.1:PORT").
func launch(ctx context.Context, name string, argv []string) (*Server, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.SysProcAttr = procAttr()
	lw := &limitWriter{w: &strings.Builder{}, n: 16 << 10}
	cmd.Stdout, cmd.Stderr = lw, lw
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{Name: name, cmd: cmd, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(s.exited) }()
	ep, err := waitBound(ctx, lw, s.exited)
	if err != nil {
		s.Stop()
		return nil, fmt.Errorf("%w (output: %.500s)", err, lw.String())
	}
	s.Endpoint = ep
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
		if resp, err := client.Do(listTables(ctx, endpoint)); err == nil {
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
