package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

const taskColumns = `id, application_id, track, kind, status, error_name, reason, task_token, deadline, priority,
	created_at, claimed_by, claimed_at, resolved_by, resolved_at, decision, note, data, delivered_at`

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanTask(row scanner) (kaiban.ClerkTask, error) {
	var (
		t                     kaiban.ClerkTask
		deadline, created     int64
		claimedAt, resolvedAt sql.NullInt64
		deliveredAt           sql.NullInt64
		data                  sql.NullString
	)
	err := row.Scan(&t.ID, &t.ApplicationID, &t.Track, &t.Kind, &t.Status, &t.ErrorName, &t.Reason, &t.TaskToken,
		&deadline, &t.Priority, &created, &t.ClaimedBy, &claimedAt, &t.ResolvedBy, &resolvedAt, &t.Decision, &t.Note, &data, &deliveredAt)
	if errors.Is(err, sql.ErrNoRows) {
		return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	if err != nil {
		return kaiban.ClerkTask{}, storeErr(err, "cannot read the task")
	}
	t.Deadline, t.CreatedAt, t.ClaimedAt, t.ResolvedAt = fromNanos(deadline), fromNanos(created), timePtr(claimedAt), timePtr(resolvedAt)
	t.Data = rawJSON(data)
	t.DeliveredAt = timePtr(deliveredAt)
	return t, nil
}

func queryTasks(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]kaiban.ClerkTask, error) {
	return scanTasks(q.QueryContext(ctx, query, args...))
}

// scanTasks reads every row of a task query.
func scanTasks(rows *sql.Rows, err error) ([]kaiban.ClerkTask, error) {
	if err != nil {
		return nil, storeErr(err, "cannot list tasks")
	}
	defer rows.Close()
	var out []kaiban.ClerkTask
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, storeErr(rows.Err(), "cannot list tasks")
}

// CreateClerkTask implements kaiban.Store. INSERT OR IGNORE makes a retried
// creation return the stored task; the foreign key refuses a task for an
// unknown application.
func (s *Store) CreateClerkTask(ctx context.Context, t kaiban.ClerkTask) (kaiban.ClerkTask, error) {
	c, err := s.createTask(ctx, t, nil)
	return c.ClerkTask, err
}

// CreateClerkTaskWithAudit implements kaiban.TaskAuditedWriter: the task's
// INSERT and the audit append share one transaction.
func (s *Store) CreateClerkTaskWithAudit(ctx context.Context, t kaiban.ClerkTask, e kaiban.AuditEvent) (kaiban.CreatedTask, error) {
	if err := kaiban.CheckAuditEventOf(t.ApplicationID, e); err != nil {
		return kaiban.CreatedTask{}, err
	}
	return s.createTask(ctx, t, &e)
}

// createTask stores t unless its ID exists and, when it creates it and e
// is set, appends e in the same transaction.
func (s *Store) createTask(ctx context.Context, t kaiban.ClerkTask, e *kaiban.AuditEvent) (kaiban.CreatedTask, error) {
	if err := kaiban.CheckClerkTask(t); err != nil {
		return kaiban.CreatedTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.CreatedTask{}, err
	}
	var existing *kaiban.ClerkTask
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		cur, err := scanTask(tx.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM clerk_tasks WHERE id = ?`, t.ID))
		if err == nil {
			existing = &cur
			return nil
		}
		if !kaiban.IsName(err, kaiban.ErrNotFound) {
			return err
		}
		var one int
		if err := tx.QueryRowContext(ctx, `SELECT 1 FROM applications WHERE id = ?`, t.ApplicationID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
		} else if err != nil {
			return storeErr(err, "cannot store the task")
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO clerk_tasks (id, application_id, track, kind, status, error_name, reason,
			task_token, deadline, priority, created_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, t.ApplicationID, t.Track, t.Kind, kaiban.TaskOpen, t.ErrorName, t.Reason, t.TaskToken,
			nanos(t.Deadline), t.Priority, nanos(t.CreatedAt), nullJSON(t.Data))
		if err != nil || e == nil {
			return storeErr(err, "cannot store the task")
		}
		return s.appendAuditTx(ctx, tx, e)
	})
	if err != nil {
		return kaiban.CreatedTask{}, err
	}
	if existing != nil {
		return kaiban.CreatedTask{ClerkTask: *existing}, nil
	}
	out := t
	out.Status, out.Deadline, out.CreatedAt = kaiban.TaskOpen, t.Deadline.UTC(), t.CreatedAt.UTC()
	out.ClaimedBy, out.ClaimedAt, out.ResolvedBy, out.ResolvedAt, out.Decision, out.Note = "", nil, "", nil, "", ""
	out.DeliveredAt = nil
	return kaiban.CreatedTask{ClerkTask: out, Created: true}, nil
}

// GetClerkTask implements kaiban.Store.
func (s *Store) GetClerkTask(ctx context.Context, id string) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckKey("task id", id); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	return scanTask(s.r.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM clerk_tasks WHERE id = ?`, id))
}

