package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Confirmations = (*Store)(nil)

const confirmColumns = `application_id, seq, person_key, roles, token_hash, state, created_at, expires_at,
	verified_at, decided_at, decline_reason, signature`

func scanConfirmation(row scanner) (kaiban.Confirmation, error) {
	var (
		c                 kaiban.Confirmation
		roles             string
		hash              []byte
		created, expires  int64
		verified, decided sql.NullInt64
		signature         sql.NullString
	)
	err := row.Scan(&c.ApplicationID, &c.Seq, &c.PersonKey, &roles, &hash, &c.State, &created, &expires,
		&verified, &decided, &c.DeclineReason, &signature)
	if errors.Is(err, sql.ErrNoRows) {
		return kaiban.Confirmation{}, kaiban.Errorf(kaiban.ErrNotFound, "confirmation not found")
	}
	if err != nil {
		return kaiban.Confirmation{}, storeErr(err, "cannot read the confirmation")
	}
	if json.Unmarshal([]byte(roles), &c.Roles) != nil || len(hash) != len(c.TokenHash) {
		return kaiban.Confirmation{}, kaiban.Errorf(kaiban.ErrStoreCorrupt, "a stored confirmation is unreadable")
	}
	copy(c.TokenHash[:], hash)
	c.CreatedAt, c.ExpiresAt = fromNanos(created), fromNanos(expires)
	c.VerifiedAt, c.DecidedAt = timePtr(verified), timePtr(decided)
	if signature.Valid {
		c.Signature = new(kaiban.SignatureRecord)
		if json.Unmarshal([]byte(signature.String), c.Signature) != nil {
			return kaiban.Confirmation{}, kaiban.Errorf(kaiban.ErrStoreCorrupt, "a stored signature is unreadable")
		}
	}
	return c, nil
}

func (s *Store) listConfirmations(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, applicationID string) ([]kaiban.Confirmation, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+confirmColumns+` FROM confirmations WHERE application_id = ? ORDER BY seq`, applicationID)
	if err != nil {
		return nil, storeErr(err, "cannot list confirmations")
	}
	defer rows.Close()
	var out []kaiban.Confirmation
	for rows.Next() {
		c, err := scanConfirmation(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, storeErr(rows.Err(), "cannot list confirmations")
}

// CreateConfirmations implements kaiban.Confirmations: one transaction,
// which writes nothing when the application has confirmations already.
func (s *Store) CreateConfirmations(ctx context.Context, cs []kaiban.Confirmation) ([]kaiban.Confirmation, error) {
	if err := kaiban.CheckConfirmations(cs); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	id := cs[0].ApplicationID
	var out []kaiban.Confirmation
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications WHERE id = ?`, id).Scan(&n); err != nil {
			return storeErr(err, "cannot read the application")
		}
		if n == 0 {
			return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
		}
		existing, err := s.listConfirmations(ctx, tx, id)
		if err != nil || len(existing) > 0 {
			out = existing
			return err
		}
		for _, c := range cs {
			roles, err := json.Marshal(c.Roles)
			if err != nil {
				return kaiban.Wrap(kaiban.ErrInput, err, "roles")
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO confirmations (application_id, seq, person_key, roles, token_hash, state, created_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, c.ApplicationID, c.Seq, c.PersonKey, string(roles), c.TokenHash[:], c.State,
				nanos(c.CreatedAt), nanos(c.ExpiresAt)); err != nil {
				return storeErr(err, "cannot store the confirmations")
			}
		}
		out, err = s.listConfirmations(ctx, tx, id)
		return err
	})
	return out, err
}

// GetConfirmation implements kaiban.Confirmations.
func (s *Store) GetConfirmation(ctx context.Context, applicationID string, seq int) (kaiban.Confirmation, error) {
	if err := s.check(ctx); err != nil {
		return kaiban.Confirmation{}, err
	}
	return scanConfirmation(s.r.QueryRowContext(ctx, `SELECT `+confirmColumns+` FROM confirmations WHERE application_id = ? AND seq = ?`, applicationID, seq))
}

// ListConfirmations implements kaiban.Confirmations.
func (s *Store) ListConfirmations(ctx context.Context, applicationID string) ([]kaiban.Confirmation, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	return s.listConfirmations(ctx, s.r, applicationID)
}

// VerifyConfirmation implements kaiban.Confirmations: the state change and
// its audit event share one transaction.
func (s *Store) VerifyConfirmation(ctx context.Context, applicationID string, seq int, at time.Time, e kaiban.AuditEvent) (kaiban.Confirmation, error) {
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return kaiban.Confirmation{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Confirmation{}, err
	}
	var out kaiban.Confirmation
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		c, err := scanConfirmation(tx.QueryRowContext(ctx, `SELECT `+confirmColumns+` FROM confirmations WHERE application_id = ? AND seq = ?`, applicationID, seq))
		if err != nil {
			return err
		}
		switch c.State {
		case kaiban.ConfirmVerified:
			out = c
			return nil
		case kaiban.ConfirmSigned, kaiban.ConfirmDeclined:
			return kaiban.Errorf(kaiban.ErrConfirmationDecided, "this confirmation is already decided")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE confirmations SET state = ?, verified_at = ? WHERE application_id = ? AND seq = ?`,
			kaiban.ConfirmVerified, nanos(at), applicationID, seq); err != nil {
			return storeErr(err, "cannot record the verification")
		}
		at = at.UTC()
		c.State, c.VerifiedAt = kaiban.ConfirmVerified, &at
		out = c
		return s.appendAuditTx(ctx, tx, &e)
	})
	return out, err
}

