package storetest

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// MemNameIndex is an in-memory kaiban.NameIndex, held to the same contract
// as the SQLite and DynamoDB indexes (RunNameIndexContract).
type MemNameIndex struct {
	mu     sync.Mutex
	byName map[string]kaiban.NameRecord
	byKey  map[string]map[string]bool // key → names
}

var _ kaiban.NameIndex = (*MemNameIndex)(nil)

// NewMemNameIndex returns an empty index.
func NewMemNameIndex() *MemNameIndex {
	return &MemNameIndex{byName: map[string]kaiban.NameRecord{}, byKey: map[string]map[string]bool{}}
}

// PutNames implements kaiban.NameIndex.
func (m *MemNameIndex) PutNames(ctx context.Context, recs []kaiban.NameRecord) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, r := range recs {
		if err := r.Check(false); err != nil {
			return err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, r := range recs {
		m.put(r)
	}
	return nil
}

func (m *MemNameIndex) put(r kaiban.NameRecord) {
	if old, ok := m.byName[r.Name]; ok {
		for _, k := range old.Keys {
			delete(m.byKey[k], old.Name)
		}
	}
	r.Keys = slices.Clone(r.Keys)
	m.byName[r.Name] = r
	for _, k := range r.Keys {
		if m.byKey[k] == nil {
			m.byKey[k] = map[string]bool{}
		}
		m.byKey[k][r.Name] = true
	}
}

// FindNames implements kaiban.NameIndex.
func (m *MemNameIndex) FindNames(ctx context.Context, keys []string) ([]kaiban.NameRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	seen := map[string]bool{}
	var out []kaiban.NameRecord
	for _, k := range keys {
		for n := range m.byKey[k] {
			if !seen[n] {
				seen[n] = true
				r := m.byName[n]
				r.Keys = slices.Clone(r.Keys)
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// ReserveName implements kaiban.NameIndex.
func (m *MemNameIndex) ReserveName(ctx context.Context, rec kaiban.NameRecord, now time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := rec.Check(true); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for n := range m.byKey[rec.Keys[0]] {
		if o := m.byName[n]; o.BlocksAt(now) && !(o.Status == kaiban.NameReserved && o.Holder == rec.Holder) {
			return kaiban.Errorf(kaiban.ErrNameTaken, "name taken by %s", o.Name)
		}
	}
	m.put(rec)
	return nil
}