// ListClerkTasks implements kaiban.Store.
func (s *Store) ListClerkTasks(ctx context.Context, f kaiban.TaskFilter) ([]kaiban.ClerkTask, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, kaiban.Errorf(kaiban.ErrInput, "unknown task status %q", f.Status)
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	return queryTasks(ctx, s.r, `SELECT `+taskColumns+` FROM clerk_tasks
		WHERE (?1 = '' OR status = ?1) AND (?2 = '' OR track = ?2)
		ORDER BY priority DESC, deadline, created_at, id LIMIT ?3`, string(f.Status), f.Track, kaiban.ClampLimit(f.Limit))
}

// ClaimClerkTask implements kaiban.Store. The read and the write happen in
// one IMMEDIATE transaction, so of two clerks exactly one sees the task
// claimable.
func (s *Store) ClaimClerkTask(ctx context.Context, id, clerk string, now time.Time) (kaiban.ClaimedTask, error) {
	return s.claimTask(ctx, id, clerk, now, nil)
}

// ClaimClerkTaskWithAudit implements kaiban.TaskAuditedWriter: a fresh
// claim and the audit append share one transaction.
func (s *Store) ClaimClerkTaskWithAudit(ctx context.Context, id, clerk string, now time.Time, e kaiban.AuditEvent) (kaiban.ClaimedTask, error) {
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.ClaimedTask{}, err
	}
	return s.claimTask(ctx, id, clerk, now, &e)
}

