package stack

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

// A step the engine resumes while the stack is still starting waits until
// the stack is wired, instead of running on a half-built service (the
// confirmations step answered "not configured" and failed the
// application); a step whose engine closes meanwhile gives up.
func TestStepsWaitForTheStackToBeWired(t *testing.T) {
	s := &Stack{wired: make(chan struct{})}
	ran := make(chan struct{})
	h := s.engineHandler(func(context.Context, json.RawMessage) (json.RawMessage, error) {
		close(ran)
		return json.RawMessage(`{}`), nil
	})
	done := make(chan error, 1)
	go func() {
		_, err := h(context.Background(), json.RawMessage(`{}`))
		done <- err
	}()
	select {
	case <-ran:
		t.Fatal("the step ran before the stack was wired")
	case <-time.After(50 * time.Millisecond): // long enough for a step that does not wait to run
	}
	close(s.wired)
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	closing, cancel := context.WithCancel(context.Background())
	cancel()
	never := &Stack{wired: make(chan struct{})}
	if _, err := never.engineHandler(func(context.Context, json.RawMessage) (json.RawMessage, error) {
		t.Error("ran")
		return nil, nil
	})(closing, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("a step of a closing engine: %v, want context.Canceled", err)
	}
}
