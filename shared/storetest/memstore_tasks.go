package storetest

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// CreateClerkTask implements kaiban.Store.
func (m *MemStore) CreateClerkTask(ctx context.Context, t kaiban.ClerkTask) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckClerkTask(t); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	defer m.mu.Unlock()
	c, err := m.createTask(t)
	return c.ClerkTask, err
}

// createTask is CreateClerkTask with mu held.
func (m *MemStore) createTask(t kaiban.ClerkTask) (kaiban.CreatedTask, error) {
	if cur, ok := m.tasks[t.ID]; ok {
		return kaiban.CreatedTask{ClerkTask: copyTask(cur)}, nil
	}
	if _, ok := m.apps[t.ApplicationID]; !ok {
		return kaiban.CreatedTask{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	t = copyTask(t)
	t.Status = kaiban.TaskOpen
	t.ClaimedBy, t.ClaimedAt, t.ResolvedBy, t.ResolvedAt, t.Decision, t.Note = "", nil, "", nil, "", ""
	t.DeliveredAt = nil
	m.tasks[t.ID] = t
	return kaiban.CreatedTask{ClerkTask: copyTask(t), Created: true}, nil
}

// GetClerkTask implements kaiban.Store.
func (m *MemStore) GetClerkTask(ctx context.Context, id string) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckKey("task id", id); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	defer m.mu.Unlock()
	t, ok := m.tasks[id]
	if !ok {
		return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	return copyTask(t), nil
}

// ListClerkTasks implements kaiban.Store.
func (m *MemStore) ListClerkTasks(ctx context.Context, f kaiban.TaskFilter) ([]kaiban.ClerkTask, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, kaiban.Errorf(kaiban.ErrInput, "unknown task status %q", f.Status)
	}
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	var out []kaiban.ClerkTask
	for _, t := range m.tasks {
		if (f.Status == "" || t.Status == f.Status) && (f.Track == "" || t.Track == f.Track) {
			out = append(out, copyTask(t))
		}
	}
	SortQueue(out)
	if n := kaiban.ClampLimit(f.Limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// SortQueue sorts tasks in queue order: priority (highest first), deadline
// (soonest first), creation time, then ID so the order is total.
func SortQueue(ts []kaiban.ClerkTask) {
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i], ts[j]
		switch {
		case a.Priority != b.Priority:
			return a.Priority > b.Priority
		case !a.Deadline.Equal(b.Deadline):
			return a.Deadline.Before(b.Deadline)
		case !a.CreatedAt.Equal(b.CreatedAt):
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
}

// ClaimClerkTask implements kaiban.Store.
func (m *MemStore) ClaimClerkTask(ctx context.Context, id, clerk string, now time.Time) (kaiban.ClaimedTask, error) {
	if err := kaiban.CheckClaim(id, clerk, now); err != nil {
		return kaiban.ClaimedTask{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.ClaimedTask{}, err
	}
	defer m.mu.Unlock()
	return m.claim(id, clerk, now)
}

// claim is ClaimClerkTask with mu held.
func (m *MemStore) claim(id, clerk string, now time.Time) (kaiban.ClaimedTask, error) {
	t, ok := m.tasks[id]
	fresh := false
	switch {
	case !ok:
		return kaiban.ClaimedTask{}, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	case t.Status == kaiban.TaskResolved:
		return kaiban.ClaimedTask{}, kaiban.Errorf(kaiban.ErrTaskResolved, "task is already resolved")
	case t.Status == kaiban.TaskClaimed && t.ClaimedBy == clerk:
	case t.Status == kaiban.TaskClaimed && !t.ClaimExpired(now):
		return kaiban.ClaimedTask{}, kaiban.Errorf(kaiban.ErrTaskClaimed, "task is claimed by another clerk")
	default:
		t.Status, t.ClaimedBy, t.ClaimedAt = kaiban.TaskClaimed, clerk, utc(&now)
		m.tasks[id] = t
		fresh = true
	}
	return kaiban.ClaimedTask{ClerkTask: copyTask(t), Token: t.TaskToken, Fresh: fresh}, nil
}

// ReleaseClerkTask implements kaiban.Store.
func (m *MemStore) ReleaseClerkTask(ctx context.Context, id, clerk string, now time.Time) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckClaim(id, clerk, now); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	defer m.mu.Unlock()
	return m.release(id, clerk)
}

// release is ReleaseClerkTask with mu held.
func (m *MemStore) release(id, clerk string) (kaiban.ClerkTask, error) {
	t, ok := m.tasks[id]
	switch {
	case !ok:
		return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	case t.Status == kaiban.TaskResolved:
		return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrTaskResolved, "task is already resolved")
	case t.Status != kaiban.TaskClaimed || t.ClaimedBy != clerk:
		return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrTaskNotClaimed, "task is not claimed by you")
	}
	t.Status, t.ClaimedBy, t.ClaimedAt = kaiban.TaskOpen, "", nil
	m.tasks[id] = t
	return copyTask(t), nil
}

// ResolveClerkTask implements kaiban.Store.
func (m *MemStore) ResolveClerkTask(ctx context.Context, id, clerk string, r kaiban.Resolution, now time.Time) (kaiban.ClerkTask, error) {
	return m.resolve(ctx, id, clerk, r, now, nil)
}

// ResolveClerkTaskWithAudit implements kaiban.TaskAuditedWriter.
func (m *MemStore) ResolveClerkTaskWithAudit(ctx context.Context, id, clerk string, r kaiban.Resolution, now time.Time, e kaiban.AuditEvent) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.ClerkTask{}, err
	}
	return m.resolve(ctx, id, clerk, r, now, &e)
}