func (s *Store) claimTask(ctx context.Context, id, clerk string, now time.Time, e *kaiban.AuditEvent) (kaiban.ClaimedTask, error) {
	if err := kaiban.CheckClaim(id, clerk, now); err != nil {
		return kaiban.ClaimedTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.ClaimedTask{}, err
	}
	var out kaiban.ClaimedTask
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		t, err := scanTask(tx.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM clerk_tasks WHERE id = ?`, id))
		if err != nil {
			return err
		}
		fresh := false
		switch {
		case e != nil && e.ApplicationID != t.ApplicationID:
			return kaiban.Errorf(kaiban.ErrInput, "the audit event is for another application")
		case t.Status == kaiban.TaskResolved:
			return kaiban.Errorf(kaiban.ErrTaskResolved, "task is already resolved")
		case t.Status == kaiban.TaskClaimed && t.ClaimedBy == clerk:
		case t.Status == kaiban.TaskClaimed && !t.ClaimExpired(now):
			return kaiban.Errorf(kaiban.ErrTaskClaimed, "task is claimed by another clerk")
		default:
			if _, err := tx.ExecContext(ctx, `UPDATE clerk_tasks SET status = ?, claimed_by = ?, claimed_at = ? WHERE id = ?`,
				kaiban.TaskClaimed, clerk, nanos(now), id); err != nil {
				return storeErr(err, "cannot claim the task")
			}
			t.Status, t.ClaimedBy, t.ClaimedAt = kaiban.TaskClaimed, clerk, utcPtr(&now)
			fresh = true
		}
		out = kaiban.ClaimedTask{ClerkTask: t, Token: t.TaskToken, Fresh: fresh}
		if fresh && e != nil {
			return s.appendAuditTx(ctx, tx, e)
		}
		return nil
	})
	return out, err
}

// ReleaseClerkTask implements kaiban.Store.
func (s *Store) ReleaseClerkTask(ctx context.Context, id, clerk string, now time.Time) (kaiban.ClerkTask, error) {
	return s.releaseTask(ctx, id, clerk, now, nil)
}

// ReleaseClerkTaskWithAudit implements kaiban.TaskAuditedWriter: the
// release and the audit append share one transaction.
func (s *Store) ReleaseClerkTaskWithAudit(ctx context.Context, id, clerk string, now time.Time, e kaiban.AuditEvent) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.ClerkTask{}, err
	}
	return s.releaseTask(ctx, id, clerk, now, &e)
}

func (s *Store) releaseTask(ctx context.Context, id, clerk string, now time.Time, e *kaiban.AuditEvent) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckClaim(id, clerk, now); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	var out kaiban.ClerkTask
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		t, err := scanTask(tx.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM clerk_tasks WHERE id = ?`, id))
		if err != nil {
			return err
		}
		switch {
		case t.Status == kaiban.TaskResolved:
			return kaiban.Errorf(kaiban.ErrTaskResolved, "task is already resolved")
		case t.Status != kaiban.TaskClaimed || t.ClaimedBy != clerk:
			return kaiban.Errorf(kaiban.ErrTaskNotClaimed, "task is not claimed by you")
		case e != nil && e.ApplicationID != t.ApplicationID:
			return kaiban.Errorf(kaiban.ErrInput, "the audit event is for another application")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clerk_tasks SET status = ?, claimed_by = '', claimed_at = NULL WHERE id = ?`,
			kaiban.TaskOpen, id); err != nil {
			return storeErr(err, "cannot release the task")
		}
		t.Status, t.ClaimedBy, t.ClaimedAt = kaiban.TaskOpen, "", nil
		out = t
		if e != nil {
			return s.appendAuditTx(ctx, tx, e)
		}
		return nil
	})
	return out, err
}

// ResolveClerkTask implements kaiban.Store.
func (s *Store) ResolveClerkTask(ctx context.Context, id, clerk string, r kaiban.Resolution, now time.Time) (kaiban.ClerkTask, error) {
	return s.resolveTask(ctx, id, clerk, r, now, nil)
}

// ResolveClerkTaskWithAudit implements kaiban.TaskAuditedWriter: the
// conditional resolution and the audit append share one transaction.
func (s *Store) ResolveClerkTaskWithAudit(ctx context.Context, id, clerk string, r kaiban.Resolution, now time.Time, e kaiban.AuditEvent) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.ClerkTask{}, err
	}
	return s.resolveTask(ctx, id, clerk, r, now, &e)
}

func (s *Store) resolveTask(ctx context.Context, id, clerk string, r kaiban.Resolution, now time.Time, e *kaiban.AuditEvent) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckResolution(id, clerk, r, now); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	var delivered *int64
	if r.Settled {
		n := nanos(now)
		delivered = &n
	}
	var out kaiban.ClerkTask
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		t, err := scanTask(tx.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM clerk_tasks WHERE id = ?`, id))
		if err != nil {
			return err
		}
		switch {
		case t.Status == kaiban.TaskResolved:
			return kaiban.Errorf(kaiban.ErrTaskResolved, "task is already resolved")
		case t.Status != kaiban.TaskClaimed || t.ClaimedBy != clerk:
			return kaiban.Errorf(kaiban.ErrTaskNotClaimed, "task is not claimed by you")
		case e != nil && e.ApplicationID != t.ApplicationID:
			return kaiban.Errorf(kaiban.ErrInput, "the audit event is for another application")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE clerk_tasks SET status = ?, resolved_by = ?, resolved_at = ?, decision = ?, note = ?, data = ?,
			delivered_at = ? WHERE id = ?`, kaiban.TaskResolved, clerk, nanos(now), r.Decision, r.Note, nullJSON(r.Data), delivered, id); err != nil {
			return storeErr(err, "cannot resolve the task")
		}
		t.Status, t.ResolvedBy, t.ResolvedAt, t.Decision, t.Note, t.Data = kaiban.TaskResolved, clerk, utcPtr(&now), r.Decision, r.Note, r.Data
		if r.Settled {
			t.DeliveredAt = utcPtr(&now)
		}
		out = t
		if e != nil {
			return s.appendAuditTx(ctx, tx, e)
		}
		return nil
	})
	return out, err
}

// MarkClerkTaskDelivered implements kaiban.Store.
func (s *Store) MarkClerkTaskDelivered(ctx context.Context, id string, now time.Time) error {
	if err := kaiban.CheckKey("task id", id); err != nil {
		return err
	}
	if err := kaiban.CheckTime("delivery time", now); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM clerk_tasks WHERE id = ?`, id).Scan(&status)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return kaiban.Errorf(kaiban.ErrNotFound, "task not found")
		case err != nil:
			return storeErr(err, "cannot read the task")
		case status != string(kaiban.TaskResolved):
			return kaiban.Errorf(kaiban.ErrInput, "task is not resolved")
		}
		_, err = tx.ExecContext(ctx, `UPDATE clerk_tasks SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL`, nanos(now), id)
		return storeErr(err, "cannot record the delivery")
	})
}

// UndeliveredClerkTasks implements kaiban.Store.
func (s *Store) UndeliveredClerkTasks(ctx context.Context, limit int) ([]kaiban.ClerkTask, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	return queryTasks(ctx, s.r, `SELECT `+taskColumns+` FROM clerk_tasks
		WHERE status = 'RESOLVED' AND delivered_at IS NULL ORDER BY resolved_at, id LIMIT ?`, kaiban.ClampLimit(limit))
}

// RaiseClerkTask implements kaiban.Store.
func (s *Store) RaiseClerkTask(ctx context.Context, id string, priority int) error {
	if err := kaiban.CheckKey("task id", id); err != nil {
		return err
	}
	if err := kaiban.CheckPriority(priority); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE clerk_tasks SET priority = ? WHERE id = ?`, priority, id)
		if err != nil {
			return storeErr(err, "cannot raise the task")
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return kaiban.Errorf(kaiban.ErrNotFound, "task not found")
		}
		return nil
	})
}

// OpenTasksFor implements kaiban.Store.
func (s *Store) OpenTasksFor(ctx context.Context, applicationID string) ([]kaiban.ClerkTask, error) {
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	rows, err := s.stmt.rOpenTasks.QueryContext(ctx, applicationID)
	return scanTasks(rows, err)
}
