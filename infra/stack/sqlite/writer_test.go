package sqlite

import (
	"context"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The writer serves writes of requests a person waits for before the
// workflows' backlog, and still batches both.
func TestInteractiveWritesGoFirst(t *testing.T) {
	s := &Store{jobs: make(chan job, 100), interactive: make(chan job, 10), stopping: make(chan struct{})}
	for i := range 70 {
		s.jobs <- job{single: i%2 == 0}
	}
	s.interactive <- job{after: func() {}}
	s.interactive <- job{after: func() {}}
	batch, ok := s.nextBatch(nil)
	if !ok || len(batch) != maxBatch {
		t.Fatalf("batch of %d (ok %v), want a full batch of %d", len(batch), ok, maxBatch)
	}
	if batch[0].after == nil || batch[1].after == nil || batch[2].after != nil {
		t.Error("the two interactive writes are not at the head of the batch")
	}
	if rest, _ := s.nextBatch(nil); len(rest) != 70+2-maxBatch {
		t.Errorf("next batch has %d writes, want the %d left", len(rest), 70+2-maxBatch)
	}
	close(s.stopping)
	if _, ok := s.nextBatch(nil); ok {
		t.Error("a stopping store's writer did not stop")
	}
}

// The API marks its requests interactive; other contexts are background.
func TestInteractiveMark(t *testing.T) {
	if kaiban.IsInteractive(context.Background()) || !kaiban.IsInteractive(kaiban.WithInteractive(context.Background())) {
		t.Error("WithInteractive/IsInteractive disagree")
	}
}
