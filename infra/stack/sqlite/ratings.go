package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Ratings = (*Store)(nil)

// CreateRatingWithAudit implements kaiban.Ratings: the rating's INSERT
// (its primary key refuses a second one) and the audit append share one
// transaction.
func (s *Store) CreateRatingWithAudit(ctx context.Context, r kaiban.Rating, e kaiban.AuditEvent) (kaiban.Rating, error) {
	if err := kaiban.CheckRating(r); err != nil {
		return kaiban.Rating{}, err
	}
	if err := kaiban.CheckAuditEventOf(r.ApplicationID, e); err != nil {
		return kaiban.Rating{}, err
	}
	if err := kaiban.RequireAuditKey(s.auditKey); err != nil {
		return kaiban.Rating{}, err
	}
	r.RatedAt = r.RatedAt.UTC()
	if r.Tags == nil {
		r.Tags = []string{}
	}
	tags, err := json.Marshal(r.Tags)
	if err != nil {
		return kaiban.Rating{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode the tags")
	}
	err = s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO ratings (application_id, score, tags, comment, rated_at) VALUES (?, ?, ?, ?, ?)`,
			r.ApplicationID, r.Score, string(tags), r.Comment, nanos(r.RatedAt))
		if isConstraint(err) {
			return kaiban.Errorf(kaiban.ErrRatingExists, "the application is rated")
		}
		if err != nil {
			return storeErr(err, "cannot store the rating")
		}
		return s.appendAuditTx(ctx, tx, &e)
	})
	if err != nil {
		return kaiban.Rating{}, err
	}
	return r, nil
}

// GetRating implements kaiban.Ratings.
func (s *Store) GetRating(ctx context.Context, applicationID string) (kaiban.Rating, error) {
	if err := s.check(ctx); err != nil {
		return kaiban.Rating{}, err
	}
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return kaiban.Rating{}, err
	}
	r := kaiban.Rating{ApplicationID: applicationID}
	var tags string
	var at int64
	err := s.r.QueryRowContext(ctx, `SELECT score, tags, comment, rated_at FROM ratings WHERE application_id = ?`, applicationID).
		Scan(&r.Score, &tags, &r.Comment, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return kaiban.Rating{}, kaiban.Errorf(kaiban.ErrNotFound, "no rating")
	}
	if err != nil {
		return kaiban.Rating{}, storeErr(err, "cannot read the rating")
	}
	if err := json.Unmarshal([]byte(tags), &r.Tags); err != nil {
		return kaiban.Rating{}, kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "the rating's tags are not JSON")
	}
	r.RatedAt = fromNanos(at)
	return r, nil
}
