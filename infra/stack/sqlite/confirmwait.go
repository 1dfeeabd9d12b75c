package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// SetConfirmationWaiter implements kaiban.Confirmations.
func (s *Store) SetConfirmationWaiter(ctx context.Context, applicationID, taskToken string) error {
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return err
	}
	if taskToken == "" || len(taskToken) > 2048 {
		return kaiban.Errorf(kaiban.ErrInput, "a task token is 1 to 2048 characters")
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO confirmation_waiters (application_id, task_token) VALUES (?, ?)
			ON CONFLICT (application_id) DO UPDATE SET task_token = excluded.task_token`, applicationID, taskToken)
		if isConstraint(err) {
			return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
		}
		return storeErr(err, "cannot store the task token")
	})
}

// ConfirmationWaiter implements kaiban.Confirmations.
func (s *Store) ConfirmationWaiter(ctx context.Context, applicationID string) (string, error) {
	if err := s.check(ctx); err != nil {
		return "", err
	}
	var tok string
	err := s.r.QueryRowContext(ctx, `SELECT task_token FROM confirmation_waiters WHERE application_id = ?`, applicationID).Scan(&tok)
	if errors.Is(err, sql.ErrNoRows) {
		return "", kaiban.Errorf(kaiban.ErrNotFound, "no waiting workflow")
	}
	return tok, storeErr(err, "cannot read the task token")
}

// AcceptApplication implements kaiban.Confirmations: the new deadline and
// the audit event share one transaction.
func (s *Store) AcceptApplication(ctx context.Context, applicationID string, at time.Time, e kaiban.AuditEvent) error {
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	deadline := at.Add(kaiban.DeadlineAfterSubmission).UTC()
	return s.writeThen(ctx, false, func(ctx context.Context, tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM applications WHERE id = ?`, applicationID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
		}
		if err != nil {
			return storeErr(err, "cannot read the application")
		}
		if kaiban.AppStatus(status).Terminal() {
			return kaiban.Errorf(kaiban.ErrInput, "the application is finished")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET deadline = ? WHERE id = ?`, nanos(deadline), applicationID); err != nil {
			return storeErr(err, "cannot record the acceptance")
		}
		return s.appendAuditTx(ctx, tx, &e)
	}, func() { s.apps.update(applicationID, func(a **kaiban.Application) { (*a).Deadline = deadline }) })
}
