package storetest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// MemDocuments is an in-memory kaiban.Documents, held to the same contract
// as the SQLite and DynamoDB stores (RunDocumentsContract).
type MemDocuments struct {
	mu   sync.Mutex
	byID map[string]kaiban.DocumentRecord
}

var _ kaiban.Documents = (*MemDocuments)(nil)

// NewMemDocuments returns an empty store.
func NewMemDocuments() *MemDocuments {
	return &MemDocuments{byID: map[string]kaiban.DocumentRecord{}}
}

func cloneDoc(d kaiban.DocumentRecord) kaiban.DocumentRecord {
	d.Signature = slices.Clone(d.Signature)
	d.IssuedAt, d.RevokedAt = d.IssuedAt.UTC(), d.RevokedAt.UTC()
	return d
}

// PutDocument implements kaiban.Documents.
func (m *MemDocuments) PutDocument(ctx context.Context, d kaiban.DocumentRecord) (kaiban.DocumentRecord, error) {
	if err := ctx.Err(); err != nil {
		return kaiban.DocumentRecord{}, err
	}
	if err := kaiban.CheckDocument(d); err != nil {
		return kaiban.DocumentRecord{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, o := range m.byID {
		if o.ApplicationID == d.ApplicationID && o.Kind == d.Kind && o.Key == d.Key {
			return cloneDoc(o), nil
		}
	}
	if _, ok := m.byID[d.ID]; ok {
		return kaiban.DocumentRecord{}, kaiban.Errorf(kaiban.ErrIdempotencyConflict, "document %s exists", d.ID)
	}
	m.byID[d.ID] = cloneDoc(d)
	return cloneDoc(d), nil
}

// ListDocuments implements kaiban.Documents.
func (m *MemDocuments) ListDocuments(ctx context.Context, applicationID string) ([]kaiban.DocumentRecord, error) {
	return m.filter(ctx, func(d kaiban.DocumentRecord) bool { return d.ApplicationID == applicationID })
}

// FindDocumentsByDigest implements kaiban.Documents.
func (m *MemDocuments) FindDocumentsByDigest(ctx context.Context, sha256 string) ([]kaiban.DocumentRecord, error) {
	return m.filter(ctx, func(d kaiban.DocumentRecord) bool { return d.SHA256 == sha256 })
}

func (m *MemDocuments) filter(ctx context.Context, keep func(kaiban.DocumentRecord) bool) ([]kaiban.DocumentRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := []kaiban.DocumentRecord{}
	for _, d := range m.byID {
		if keep(d) {
			out = append(out, cloneDoc(d))
		}
	}
	slices.SortFunc(out, func(a, b kaiban.DocumentRecord) int { return cmpStr(a.ID, b.ID) })
	kaiban.SortDocuments(out)
	return out, nil
}

// GetDocument implements kaiban.Documents.
func (m *MemDocuments) GetDocument(ctx context.Context, id string) (kaiban.DocumentRecord, error) {
	if err := ctx.Err(); err != nil {
		return kaiban.DocumentRecord{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.byID[id]
	if !ok {
		return kaiban.DocumentRecord{}, kaiban.Errorf(kaiban.ErrNotFound, "document not found")
	}
	return cloneDoc(d), nil
}

// RevokeDocuments implements kaiban.Documents.
func (m *MemDocuments) RevokeDocuments(ctx context.Context, applicationID string, at time.Time) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	n := 0
	for id, d := range m.byID {
		if d.ApplicationID == applicationID && !d.Revoked() {
			d.RevokedAt = at.UTC()
			m.byID[id] = d
			n++
		}
	}
	return n, nil
}
