package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Corrections = (*Store)(nil)

// correctionRow reads the application's correction; ErrNotFound if none.
func correctionRow(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, appID string) (kaiban.Correction, error) {
	var req, token string
	err := q.QueryRowContext(ctx, `SELECT request, task_token FROM corrections WHERE application_id = ?`, appID).Scan(&req, &token)
	if errors.Is(err, sql.ErrNoRows) {
		return kaiban.Correction{}, kaiban.Errorf(kaiban.ErrNotFound, "no correction")
	}
	if err != nil {
		return kaiban.Correction{}, storeErr(err, "cannot read the correction")
	}
	var c kaiban.Correction
	if err := json.Unmarshal([]byte(req), &c); err != nil {
		return kaiban.Correction{}, kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "the stored correction is unreadable")
	}
	c.TaskToken = token
	return c, nil
}

func putCorrection(ctx context.Context, tx *sql.Tx, c kaiban.Correction) error {
	b, err := json.Marshal(c)
	if err != nil {
		return kaiban.Wrap(kaiban.ErrInput, err, "correction cannot be encoded")
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO corrections (application_id, status, request, task_token) VALUES (?, ?, ?, ?)
		ON CONFLICT (application_id) DO UPDATE SET status = excluded.status, request = excluded.request, task_token = excluded.task_token`,
		c.ApplicationID, c.Status, string(b), c.TaskToken)
	return storeErr(err, "cannot store the correction")
}

// OpenCorrection implements kaiban.Corrections: the correction and its
// audit event are one transaction.
func (s *Store) OpenCorrection(ctx context.Context, c kaiban.Correction, e kaiban.AuditEvent) (kaiban.Correction, error) {
	if err := kaiban.CheckCorrection(c); err != nil {
		return kaiban.Correction{}, err
	}
	if err := kaiban.CheckAuditEventOf(c.ApplicationID, e); err != nil {
		return kaiban.Correction{}, err
	}
	c = c.Clone()
	c.Status, c.CorrectedAt = kaiban.CorrectionOpen, nil
	c.AskedAt, c.DueAt = fromNanos(nanos(c.AskedAt)), fromNanos(nanos(c.DueAt))
	out := c
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		cur, err := correctionRow(ctx, tx, c.ApplicationID)
		switch {
		case err == nil && cur.Status == kaiban.CorrectionOpen:
			out = cur
			return nil
		case err != nil && !kaiban.IsName(err, kaiban.ErrNotFound):
			return err
		}
		if err := s.appendAuditTx(ctx, tx, &e); err != nil {
			return err
		}
		return putCorrection(ctx, tx, c)
	})
	if err != nil {
		return kaiban.Correction{}, err
	}
	return out, nil
}

// GetCorrection implements kaiban.Corrections.
func (s *Store) GetCorrection(ctx context.Context, applicationID string) (kaiban.Correction, error) {
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return kaiban.Correction{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Correction{}, err
	}
	return correctionRow(ctx, s.r, applicationID)
}

// ApplyCorrection implements kaiban.Corrections: the form (sealed as at
// creation), the moved deadline, the correction and the audit event are
// one transaction, and the caches take the new form and deadline once it
// is committed.
func (s *Store) ApplyCorrection(ctx context.Context, applicationID string, form kaiban.Form, now time.Time, e kaiban.AuditEvent) (kaiban.Correction, error) {
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return kaiban.Correction{}, err
	}
	if _, err := kaiban.EncodeCorrectedForm(form); err != nil {
		return kaiban.Correction{}, err
	}
	sealed, err := s.seal.SealForm(applicationID, form)
	if err != nil {
		return kaiban.Correction{}, err
	}
	stored, err := json.Marshal(sealed)
	if err != nil {
		return kaiban.Correction{}, kaiban.Wrap(kaiban.ErrInput, err, "form cannot be encoded")
	}
	var out kaiban.Correction
	var pause time.Duration
	err = s.writeThen(ctx, false, func(ctx context.Context, tx *sql.Tx) error {
		c, err := correctionRow(ctx, tx, applicationID)
		if kaiban.IsName(err, kaiban.ErrNotFound) || (err == nil && c.Status != kaiban.CorrectionOpen) {
			return kaiban.Errorf(kaiban.ErrNotAwaitingCorrection, "no correction is awaited")
		}
		if err != nil {
			return err
		}
		pause = kaiban.CorrectionPause(c, now)
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET form = ?, deadline = deadline + ? WHERE id = ?`,
			string(stored), int64(pause), applicationID); err != nil {
			return storeErr(err, "cannot store the corrected form")
		}
		if err := s.appendAuditTx(ctx, tx, &e); err != nil {
			return err
		}
		at := fromNanos(nanos(now))
		c.Status, c.CorrectedAt = kaiban.CorrectionCorrected, &at
		out = c
		return putCorrection(ctx, tx, c)
	}, func() {
		s.forms.put(applicationID, form)
		s.apps.update(applicationID, func(a **kaiban.Application) { (*a).Deadline = (*a).Deadline.Add(pause) })
	})
	if err != nil {
		return kaiban.Correction{}, err
	}
	return out, nil
}