// DecideConfirmation implements kaiban.Confirmations: read, check and write
// in one IMMEDIATE transaction with the audit event, so of two decisions
// one wins.
func (s *Store) DecideConfirmation(ctx context.Context, applicationID string, seq int, d kaiban.ConfirmDecision, e kaiban.AuditEvent) (kaiban.Confirmation, error) {
	if err := kaiban.CheckConfirmDecision(d); err != nil {
		return kaiban.Confirmation{}, err
	}
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return kaiban.Confirmation{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Confirmation{}, err
	}
	var out kaiban.Confirmation
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		c, err := scanConfirmation(tx.QueryRowContext(ctx, `SELECT `+confirmColumns+` FROM confirmations WHERE application_id = ? AND seq = ?`, applicationID, seq))
		if err != nil {
			return err
		}
		next, err := kaiban.ApplyDecision(c, d)
		if err != nil {
			return err
		}
		var sig sql.NullString
		if next.Signature != nil {
			b, err := json.Marshal(next.Signature)
			if err != nil {
				return kaiban.Wrap(kaiban.ErrInput, err, "signature")
			}
			sig = sql.NullString{String: string(b), Valid: true}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE confirmations SET state = ?, decided_at = ?, decline_reason = ?, signature = ?
			WHERE application_id = ? AND seq = ?`, next.State, nullNanos(next.DecidedAt), next.DeclineReason, sig, applicationID, seq); err != nil {
			return storeErr(err, "cannot record the decision")
		}
		out = next
		return s.appendAuditTx(ctx, tx, &e)
	})
	return out, err
}

// RememberIdentity implements kaiban.Confirmations.
func (s *Store) RememberIdentity(ctx context.Context, v kaiban.IdentityVerification) error {
	if v.PersonKey == "" || len(v.PersonKey) > 128 || v.VerifiedAt.IsZero() {
		return kaiban.Errorf(kaiban.ErrInput, "a verification has a person and a time")
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	return s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO identity_verifications (person_key, verified_at) VALUES (?, ?)
			ON CONFLICT (person_key) DO UPDATE SET verified_at = MAX(verified_at, excluded.verified_at)`, v.PersonKey, nanos(v.VerifiedAt))
		return storeErr(err, "cannot record the verification")
	})
}

// RecentIdentity implements kaiban.Confirmations.
func (s *Store) RecentIdentity(ctx context.Context, personKey string, now time.Time) (kaiban.IdentityVerification, error) {
	if err := s.check(ctx); err != nil {
		return kaiban.IdentityVerification{}, err
	}
	var at int64
	err := s.r.QueryRowContext(ctx, `SELECT verified_at FROM identity_verifications WHERE person_key = ? AND verified_at > ?`,
		personKey, nanos(now.Add(-kaiban.IdentityReuse))).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return kaiban.IdentityVerification{}, kaiban.Errorf(kaiban.ErrNotFound, "no recent verification")
	}
	if err != nil {
		return kaiban.IdentityVerification{}, storeErr(err, "cannot read the verification")
	}
	return kaiban.IdentityVerification{PersonKey: personKey, VerifiedAt: fromNanos(at)}, nil
}
