package storetest

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// MemStore is an in-memory kaiban.Store for other packages' domain tests.
// It keeps the same contract as the SQLite and DynamoDB stores (RunContract
// checks it), including input limits, so code tested against it behaves the
// same on the real stores. It seals no personal data and persists nothing.
type MemStore struct {
	mu     sync.Mutex
	closed bool
	apps   map[string]*memApp
	idem   map[string]memIdem
	tasks  map[string]kaiban.ClerkTask
	audit  map[string][]kaiban.AuditEvent
	// auditKey chains the trail; NewMemStore sets AuditKey.
	auditKey kaiban.AuditKey
	// failAudit makes every audit append fail inside its write (FailAudit).
	failAudit bool
	// confirm holds the confirmations part (memstore_confirm.go).
	confirm memConfirm
	// outbox holds the messages sent, by key (memstore_outbox.go).
	outbox map[string]kaiban.Message
	// drafts holds the drafts, by ID (memstore_drafts.go).
	drafts map[string]kaiban.Draft
	// ratings holds the ratings, by application (memstore_ratings.go).
	ratings map[string]kaiban.Rating
	// stats holds the daily aggregates, by day (memstore_stats.go).
	stats map[string]kaiban.Counters
	// corrections holds each application's correction (memstore_corrections.go).
	corrections map[string]kaiban.Correction
}

type memApp struct {
	app       kaiban.Application // Form is kept as JSON in form
	form      []byte
	tokenHash [32]byte
	head      kaiban.AuditHead
}

type memIdem struct {
	bodyHash string
	appID    string
	sealed   []byte
}

var _ kaiban.Store = (*MemStore)(nil)

// NewMemStore returns an empty store.
func NewMemStore() *MemStore {
	return &MemStore{
		apps:     map[string]*memApp{},
		idem:     map[string]memIdem{},
		tasks:    map[string]kaiban.ClerkTask{},
		audit:    map[string][]kaiban.AuditEvent{},
		auditKey: AuditKey,
	}
}

// lock takes the mutex unless the store is closed or ctx is done.
func (m *MemStore) lock(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "request cancelled")
	}
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return kaiban.Errorf(kaiban.ErrStoreUnavailable, "store is closed")
	}
	return nil
}

// Close makes every later call fail with ErrStoreUnavailable.
func (m *MemStore) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	return nil
}

