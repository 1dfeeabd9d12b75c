package storetest

import (
	"context"
	"slices"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Confirmations = (*MemStore)(nil)

// memConfirm is the MemStore's confirmations part; its maps are made on
// first use, under the store's mutex.
type memConfirm struct {
	byApp      map[string][]kaiban.Confirmation
	identities map[string]time.Time
	waiters    map[string]string
}

func (c *memConfirm) init() {
	if c.byApp == nil {
		c.byApp = map[string][]kaiban.Confirmation{}
		c.identities = map[string]time.Time{}
		c.waiters = map[string]string{}
	}
}

// copyConfirmation returns c sharing nothing with the stored one.
func copyConfirmation(c kaiban.Confirmation) kaiban.Confirmation {
	c.Roles = slices.Clone(c.Roles)
	if c.VerifiedAt != nil {
		t := *c.VerifiedAt
		c.VerifiedAt = &t
	}
	if c.DecidedAt != nil {
		t := *c.DecidedAt
		c.DecidedAt = &t
	}
	if c.Signature != nil {
		s := *c.Signature
		s.Statement, s.Value = slices.Clone(s.Statement), slices.Clone(s.Value)
		c.Signature = &s
	}
	return c
}

func copyConfirmations(cs []kaiban.Confirmation) []kaiban.Confirmation {
	out := make([]kaiban.Confirmation, len(cs))
	for i, c := range cs {
		out[i] = copyConfirmation(c)
	}
	return out
}

// CreateConfirmations implements kaiban.Confirmations.
func (m *MemStore) CreateConfirmations(ctx context.Context, cs []kaiban.Confirmation) ([]kaiban.Confirmation, error) {
	if err := kaiban.CheckConfirmations(cs); err != nil {
		return nil, err
	}
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	m.confirm.init()
	id := cs[0].ApplicationID
	if _, ok := m.apps[id]; !ok {
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if got, ok := m.confirm.byApp[id]; ok {
		return copyConfirmations(got), nil
	}
	stored := copyConfirmations(cs)
	for i := range stored {
		stored[i].CreatedAt, stored[i].ExpiresAt = stored[i].CreatedAt.UTC(), stored[i].ExpiresAt.UTC()
	}
	slices.SortFunc(stored, func(a, b kaiban.Confirmation) int { return a.Seq - b.Seq })
	m.confirm.byApp[id] = stored
	return copyConfirmations(stored), nil
}

// GetConfirmation implements kaiban.Confirmations.
func (m *MemStore) GetConfirmation(ctx context.Context, applicationID string, seq int) (kaiban.Confirmation, error) {
	if err := m.lock(ctx); err != nil {
		return kaiban.Confirmation{}, err
	}
	defer m.mu.Unlock()
	c, err := m.confirmationLocked(applicationID, seq)
	if err != nil {
		return kaiban.Confirmation{}, err
	}
	return copyConfirmation(*c), nil
}

func (m *MemStore) confirmationLocked(applicationID string, seq int) (*kaiban.Confirmation, error) {
	m.confirm.init()
	cs := m.confirm.byApp[applicationID]
	for i := range cs {
		if cs[i].Seq == seq {
			return &cs[i], nil
		}
	}
	return nil, kaiban.Errorf(kaiban.ErrNotFound, "confirmation not found")
}

// ListConfirmations implements kaiban.Confirmations.
func (m *MemStore) ListConfirmations(ctx context.Context, applicationID string) ([]kaiban.Confirmation, error) {
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	m.confirm.init()
	return copyConfirmations(m.confirm.byApp[applicationID]), nil
}

// VerifyConfirmation implements kaiban.Confirmations.
func (m *MemStore) VerifyConfirmation(ctx context.Context, applicationID string, seq int, at time.Time, e kaiban.AuditEvent) (kaiban.Confirmation, error) {
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return kaiban.Confirmation{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.Confirmation{}, err
	}
	defer m.mu.Unlock()
	c, err := m.confirmationLocked(applicationID, seq)
	if err != nil {
		return kaiban.Confirmation{}, err
	}
	switch c.State {
	case kaiban.ConfirmVerified:
		return copyConfirmation(*c), nil
	case kaiban.ConfirmSigned, kaiban.ConfirmDeclined:
		return kaiban.Confirmation{}, kaiban.Errorf(kaiban.ErrConfirmationDecided, "this confirmation is already decided")
	}
	if _, err := m.appendLocked(e); err != nil {
		return kaiban.Confirmation{}, err
	}
	at = at.UTC()
	c.State, c.VerifiedAt = kaiban.ConfirmVerified, &at
	return copyConfirmation(*c), nil
}

// DecideConfirmation implements kaiban.Confirmations.
func (m *MemStore) DecideConfirmation(ctx context.Context, applicationID string, seq int, d kaiban.ConfirmDecision, e kaiban.AuditEvent) (kaiban.Confirmation, error) {
	if err := kaiban.CheckConfirmDecision(d); err != nil {
		return kaiban.Confirmation{}, err
	}
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return kaiban.Confirmation{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.Confirmation{}, err
	}
	defer m.mu.Unlock()
	c, err := m.confirmationLocked(applicationID, seq)
	if err != nil {
		return kaiban.Confirmation{}, err
	}
	next, err := kaiban.ApplyDecision(*c, d)
	if err != nil {
		return kaiban.Confirmation{}, err
	}
	if _, err := m.appendLocked(e); err != nil {
		return kaiban.Confirmation{}, err
	}
	*c = next
	return copyConfirmation(next), nil
}

// RememberIdentity implements kaiban.Confirmations.
func (m *MemStore) RememberIdentity(ctx context.Context, v kaiban.IdentityVerification) error {
	if v.PersonKey == "" || v.VerifiedAt.IsZero() {
		return kaiban.Errorf(kaiban.ErrInput, "a verification has a person and a time")
	}
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	m.confirm.init()
	if old, ok := m.confirm.identities[v.PersonKey]; !ok || v.VerifiedAt.After(old) {
		m.confirm.identities[v.PersonKey] = v.VerifiedAt.UTC()
	}
	return nil
}

// RecentIdentity implements kaiban.Confirmations.
func (m *MemStore) RecentIdentity(ctx context.Context, personKey string, now time.Time) (kaiban.IdentityVerification, error) {
	if err := m.lock(ctx); err != nil {
		return kaiban.IdentityVerification{}, err
	}
	defer m.mu.Unlock()
	m.confirm.init()
	at, ok := m.confirm.identities[personKey]
	if !ok || !now.Before(at.Add(kaiban.IdentityReuse)) {
		return kaiban.IdentityVerification{}, kaiban.Errorf(kaiban.ErrNotFound, "no recent verification")
	}
	return kaiban.IdentityVerification{PersonKey: personKey, VerifiedAt: at}, nil
}

// SetConfirmationWaiter implements kaiban.Confirmations.
func (m *MemStore) SetConfirmationWaiter(ctx context.Context, applicationID, taskToken string) error {
	if taskToken == "" || len(taskToken) > 2048 {
		return kaiban.Errorf(kaiban.ErrInput, "a task token is 1 to 2048 characters")
	}
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	m.confirm.init()
	if _, ok := m.apps[applicationID]; !ok {
		return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	m.confirm.waiters[applicationID] = taskToken
	return nil
}

// ConfirmationWaiter implements kaiban.Confirmations.
func (m *MemStore) ConfirmationWaiter(ctx context.Context, applicationID string) (string, error) {
	if err := m.lock(ctx); err != nil {
		return "", err
	}
	defer m.mu.Unlock()
	m.confirm.init()
	tok, ok := m.confirm.waiters[applicationID]
	if !ok {
		return "", kaiban.Errorf(kaiban.ErrNotFound, "no waiting workflow")
	}
	return tok, nil
}

// AcceptApplication implements kaiban.Confirmations.
func (m *MemStore) AcceptApplication(ctx context.Context, applicationID string, at time.Time, e kaiban.AuditEvent) error {
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return err
	}
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	ma, ok := m.apps[applicationID]
	if !ok {
		return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if ma.app.Status.Terminal() {
		return kaiban.Errorf(kaiban.ErrInput, "the application is finished")
	}
	if _, err := m.appendLocked(e); err != nil {
		return err
	}
	ma.app.Deadline = at.Add(kaiban.DeadlineAfterSubmission).UTC()
	return nil
}
