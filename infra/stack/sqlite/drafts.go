package sqlite

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Drafts = (*Store)(nil)

func draftContext(id string) string { return "draft:" + id }

// CreateDraft implements kaiban.Drafts: the form is sealed as a whole.
func (s *Store) CreateDraft(ctx context.Context, d kaiban.Draft) error {
	if err := kaiban.CheckDraft(d); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	sealed, err := s.seal.Seal(string(d.Form), draftContext(d.ID))
	if err != nil {
		return err
	}
	err = s.writeSingle(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO drafts (id, token_hash, form, created_at, updated_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			d.ID, d.TokenHash[:], sealed, nanos(d.CreatedAt), nanos(d.UpdatedAt), nanos(d.ExpiresAt))
		if isConstraint(err) {
			return kaiban.Errorf(kaiban.ErrIdempotencyConflict, "draft %s exists", d.ID)
		}
		return err
	})
	return storeErr(err, "cannot store the draft")
}

// draftRow reads the live draft id whose token matches (constant-time
// compare); anything else is ErrNotFound.
func (s *Store) draftRow(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, id string, tokenHash [32]byte, now time.Time) (kaiban.Draft, error) {
	d := kaiban.Draft{ID: id}
	var hash []byte
	var sealed string
	var created, updated, expires int64
	err := q.QueryRowContext(ctx, `SELECT token_hash, form, created_at, updated_at, expires_at FROM drafts WHERE id = ?`, id).
		Scan(&hash, &sealed, &created, &updated, &expires)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return kaiban.Draft{}, storeErr(err, "cannot read the draft")
	}
	if subtle.ConstantTimeCompare(hash, tokenHash[:]) != 1 || nanos(now) >= expires {
		return kaiban.Draft{}, kaiban.Errorf(kaiban.ErrNotFound, "draft not found")
	}
	form, err := s.seal.Open(sealed, draftContext(id))
	if err != nil {
		return kaiban.Draft{}, err
	}
	copy(d.TokenHash[:], hash)
	d.Form = json.RawMessage(form)
	d.CreatedAt, d.UpdatedAt, d.ExpiresAt = fromNanos(created), fromNanos(updated), fromNanos(expires)
	return d, nil
}

// SaveDraft implements kaiban.Drafts: the token check and the update are
// one transaction.
func (s *Store) SaveDraft(ctx context.Context, id string, tokenHash [32]byte, form json.RawMessage, now time.Time) (kaiban.Draft, error) {
	if err := kaiban.CheckDraftForm(form); err != nil {
		return kaiban.Draft{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Draft{}, err
	}
	sealed, err := s.seal.Seal(string(form), draftContext(id))
	if err != nil {
		return kaiban.Draft{}, err
	}
	var out kaiban.Draft
	err = s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		d, err := s.draftRow(ctx, tx, id, tokenHash, now)
		if err != nil {
			return err
		}
		d.Form, d.UpdatedAt, d.ExpiresAt = append(json.RawMessage(nil), form...), now.UTC(), now.UTC().Add(kaiban.DraftTTL)
		if _, err := tx.ExecContext(ctx, `UPDATE drafts SET form = ?, updated_at = ?, expires_at = ? WHERE id = ?`,
			sealed, nanos(d.UpdatedAt), nanos(d.ExpiresAt), id); err != nil {
			return err
		}
		out = d
		return nil
	})
	if err != nil {
		return kaiban.Draft{}, storeErr(err, "cannot save the draft")
	}
	return out, nil
}

// GetDraft implements kaiban.Drafts.
func (s *Store) GetDraft(ctx context.Context, id string, tokenHash [32]byte, now time.Time) (kaiban.Draft, error) {
	if err := s.check(ctx); err != nil {
		return kaiban.Draft{}, err
	}
	return s.draftRow(ctx, s.r, id, tokenHash, now)
}
