package engine

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
)

// Task tokens are "<execution ARN, base64url>.<192 random bits, base64url>":
// unguessable, and carrying the execution so that a token of a finished
// execution is told apart (TaskTimedOut) from one that never existed
// (TaskDoesNotExist), even after a restart. Tokens never leave the
// server, so the ARN in them reveals nothing new.
const tokenRandomBytes = 24

func newToken(executionArn string) string {
	var r [tokenRandomBytes]byte
	_, _ = rand.Read(r[:]) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString([]byte(executionArn)) + "." + base64.RawURLEncoding.EncodeToString(r[:])
}

// tokenExecution returns the execution ARN inside a well-formed token.
func tokenExecution(token string) (string, bool) {
	if len(token) > 2048 {
		return "", false
	}
	a, r, ok := strings.Cut(token, ".")
	if !ok {
		return "", false
	}
	rb, err := base64.RawURLEncoding.DecodeString(r)
	if err != nil || len(rb) != tokenRandomBytes {
		return "", false
	}
	arn, err := base64.RawURLEncoding.DecodeString(a)
	if err != nil || !strings.HasPrefix(string(arn), executionArnPrefix) {
		return "", false
	}
	return string(arn), true
}

// tokenRegistry maps outstanding task tokens to the attempts waiting for
// them.
type tokenRegistry struct {
	mu sync.Mutex
	m  map[string]*tokenEntry
}

// tokenEntry is an outstanding token. A resumed execution registers its
// tokens before its threads reach them (ready open, w nil), so callbacks
// are accepted from the moment New returns; they wait for ready.
type tokenEntry struct {
	x     *execution
	w     *taskWait
	ready chan struct{}
}

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

func (r *tokenRegistry) register(token string, w *taskWait) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ent := r.m[token]; ent != nil && ent.w == nil {
		ent.w = w
		close(ent.ready)
		return
	}
	r.m[token] = &tokenEntry{x: w.th.x, w: w, ready: closedChan}
}

// preRegister announces a token a resuming execution will wait for.
func (r *tokenRegistry) preRegister(token string, x *execution) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.m[token] = &tokenEntry{x: x, ready: make(chan struct{})}
	x.preTokens = append(x.preTokens, token)
}

func (r *tokenRegistry) remove(token string) {
	r.mu.Lock()
	delete(r.m, token)
	r.mu.Unlock()
}

// dropPending forgets the tokens a finished execution never reached.
func (r *tokenRegistry) dropPending(x *execution) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, t := range x.preTokens {
		if ent := r.m[t]; ent != nil && ent.w == nil {
			delete(r.m, t)
		}
	}
}

// waitFor finds the attempt waiting for token, or the API error to
// return.
func (e *Engine) waitFor(ctx context.Context, token string) (*taskWait, error) {
	arn, ok := tokenExecution(token)
	if !ok {
		return nil, &APIError{Code: "InvalidToken", Message: "Invalid Token: '" + truncate(token, 80) + "'"}
	}
	e.tokens.mu.Lock()
	ent := e.tokens.m[token]
	e.tokens.mu.Unlock()
	if ent == nil {
		return nil, e.unknownToken(arn, token)
	}
	select {
	case <-ent.ready:
	case <-ent.x.done:
		return nil, taskTimedOut()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return ent.w, nil
}

// unknownToken tells a token whose task is over (TaskTimedOut) from one
// that never existed (TaskDoesNotExist).
func (e *Engine) unknownToken(arn, token string) error {
	e.mu.RLock()
	x := e.execs[arn]
	e.mu.RUnlock()
	if x == nil {
		return &APIError{Code: "TaskDoesNotExist", Message: "Task Does Not Exist"}
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.status != StatusRunning {
		return taskTimedOut()
	}
	for _, ev := range x.events {
		if ev.typ == evTaskScheduled && ev.meta != nil && ev.meta.Token == token {
			return taskTimedOut()
		}
	}
	return &APIError{Code: "TaskDoesNotExist", Message: "Task Does Not Exist"}
}

func taskTimedOut() error {
	return &APIError{Code: "TaskTimedOut", Message: "Task Timed Out: the task token has expired or its task is already closed"}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// SendTaskSuccess completes the task waiting for token with output. It
// returns once the result is recorded durably.
func (e *Engine) SendTaskSuccess(ctx context.Context, token, output string) error {
	if len(output) > e.maxPayload {
		return &APIError{Code: "InvalidOutput", Message: fmt.Sprintf("the output exceeds the maximum size of %d bytes", e.maxPayload)}
	}
	v, err := decodeJSON([]byte(output))
	if err != nil {
		return &APIError{Code: "InvalidOutput", Message: "Invalid Output: the output is not valid JSON"}
	}
	w, err := e.waitFor(ctx, token)
	if err != nil {
		return err
	}
	return w.complete(outcome{ok: true, value: v, evType: evTaskSucceeded}, details{payload: json.RawMessage(output)})
}

// SendTaskFailure fails the task waiting for token.
func (e *Engine) SendTaskFailure(ctx context.Context, token, errName, cause string) error {
	w, err := e.waitFor(ctx, token)
	if err != nil {
		return err
	}
	se := &stateError{Name: errName, Cause: cause}
	return w.complete(outcome{se: se, evType: evTaskFailed}, details{err: se})
}

// SendTaskHeartbeat restarts the task's HeartbeatSeconds.
func (e *Engine) SendTaskHeartbeat(ctx context.Context, token string) error {
	w, err := e.waitFor(ctx, token)
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.settled {
		return taskTimedOut()
	}
	w.armHeartbeatLocked()
	return nil
}

// complete records a callback's outcome on the waiting thread's behalf,
// makes it durable and wakes the thread.
func (w *taskWait) complete(o outcome, d details) error {
	w.mu.Lock()
	if w.settled {
		w.mu.Unlock()
		return taskTimedOut()
	}
	d.st = w.st
	ev, err := w.th.emit(o.evType, d, nil)
	if err != nil {
		w.mu.Unlock()
		return taskTimedOut() // the execution ended meanwhile
	}
	o.ev = ev
	w.settleForLocked(o)
	w.mu.Unlock()
	// The caller is an API request: it is answered now, not after a full
	// disk has room again. The waiting thread records the callback with
	// its next step (see execution.rewrite).
	if err := w.th.x.flush(true); err != nil {
		w.th.x.e.log.WithError(err).WithField("executionArn", w.th.x.arn).Error("cannot record task callback")
		return err
	}
	return nil
}
