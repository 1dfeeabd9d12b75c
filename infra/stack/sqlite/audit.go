package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// AppendAudit implements kaiban.Store. The head is read and advanced in the
// same transaction as the event is inserted, so concurrent
// appends queue up behind each other and never fork the chain.
func (s *Store) AppendAudit(ctx context.Context, e kaiban.AuditEvent) (kaiban.AuditEvent, error) {
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.AuditEvent{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.AuditEvent{}, err
	}
	if err := kaiban.RequireAuditKey(s.auditKey); err != nil {
		return kaiban.AuditEvent{}, err
	}
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error { return s.appendAuditTx(ctx, tx, &e) })
	if err != nil {
		return kaiban.AuditEvent{}, err
	}
	return e, nil
}

// appendAuditTx chains e after the application's head and stores it
// inside tx: the head is read and advanced in the same transaction as the
// event is inserted, so appends queue up and never fork the chain.
func (s *Store) appendAuditTx(ctx context.Context, tx *sql.Tx, e *kaiban.AuditEvent) error {
	e.Time = e.Time.UTC()
	var head kaiban.AuditHead
	err := tx.StmtContext(ctx, s.stmt.wAuditHead).QueryRowContext(ctx, e.ApplicationID).Scan(&head.Seq, &head.Hash, &head.MAC)
	if errors.Is(err, sql.ErrNoRows) {
		return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if err != nil {
		return storeErr(err, "cannot read the audit head")
	}
	next, err := kaiban.ChainAfter(s.auditKey, head, e)
	if err != nil {
		return err
	}
	if _, err := tx.StmtContext(ctx, s.stmt.wInsertAudit).ExecContext(ctx, e.ApplicationID, e.Seq, nanos(e.Time), e.Actor, e.Action,
		nullJSON(e.Before), nullJSON(e.After), e.PrevHash, e.Hash); err != nil {
		return storeErr(err, "cannot store the audit event")
	}
	_, err = tx.StmtContext(ctx, s.stmt.wAdvanceHead).ExecContext(ctx, next.Seq, next.Hash, next.MAC, e.ApplicationID)
	return storeErr(err, "cannot advance the audit head")
}

// UseAuditKey gives the store the key its audit trail is chained and
// verified with; call it before the store is used. Without one, appending
// and verifying are ErrConfig.
func (s *Store) UseAuditKey(k kaiban.AuditKey) *Store {
	s.auditKey = k
	return s
}

// ListAudit implements kaiban.Store.
func (s *Store) ListAudit(ctx context.Context, applicationID string) ([]kaiban.AuditEvent, error) {
	events, _, err := s.readAudit(ctx, applicationID)
	return events, err
}

// VerifyAudit implements kaiban.Store.
func (s *Store) VerifyAudit(ctx context.Context, applicationID string) error {
	if err := kaiban.RequireAuditKey(s.auditKey); err != nil {
		return err
	}
	events, head, err := s.readAudit(ctx, applicationID)
	if err != nil {
		return err
	}
	return kaiban.VerifyAudit(s.auditKey, events, head)
}

// readAudit reads the head and the events in one read transaction.
func (s *Store) readAudit(ctx context.Context, applicationID string) ([]kaiban.AuditEvent, kaiban.AuditHead, error) {
	var head kaiban.AuditHead
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return nil, head, err
	}
	if err := s.check(ctx); err != nil {
		return nil, head, err
	}
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, head, storeErr(err, "cannot start a read")
	}
	defer tx.Rollback()
	err = tx.QueryRowContext(ctx, `SELECT audit_seq, audit_hash, audit_mac FROM applications WHERE id = ?`, applicationID).Scan(&head.Seq, &head.Hash, &head.MAC)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, head, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if err != nil {
		return nil, head, storeErr(err, "cannot read the audit head")
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, time, actor, action, before, after, prev_hash, hash
		FROM audit_events WHERE application_id = ? ORDER BY seq`, applicationID)
	if err != nil {
		return nil, head, storeErr(err, "cannot read the audit trail")
	}
	defer rows.Close()
	events := []kaiban.AuditEvent{}
	for rows.Next() {
		e := kaiban.AuditEvent{ApplicationID: applicationID}
		var (
			at            int64
			before, after sql.NullString
		)
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &e.Action, &before, &after, &e.PrevHash, &e.Hash); err != nil {
			return nil, head, storeErr(err, "cannot read the audit trail")
		}
		e.Time, e.Before, e.After = fromNanos(at), rawJSON(before), rawJSON(after)
		events = append(events, e)
	}
	return events, head, storeErr(rows.Err(), "cannot read the audit trail")
}
