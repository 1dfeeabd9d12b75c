package main

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
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// invocationsPath is the emulator's endpoint, the one `sam local invoke`
// posts to inside its container.
const invocationsPath = "/2015-03-31/functions/function/invocations"

// emulator is one running aws-lambda-rie with one bootstrap.
type emulator struct {
	cmd     *exec.Cmd
	url     string
	started time.Time
	stderr  *limited
	client  *http.Client
	exited  chan struct{} // closed when the emulator process has ended
}

// bindAttempts is how many times an emulator is started on fresh ports
// before a lost port is reported as a failure.
const bindAttempts = 4

// pickAddr chooses a loopback address that is free when it looks; a
// variable so a test can hand out a taken one.
var pickAddr = freeAddr

// withEmulator starts an emulator for bootstrap and runs fn with it. The
// ports are free when chosen but not held until the emulator binds them, so
// another process can take one in between: the emulator then dies at
// start-up ("bind: address already in use"), or a request reaches whoever
// took the port. Either way the emulator has exited with that message, and
// withEmulator starts it again on new ports, whatever fn made of the
// answers it got.
func withEmulator(ctx context.Context, rie, bootstrap string, env map[string]string, fn func(*emulator) error) error {
	for attempt := 1; ; attempt++ {
		em, err := startEmulator(ctx, rie, bootstrap, env)
		if err != nil {
			return err
		}
		err = fn(em)
		lost := em.lostPort()
		em.stop()
		if !lost {
			return err
		}
		if attempt == bindAttempts {
			return fmt.Errorf("the emulator lost its port %d times in a row: %s", attempt, em.stderr)
		}
	}
}

// lostPortGrace is how long lostPort gives a running emulator to die of a
// port it could not bind (the emulator binds its ports within milliseconds
// of starting; the check runs after at least one answer).
const lostPortGrace = 100 * time.Millisecond

// lostPort reports whether the emulator ended because a port it was given
// was taken. A short grace lets a process that is failing finish doing so.
func (e *emulator) lostPort() bool {
	select {
	case <-e.exited:
	case <-time.After(lostPortGrace):
		return false
	}
	return strings.Contains(e.stderr.String(), "address already in use")
}

// startEmulator runs rie with the bootstrap as its runtime, from the
// bootstrap's folder as Lambda runs it from /var/task, on free loopback
// ports for both the invoke endpoint and the Runtime API.
func startEmulator(ctx context.Context, rie, bootstrap string, env map[string]string) (*emulator, error) {
	invokeAddr, err := pickAddr()
	if err != nil {
		return nil, err
	}
	runtimeAddr, err := pickAddr()
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, rie, "--log-level", "error",
		"--runtime-interface-emulator-address", invokeAddr,
		"--runtime-api-address", runtimeAddr,
		bootstrap)
	cmd.Dir = filepath.Dir(bootstrap)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr := &limited{n: 64 << 10}
	cmd.Stdout, cmd.Stderr = io.Discard, stderr
	e := &emulator{cmd: cmd, url: "http://" + invokeAddr + invocationsPath, stderr: stderr,
		client: &http.Client{Timeout: 60 * time.Second}, exited: make(chan struct{})}
	e.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting the emulator: %w", err)
	}
	go func() {
		_ = cmd.Wait()
		close(e.exited)
	}()
	return e, nil
}

// invoke posts payload and returns the function's response body. The first
// call waits, with a deadline, until the emulator accepts connections.
func (e *emulator) invoke(ctx context.Context, payload []byte) ([]byte, error) {
	// A request to a port someone else took may never be answered; the
	// emulator's exit ends it.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-e.exited:
			cancel()
		case <-ctx.Done():
		}
	}()
	deadline := time.Now().Add(20 * time.Second)
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url, bytes.NewReader(payload))
		if err != nil {
			return nil, err
		}
		res, err := e.client.Do(req)
		if err == nil {
			defer res.Body.Close()
			body, err := io.ReadAll(io.LimitReader(res.Body, 6<<20))
			if err != nil {
				return nil, err
			}
			if res.StatusCode != http.StatusOK {
				return body, fmt.Errorf("emulator answered %d: %s", res.StatusCode, body)
			}
			return body, nil
		}
		var op *net.OpError
		if !errors.As(err, &op) || time.Now().After(deadline) {
			return nil, fmt.Errorf("invoking: %w; emulator stderr: %s", err, e.stderr)
		}
		select {
		case <-e.exited:
			return nil, fmt.Errorf("the emulator exited before it answered: %s", e.stderr)
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(2 * time.Millisecond): // poll the port until the emulator listens
		}
	}
}

// stop ends the emulator and its bootstrap (one process group).
func (e *emulator) stop() {
	if e.cmd.Process != nil {
		_ = syscall.Kill(-e.cmd.Process.Pid, syscall.SIGKILL)
		<-e.exited
	}
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// limited keeps at most n bytes of a process's output; it is written by
// the process's copier and read on failure.
type limited struct {
	mu sync.Mutex
	w  bytes.Buffer
	n  int
}

func (l *limited) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if room := l.n - l.w.Len(); room > 0 {
		l.w.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (l *limited) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.TrimSpace(l.w.String())
}