func (m *MemStore) resolve(ctx context.Context, id, clerk string, r kaiban.Resolution, now time.Time, e *kaiban.AuditEvent) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckResolution(id, clerk, r, now); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := m.lock(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	defer m.mu.Unlock()
	t, ok := m.tasks[id]
	switch {
	case !ok:
		return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	case t.Status == kaiban.TaskResolved:
		return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrTaskResolved, "task is already resolved")
	case t.Status != kaiban.TaskClaimed || t.ClaimedBy != clerk:
		return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrTaskNotClaimed, "task is not claimed by you")
	}
	if e != nil {
		if _, ok := m.apps[e.ApplicationID]; !ok || e.ApplicationID != t.ApplicationID {
			return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrInput, "the audit event is for another application")
		}
		if _, err := m.appendLocked(*e); err != nil {
			return kaiban.ClerkTask{}, err
		}
	}
	t.Status, t.ResolvedBy, t.ResolvedAt = kaiban.TaskResolved, clerk, utc(&now)
	t.Decision, t.Note, t.Data = r.Decision, r.Note, slices.Clone(r.Data)
	if r.Settled {
		t.DeliveredAt = utc(&now)
	}
	m.tasks[id] = t
	return copyTask(t), nil
}

// MarkClerkTaskDelivered implements kaiban.Store.
func (m *MemStore) MarkClerkTaskDelivered(ctx context.Context, id string, now time.Time) error {
	if err := kaiban.CheckKey("task id", id); err != nil {
		return err
	}
	if err := kaiban.CheckTime("delivery time", now); err != nil {
		return err
	}
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	t, ok := m.tasks[id]
	switch {
	case !ok:
		return kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	case t.Status != kaiban.TaskResolved:
		return kaiban.Errorf(kaiban.ErrInput, "task is not resolved")
	case t.DeliveredAt != nil:
		return nil
	}
	t.DeliveredAt = utc(&now)
	m.tasks[id] = t
	return nil
}

// UndeliveredClerkTasks implements kaiban.Store.
func (m *MemStore) UndeliveredClerkTasks(ctx context.Context, limit int) ([]kaiban.ClerkTask, error) {
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	var out []kaiban.ClerkTask
	for _, t := range m.tasks {
		if t.Status == kaiban.TaskResolved && t.DeliveredAt == nil {
			out = append(out, copyTask(t))
		}
	}
	SortResolved(out)
	if n := kaiban.ClampLimit(limit); len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// SortResolved sorts resolved tasks by resolution time, then ID: the order
// of UndeliveredClerkTasks.
func SortResolved(ts []kaiban.ClerkTask) {
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i].ResolvedAt, ts[j].ResolvedAt
		if a != nil && b != nil && !a.Equal(*b) {
			return a.Before(*b)
		}
		return ts[i].ID < ts[j].ID
	})
}

// RaiseClerkTask implements kaiban.Store.
func (m *MemStore) RaiseClerkTask(ctx context.Context, id string, priority int) error {
	if err := kaiban.CheckKey("task id", id); err != nil {
		return err
	}
	if err := kaiban.CheckPriority(priority); err != nil {
		return err
	}
	if err := m.lock(ctx); err != nil {
		return err
	}
	defer m.mu.Unlock()
	t, ok := m.tasks[id]
	if !ok {
		return kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	t.Priority = priority
	m.tasks[id] = t
	return nil
}

// OpenTasksFor implements kaiban.Store.
func (m *MemStore) OpenTasksFor(ctx context.Context, applicationID string) ([]kaiban.ClerkTask, error) {
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return nil, err
	}
	if err := m.lock(ctx); err != nil {
		return nil, err
	}
	defer m.mu.Unlock()
	var out []kaiban.ClerkTask
	for _, t := range m.tasks {
		if t.ApplicationID == applicationID && t.Status != kaiban.TaskResolved {
			out = append(out, copyTask(t))
		}
	}
	SortCreated(out)
	return out, nil
}

// SortCreated sorts tasks by creation time, then ID: the order of
// OpenTasksFor.
func SortCreated(ts []kaiban.ClerkTask) {
	sort.SliceStable(ts, func(i, j int) bool {
		if !ts[i].CreatedAt.Equal(ts[j].CreatedAt) {
			return ts[i].CreatedAt.Before(ts[j].CreatedAt)
		}
		return ts[i].ID < ts[j].ID
	})
}

func copyTask(t kaiban.ClerkTask) kaiban.ClerkTask {
	t.Deadline, t.CreatedAt = t.Deadline.UTC(), t.CreatedAt.UTC()
	t.ClaimedAt, t.ResolvedAt, t.DeliveredAt = utc(t.ClaimedAt), utc(t.ResolvedAt), utc(t.DeliveredAt)
	t.Data = slices.Clone(t.Data)
	return t
}
