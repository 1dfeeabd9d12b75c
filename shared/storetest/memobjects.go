package storetest

import (
	"bytes"
	"context"
	"sync"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// MemObjects is a kaiban.Objects in memory for tests of code that stores
// documents; its links are "mem:" and the key.
type MemObjects struct {
	mu sync.Mutex
	m  map[string][]byte
}

var _ kaiban.Objects = (*MemObjects)(nil)

// NewMemObjects returns an empty MemObjects.
func NewMemObjects() *MemObjects { return &MemObjects{m: map[string][]byte{}} }

// PutObject implements kaiban.Objects.
func (o *MemObjects) PutObject(_ context.Context, key, _ string, body []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.m[key] = bytes.Clone(body)
	return nil
}

// GetObject implements kaiban.Objects.
func (o *MemObjects) GetObject(_ context.Context, key string) ([]byte, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	b, ok := o.m[key]
	if !ok {
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "object not found")
	}
	return bytes.Clone(b), nil
}

// DownloadURL implements kaiban.Objects.
func (o *MemObjects) DownloadURL(_ context.Context, key, _, _ string, _ time.Duration) (string, error) {
	return "mem:" + key, nil
}
