package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.Documents = (*Store)(nil)

const documentColumns = `id, application_id, kind, doc_key, title, title_en, media_type, size, sha256, signature, key_id, object_key, issued_at, revoked_at`

type rowScanner interface{ Scan(dest ...any) error }

func scanDocument(r rowScanner) (kaiban.DocumentRecord, error) {
	var d kaiban.DocumentRecord
	var issued, revoked int64
	err := r.Scan(&d.ID, &d.ApplicationID, &d.Kind, &d.Key, &d.Title, &d.TitleEN, &d.MediaType, &d.Size,
		&d.SHA256, &d.Signature, &d.KeyID, &d.ObjectKey, &issued, &revoked)
	d.IssuedAt = fromNanos(issued)
	if revoked != 0 {
		d.RevokedAt = fromNanos(revoked)
	}
	return d, err
}

// PutDocument implements kaiban.Documents: the slot's look-up and the
// insert are one write on the single writer, so of racing puts the first
// inserts and the others read its row.
func (s *Store) PutDocument(ctx context.Context, d kaiban.DocumentRecord) (kaiban.DocumentRecord, error) {
	if err := kaiban.CheckDocument(d); err != nil {
		return kaiban.DocumentRecord{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.DocumentRecord{}, err
	}
	out := d
	err := s.writeSingle(ctx, func(ctx context.Context, tx *sql.Tx) error {
		got, err := scanDocument(tx.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents
			WHERE application_id = ? AND kind = ? AND doc_key = ?`, d.ApplicationID, string(d.Kind), d.Key))
		if err == nil {
			out = got
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO documents (`+documentColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
			d.ID, d.ApplicationID, string(d.Kind), d.Key, d.Title, d.TitleEN, d.MediaType, d.Size, d.SHA256, d.Signature,
			d.KeyID, d.ObjectKey, nanos(d.IssuedAt))
		if isConstraint(err) {
			return kaiban.Errorf(kaiban.ErrIdempotencyConflict, "document %s exists", d.ID)
		}
		return err
	})
	if err != nil {
		return kaiban.DocumentRecord{}, storeErr(err, "cannot store the document")
	}
	out.IssuedAt, out.RevokedAt = out.IssuedAt.UTC(), out.RevokedAt.UTC()
	return out, nil
}

func (s *Store) queryDocuments(ctx context.Context, where string, arg any) ([]kaiban.DocumentRecord, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, `SELECT `+documentColumns+` FROM documents WHERE `+where+` ORDER BY id`, arg)
	if err != nil {
		return nil, storeErr(err, "cannot read the documents")
	}
	defer rows.Close()
	out := []kaiban.DocumentRecord{}
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, storeErr(err, "cannot read a document")
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr(err, "cannot read the documents")
	}
	kaiban.SortDocuments(out)
	return out, nil
}

// ListDocuments implements kaiban.Documents.
func (s *Store) ListDocuments(ctx context.Context, applicationID string) ([]kaiban.DocumentRecord, error) {
	return s.queryDocuments(ctx, `application_id = ?`, applicationID)
}

// FindDocumentsByDigest implements kaiban.Documents: a seek of
// documents_by_sha256.
func (s *Store) FindDocumentsByDigest(ctx context.Context, sha256 string) ([]kaiban.DocumentRecord, error) {
	return s.queryDocuments(ctx, `sha256 = ?`, sha256)
}

// GetDocument implements kaiban.Documents.
func (s *Store) GetDocument(ctx context.Context, id string) (kaiban.DocumentRecord, error) {
	if err := s.check(ctx); err != nil {
		return kaiban.DocumentRecord{}, err
	}
	d, err := scanDocument(s.r.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return kaiban.DocumentRecord{}, kaiban.Errorf(kaiban.ErrNotFound, "document not found")
	}
	return d, storeErr(err, "cannot read the document")
}

// RevokeDocuments implements kaiban.Documents with one UPDATE.
func (s *Store) RevokeDocuments(ctx context.Context, applicationID string, at time.Time) (int, error) {
	var n int64
	err := s.writeSingle(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE documents SET revoked_at = ? WHERE application_id = ? AND revoked_at = 0`, nanos(at), applicationID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), storeErr(err, "cannot revoke the documents")
}