// CreateApplication implements kaiban.Store.
func (m *MemStore) CreateApplication(ctx context.Context, req kaiban.CreateRequest) (kaiban.CreateResult, error) {
	form, err := kaiban.CheckCreateRequest(req)
	if err != nil {
		return kaiban.CreateResult{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.CreateResult{}, err
	}
	defer m.mu.Unlock()
	return m.create(req, form)
}

// create is CreateApplication with mu held.
func (m *MemStore) create(req kaiban.CreateRequest, form []byte) (kaiban.CreateResult, error) {
	if req.IdempotencyKey != "" {
		if rec, ok := m.idem[req.IdempotencyKey]; ok {
			if rec.bodyHash != req.BodyHash {
				return kaiban.CreateResult{}, kaiban.Errorf(kaiban.ErrIdempotencyConflict, "idempotency key was used with another request body")
			}
			app, err := m.get(rec.appID)
			if err != nil {
				return kaiban.CreateResult{}, err
			}
			return kaiban.CreateResult{Application: app, Sealed: slices.Clone(rec.sealed)}, nil
		}
	}
	a := req.Application
	if _, ok := m.apps[a.ID]; ok {
		return kaiban.CreateResult{}, kaiban.Errorf(kaiban.ErrIdempotencyConflict, "application %s already exists", a.ID)
	}
	a.Form = kaiban.Form{}
	a.Tracks = kaiban.NewTracks()
	a.SubmittedAt, a.Deadline, a.UpdatedAt = a.SubmittedAt.UTC(), a.Deadline.UTC(), a.UpdatedAt.UTC()
	a.CompletedAt = utc(a.CompletedAt)
	m.apps[a.ID] = &memApp{app: a, form: form, tokenHash: req.AccessTokenHash}
	if req.IdempotencyKey != "" {
		m.idem[req.IdempotencyKey] = memIdem{bodyHash: req.BodyHash, appID: a.ID, sealed: slices.Clone(req.Sealed)}
	}
	app, err := m.get(a.ID)
	if err != nil {
		return kaiban.CreateResult{}, err
	}
	return kaiban.CreateResult{Application: app, Created: true, Sealed: slices.Clone(req.Sealed)}, nil
}

// get returns a deep copy of the application; the caller holds mu.
func (m *MemStore) get(id string) (*kaiban.Application, error) {
	ma, ok := m.apps[id]
	if !ok {
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	a := ma.app
	if err := json.Unmarshal(ma.form, &a.Form); err != nil {
		return nil, kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "stored form is unreadable")
	}
	a.Tracks = make([]kaiban.Track, len(ma.app.Tracks))
	for i, t := range ma.app.Tracks {
		a.Tracks[i] = copyTrack(t)
	}
	a.CompletedAt = utc(a.CompletedAt)
	return &a, nil
}

// GetApplication implements kaiban.Store.
func (m *MemStore) GetApplication(ctx context.Context, id string) (*kaiban.Application, error) {
	if err := kaiban.CheckKey("application id", id); err != nil {
		return nil, err
	}
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	return m.get(id)
}

// CheckAccessToken implements kaiban.Store.
func (m *MemStore) CheckAccessToken(ctx context.Context, id, token string) error {
	if err := kaiban.CheckKey("application id", id); err != nil {
		return err
	}
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	want := [32]byte{}
	if ma, ok := m.apps[id]; ok {
		want = ma.tokenHash
	}
	got := kaiban.HashToken(token)
	// Compare even for an unknown ID so both answers take the same time.
	if subtle.ConstantTimeCompare(got[:], want[:]) != 1 || m.apps[id] == nil {
		return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	return nil
}

// UpdateApplication implements kaiban.Store.
func (m *MemStore) UpdateApplication(ctx context.Context, id string, u kaiban.ApplicationUpdate) (*kaiban.Application, error) {
	if err := kaiban.CheckApplicationUpdate(id, u); err != nil {
		return nil, err
	}
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	return m.update(id, u)
}

// update is UpdateApplication with mu held.
func (m *MemStore) update(id string, u kaiban.ApplicationUpdate) (*kaiban.Application, error) {
	ma, ok := m.apps[id]
	if !ok {
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if err := kaiban.FinishedRefusal(id, ma.app.Status, u); err != nil {
		return nil, err
	}
	if u.Status != "" {
		ma.app.Status = u.Status
	}
	if u.CreditCode != "" {
		ma.app.CreditCode = u.CreditCode
	}
	if u.CompletedAt != nil {
		ma.app.CompletedAt = utc(u.CompletedAt)
	}
	if u.Message != nil {
		ma.app.Message = *u.Message
	}
	if !u.UpdatedAt.IsZero() {
		ma.app.UpdatedAt = u.UpdatedAt.UTC()
	}
	return m.get(id)
}

// UpdateTrack implements kaiban.Store.
func (m *MemStore) UpdateTrack(ctx context.Context, applicationID string, t kaiban.Track) (kaiban.Track, error) {
	if err := kaiban.CheckTrack(applicationID, t); err != nil {
		return kaiban.Track{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.Track{}, err
	}
	defer m.mu.Unlock()
	return m.updateTrack(applicationID, t)
}

// updateTrack is UpdateTrack with mu held.
func (m *MemStore) updateTrack(applicationID string, t kaiban.Track) (kaiban.Track, error) {
	ma, ok := m.apps[applicationID]
	if !ok {
		return kaiban.Track{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	cur := ma.app.Track(t.Name)
	if cur.Version != t.Version {
		return kaiban.Track{}, kaiban.Errorf(kaiban.ErrVersionConflict, "track %s was changed by another writer", t.Name)
	}
	next := copyTrack(t)
	next.StartedAt, next.FinishedAt = utc(next.StartedAt), utc(next.FinishedAt)
	next.Version = t.Version + 1
	*cur = next
	return copyTrack(next), nil
}

func copyTrack(t kaiban.Track) kaiban.Track {
	t.StartedAt, t.FinishedAt = utc(t.StartedAt), utc(t.FinishedAt)
	t.Result = slices.Clone(t.Result)
	return t
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// ListAtRisk implements kaiban.Store.
func (m *MemStore) ListAtRisk(ctx context.Context, before time.Time, limit int) ([]kaiban.Application, error) {
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	var out []kaiban.Application
	for id, ma := range m.apps {
		if ma.app.Status.Terminal() || !ma.app.Deadline.Before(before) {
			continue
		}
		a, err := m.get(id)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Deadline.Equal(out[j].Deadline) {
			return out[i].Deadline.Before(out[j].Deadline)
		}
		return out[i].ID < out[j].ID
	})
	if n := kaiban.ClampLimit(limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// ListByStatus implements kaiban.Store.
func (m *MemStore) ListByStatus(ctx context.Context, q kaiban.StatusQuery) ([]kaiban.Application, error) {
	if err := q.Check(); err != nil {
		return nil, err
	}
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	out := []kaiban.Application{}
	for id, ma := range m.apps {
		if ma.app.Status != q.Status || !ma.app.Deadline.Before(q.DeadlineBefore) || !q.After(&ma.app) {
			continue
		}
		a, err := m.get(id)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Deadline.Equal(out[j].Deadline) {
			return out[i].Deadline.Before(out[j].Deadline)
		}
		return out[i].ID < out[j].ID
	})
	if n := kaiban.ClampLimit(q.Limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// Counts implements kaiban.Store.
func (m *MemStore) Counts(ctx context.Context) (kaiban.Counts, error) {
	if err := m.lock(ctx); err != nil {
		return kaiban.Counts{}, err
	}
	defer m.mu.Unlock()
	c := kaiban.Counts{Applications: map[kaiban.AppStatus]int{}, Tracks: map[kaiban.TrackStatus]int{}}
	for _, ma := range m.apps {
		c.Applications[ma.app.Status]++
		for _, t := range ma.app.Tracks {
			c.Tracks[t.Status]++
		}
	}
	for _, t := range m.tasks {
		switch t.Status {
		case kaiban.TaskOpen:
			c.OpenTasks++
		case kaiban.TaskClaimed:
			c.ClaimedTasks++
		}
	}
	return c, nil
}
