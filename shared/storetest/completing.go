package storetest

import (
	"context"
	"sync"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// CompletingStore is a MemStore on which, once armed, the next read of an
// application is followed at once by its completion: the workflow's
// finalisation landing between a caller's read of the status and its
// write of another, the race the stores' finished-status rule closes.
type CompletingStore struct {
	*MemStore
	mu    sync.Mutex
	armed bool
}

// NewCompletingStore returns a CompletingStore over a new MemStore, armed
// for its first read or not (see Arm).
func NewCompletingStore(armed bool) *CompletingStore {
	return &CompletingStore{MemStore: NewMemStore(), armed: armed}
}

// Arm makes the next read of an application complete it.
func (s *CompletingStore) Arm() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.armed = true
}

// GetApplication implements kaiban.Store: it answers the application as
// read, then completes it if armed (once).
func (s *CompletingStore) GetApplication(ctx context.Context, id string) (*kaiban.Application, error) {
	a, err := s.MemStore.GetApplication(ctx, id)
	s.mu.Lock()
	armed := s.armed
	s.armed = false
	s.mu.Unlock()
	if err == nil && armed {
		done := a.UpdatedAt.Add(time.Minute)
		if _, err := s.MemStore.UpdateApplication(ctx, id, kaiban.ApplicationUpdate{Status: kaiban.AppCompleted,
			CreditCode: "91210102MA0P4G3X1T", CompletedAt: &done, UpdatedAt: done}); err != nil {
			return nil, err
		}
	}
	return a, err
}
