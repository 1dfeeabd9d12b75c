package sqlite

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// CreateApplication implements kaiban.Store. The application row, its seven
// tracks and the idempotency record are written in one transaction; the
// idempotency record is read inside the same transaction, so concurrent
// callers with one key see exactly one winner.
func (s *Store) CreateApplication(ctx context.Context, req kaiban.CreateRequest) (kaiban.CreateResult, error) {
	return s.createApplication(ctx, req, nil)
}

// CreateApplicationWithAudit implements kaiban.AuditedWriter.
func (s *Store) CreateApplicationWithAudit(ctx context.Context, req kaiban.CreateRequest, e kaiban.AuditEvent) (kaiban.CreateResult, error) {
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.CreateResult{}, err
	}
	if e.ApplicationID != req.Application.ID {
		return kaiban.CreateResult{}, kaiban.Errorf(kaiban.ErrInput, "the audit event is for another application")
	}
	return s.createApplication(ctx, req, &e)
}

// createApplication stores the application and, when it creates it and e
// is set, appends e in the same transaction.
func (s *Store) createApplication(ctx context.Context, req kaiban.CreateRequest, e *kaiban.AuditEvent) (kaiban.CreateResult, error) {
	if _, err := kaiban.CheckCreateRequest(req); err != nil {
		return kaiban.CreateResult{}, err
	}
	a := req.Application
	sealed, err := s.seal.SealForm(a.ID, a.Form)
	if err != nil {
		return kaiban.CreateResult{}, err
	}
	form, err := json.Marshal(sealed)
	if err != nil {
		return kaiban.CreateResult{}, kaiban.Wrap(kaiban.ErrInput, err, "form cannot be encoded")
	}

	now := nanos(a.UpdatedAt)
	if a.UpdatedAt.IsZero() {
		now = nanos(a.SubmittedAt)
	}
	var replay *kaiban.CreateResult
	created := createdState(a, now)
	err = s.writeThen(ctx, false, func(ctx context.Context, tx *sql.Tx) error {
		if req.IdempotencyKey != "" {
			var (
				bodyHash, appID string
				sealed          []byte
			)
			err := tx.StmtContext(ctx, s.stmt.wSelectIdem).QueryRowContext(ctx, req.IdempotencyKey).Scan(&bodyHash, &appID, &sealed)
			switch {
			case err == nil:
				if bodyHash != req.BodyHash {
					return kaiban.Errorf(kaiban.ErrIdempotencyConflict, "the idempotency key was used with another request body")
				}
				app, err := s.getApp(ctx, tx, appID)
				if err != nil {
					return err
				}
				replay = &kaiban.CreateResult{Application: app, Sealed: sealed}
				return nil
			case !errors.Is(err, sql.ErrNoRows):
				return storeErr(err, "cannot read the idempotency record")
			}
		}
		_, err := tx.StmtContext(ctx, s.stmt.wInsertApp).ExecContext(ctx,
			a.ID, a.Status, form, a.CreditCode, nanos(a.SubmittedAt), nanos(a.Deadline), nullNanos(a.CompletedAt),
			a.Message, now, a.Lang, req.AccessTokenHash[:])
		if isConstraint(err) {
			return kaiban.Errorf(kaiban.ErrIdempotencyConflict, "application %s already exists", a.ID)
		}
		if err != nil {
			return storeErr(err, "cannot store the application")
		}
		args := make([]any, 0, 4*len(kaiban.Tracks))
		for i, name := range kaiban.Tracks {
			args = append(args, a.ID, name, i, kaiban.TrackPending)
		}
		if _, err := tx.StmtContext(ctx, s.stmt.wInsertTracks).ExecContext(ctx, args...); err != nil {
			return storeErr(err, "cannot store the tracks")
		}
		if req.IdempotencyKey != "" {
			if _, err := tx.StmtContext(ctx, s.stmt.wInsertIdem).ExecContext(ctx,
				req.IdempotencyKey, req.BodyHash, a.ID, req.Sealed, now); err != nil {
				return storeErr(err, "cannot store the idempotency record")
			}
		}
		if e != nil {
			return s.appendAuditTx(ctx, tx, e)
		}
		return nil
	}, func() {
		if replay == nil {
			s.apps.put(created.ID, created)
		}
	})
	if err != nil {
		return kaiban.CreateResult{}, err
	}
	if replay != nil {
		return *replay, nil
	}
	s.forms.put(a.ID, a.Form)
	out := copyState(created)
	out.Form = a.Form
	return kaiban.CreateResult{Application: out, Created: true, Sealed: req.Sealed}, nil
}

// createdState is a new application as a read of its rows returns it
// (times through their stored form), without the form.
func createdState(a kaiban.Application, updated int64) *kaiban.Application {
	out := a
	out.Form = kaiban.Form{}
	out.SubmittedAt, out.Deadline, out.UpdatedAt = fromNanos(nanos(a.SubmittedAt)), fromNanos(nanos(a.Deadline)), fromNanos(updated)
	out.CompletedAt = timePtr(nullNanos(a.CompletedAt))
	out.Tracks = kaiban.NewTracks()
	return &out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// GetApplication implements kaiban.Store. The application and its tracks
// come from one statement, so from one snapshot (or from the state cache);
// the form, which never changes, comes from the form cache or is read and
// opened once.
func (s *Store) GetApplication(ctx context.Context, id string) (*kaiban.Application, error) {
	if err := kaiban.CheckKey("application id", id); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	a, ok := s.apps.get(id)
	if !ok {
		var err error
		if a, err = scanAppTracks(s.stmt.rSelectAppTracks.QueryContext(ctx, id)); err != nil {
			return nil, err
		}
	}
	if err := s.attachForm(a, func() *sql.Row { return s.stmt.rSelectForm.QueryRowContext(ctx, id) }); err != nil {
		return nil, err
	}
	return a, nil
}

// getApp is GetApplication inside a transaction (a write's, or a read's
// that must see one snapshot), without the state cache: a write's
// transaction may hold changes not yet committed.
func (s *Store) getApp(ctx context.Context, tx *sql.Tx, id string) (*kaiban.Application, error) {
	a, err := scanAppTracks(tx.QueryContext(ctx, selectAppTracks, id))
	if err != nil {
		return nil, err
	}
	if err := s.attachForm(a, func() *sql.Row { return tx.QueryRowContext(ctx, selectForm, id) }); err != nil {
		return nil, err
	}
	return a, nil
}

// attachForm sets a.Form from the form cache, or from the stored form that
// read returns, opened (and then cached).
func (s *Store) attachForm(a *kaiban.Application, read func() *sql.Row) error {
	if f, ok := s.forms.get(a.ID); ok {
		a.Form = f
		return nil
	}
	var stored string
	if err := read().Scan(&stored); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
		}
		return storeErr(err, "cannot read the application")
	}
	var sealed kaiban.Form
	if err := json.Unmarshal([]byte(stored), &sealed); err != nil {
		return kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "the stored form is unreadable")
	}
	f, err := s.seal.OpenForm(a.ID, sealed)
	if err != nil {
		return err
	}
	s.forms.put(a.ID, f)
	a.Form = f
	return nil
}

// scanAppTracks reads the rows of selectAppTracks: the application's
// columns (without the form) repeated on each of its track rows.
func scanAppTracks(rows *sql.Rows, err error) (*kaiban.Application, error) {
	if err != nil {
		return nil, storeErr(err, "cannot read the application")
	}
	defer rows.Close()
	var a *kaiban.Application
	for rows.Next() {
		var (
			app                         kaiban.Application
			submitted, deadline, update int64
			completed                   sql.NullInt64
			name, status, message       sql.NullString
			attempts, version           sql.NullInt64
			started, finished           sql.NullInt64
			result                      sql.NullString
		)
		if err := rows.Scan(&app.ID, &app.Status, &app.CreditCode, &submitted, &deadline, &completed, &app.Message, &update, &app.Lang,
			&name, &status, &attempts, &started, &finished, &result, &message, &version); err != nil {
			return nil, storeErr(err, "cannot read the application")
		}
		if a == nil {
			app.SubmittedAt, app.Deadline, app.UpdatedAt, app.CompletedAt = fromNanos(submitted), fromNanos(deadline), fromNanos(update), timePtr(completed)
			app.Tracks = make([]kaiban.Track, 0, len(kaiban.Tracks))
			a = &app
		}
		if !name.Valid {
			continue // an application without tracks: reported below
		}
		a.Tracks = append(a.Tracks, kaiban.Track{
			Name: kaiban.TrackName(name.String), Status: kaiban.TrackStatus(status.String), Attempts: int(attempts.Int64),
			StartedAt: timePtr(started), FinishedAt: timePtr(finished), Result: rawJSON(result),
			Message: message.String, Version: version.Int64,
		})
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr(err, "cannot read the application")
	}
	if a == nil {
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if len(a.Tracks) != len(kaiban.Tracks) {
		return nil, kaiban.Errorf(kaiban.ErrStoreCorrupt, "application %s has %d tracks, want %d", a.ID, len(a.Tracks), len(kaiban.Tracks))
	}
	return a, nil
}

// CheckAccessToken implements kaiban.Store. An unknown application is
// compared against a zero hash so both failures take the same path.
func (s *Store) CheckAccessToken(ctx context.Context, id, token string) error {
	if err := kaiban.CheckKey("application id", id); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	var stored []byte
	err := s.r.QueryRowContext(ctx, `SELECT token_hash FROM applications WHERE id = ?`, id).Scan(&stored)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return storeErr(err, "cannot check the access token")
	}
	want := make([]byte, 32)
	copy(want, stored)
	got := kaiban.HashToken(token)
	if subtle.ConstantTimeCompare(got[:], want) != 1 || len(stored) != 32 {
		return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	return nil
}

// UpdateApplication implements kaiban.Store.
func (s *Store) UpdateApplication(ctx context.Context, id string, u kaiban.ApplicationUpdate) (*kaiban.Application, error) {
	return s.updateApplication(ctx, id, u, nil)
}

// UpdateApplicationWithAudit implements kaiban.AuditedWriter: the update
// and the audit append share one transaction.
func (s *Store) UpdateApplicationWithAudit(ctx context.Context, id string, u kaiban.ApplicationUpdate, e kaiban.AuditEvent) (*kaiban.Application, error) {
	if err := kaiban.CheckAuditEventOf(id, e); err != nil {
		return nil, err
	}
	return s.updateApplication(ctx, id, u, &e)
}

func (s *Store) updateApplication(ctx context.Context, id string, u kaiban.ApplicationUpdate, e *kaiban.AuditEvent) (*kaiban.Application, error) {
	if err := kaiban.CheckApplicationUpdate(id, u); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	changes := u != (kaiban.ApplicationUpdate{})
	if changes || e != nil {
		err := s.writeThen(ctx, e == nil, func(ctx context.Context, tx *sql.Tx) error {
			if changes {
				if err := s.updateApplicationTx(ctx, tx, id, u); err != nil {
					return err
				}
			}
			if e == nil {
				return nil
			}
			return s.appendAuditTx(ctx, tx, e)
		}, func() { s.apps.update(id, func(a **kaiban.Application) { applyUpdate(*a, u) }) })
		if err != nil {
			return nil, err
		}
	}
	return s.GetApplication(ctx, id)
}

// updateApplicationTx sets the fields u gives (NULL leaves a column as it
// is) in one prepared statement.
func (s *Store) updateApplicationTx(ctx context.Context, tx *sql.Tx, id string, u kaiban.ApplicationUpdate) error {
	opt := func(set bool, v any) any {
		if !set {
			return nil
		}
		return v
	}
	var completed, message any
	if u.CompletedAt != nil {
		completed = nanos(*u.CompletedAt)
	}
	if u.Message != nil {
		message = *u.Message
	}
	if u.Status != "" {
		// Read in the write transaction, so no writer can finish the
		// application between this check and the UPDATE.
		var current string
		err := tx.QueryRowContext(ctx, `SELECT status FROM applications WHERE id = ?`, id).Scan(&current)
		if errors.Is(err, sql.ErrNoRows) {
			return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
		}
		if err != nil {
			return storeErr(err, "cannot update the application")
		}
		if err := kaiban.FinishedRefusal(id, kaiban.AppStatus(current), u); err != nil {
			return err
		}
	}
	res, err := tx.StmtContext(ctx, s.stmt.wUpdateApp).ExecContext(ctx,
		opt(u.Status != "", string(u.Status)), opt(u.CreditCode != "", u.CreditCode), completed, message,
		opt(!u.UpdatedAt.IsZero(), nanos(u.UpdatedAt)), id)
	if err != nil {
		return storeErr(err, "cannot update the application")
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	return nil
}

// UpdateTrack implements kaiban.Store with one conditional UPDATE: the row
// changes only if it still has the version the caller read.
func (s *Store) UpdateTrack(ctx context.Context, applicationID string, t kaiban.Track) (kaiban.Track, error) {
	return s.updateTrack(ctx, applicationID, t, nil)
}

// UpdateTrackWithAudit implements kaiban.AuditedWriter: the track's
// conditional UPDATE and the audit append share one transaction.
func (s *Store) UpdateTrackWithAudit(ctx context.Context, applicationID string, t kaiban.Track, e kaiban.AuditEvent) (kaiban.Track, error) {
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return kaiban.Track{}, err
	}
	return s.updateTrack(ctx, applicationID, t, &e)
}

func (s *Store) updateTrack(ctx context.Context, applicationID string, t kaiban.Track, e *kaiban.AuditEvent) (kaiban.Track, error) {
	if err := kaiban.CheckTrack(applicationID, t); err != nil {
		return kaiban.Track{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Track{}, err
	}
	out := t
	out.StartedAt, out.FinishedAt = timePtr(nullNanos(t.StartedAt)), timePtr(nullNanos(t.FinishedAt))
	out.Result = rawJSON(nullJSON(t.Result))
	out.Version = t.Version + 1
	err := s.writeThen(ctx, e == nil, func(ctx context.Context, tx *sql.Tx) error {
		if err := s.updateTrackTx(ctx, tx, applicationID, t); err != nil || e == nil {
			return err
		}
		return s.appendAuditTx(ctx, tx, e)
	}, func() { s.apps.update(applicationID, func(a **kaiban.Application) { setTrack(*a, out) }) })
	if err != nil {
		return kaiban.Track{}, err
	}
	return cloneTrack(out), nil
}

// updateTrackTx is the versioned UPDATE of one track inside tx.
func (s *Store) updateTrackTx(ctx context.Context, tx *sql.Tx, applicationID string, t kaiban.Track) error {
	res, err := tx.StmtContext(ctx, s.stmt.wUpdateTrack).ExecContext(ctx, t.Status, t.Attempts, nullNanos(t.StartedAt),
		nullNanos(t.FinishedAt), nullJSON(t.Result), t.Message, applicationID, t.Name, t.Version)
	if err != nil {
		return storeErr(err, "cannot update the track")
	}
	if n, err := res.RowsAffected(); err != nil {
		return storeErr(err, "cannot update the track")
	} else if n == 1 {
		return nil
	}
	var one int
	err = tx.StmtContext(ctx, s.stmt.wAppExists).QueryRowContext(ctx, applicationID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if err != nil {
		return storeErr(err, "cannot update the track")
	}
	return kaiban.Errorf(kaiban.ErrVersionConflict, "track %s was changed by another writer", t.Name)
}

// applyUpdate does to a cached application what UpdateApplication's
// statement did to its row.
func applyUpdate(a *kaiban.Application, u kaiban.ApplicationUpdate) {
	if u.Status != "" {
		a.Status = u.Status
	}
	if u.CreditCode != "" {
		a.CreditCode = u.CreditCode
	}
	if u.CompletedAt != nil {
		t := fromNanos(nanos(*u.CompletedAt))
		a.CompletedAt = &t
	}
	if u.Message != nil {
		a.Message = *u.Message
	}
	if !u.UpdatedAt.IsZero() {
		a.UpdatedAt = fromNanos(nanos(u.UpdatedAt))
	}
}

// setTrack replaces the cached track of t's name with t, as committed.
func setTrack(a *kaiban.Application, t kaiban.Track) {
	for i := range a.Tracks {
		if a.Tracks[i].Name == t.Name {
			a.Tracks[i] = cloneTrack(t)
			return
		}
	}
}

// ListByStatus implements kaiban.Store over the partial index of open
// applications by deadline (the status test alone would not let SQLite
// use it), reading the applications in the same snapshot.
func (s *Store) ListByStatus(ctx context.Context, q kaiban.StatusQuery) ([]kaiban.Application, error) {
	if err := q.Check(); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeErr(err, "cannot start a read")
	}
	defer tx.Rollback()
	after := int64(math.MinInt64)
	if !q.AfterDeadline.IsZero() || q.AfterID != "" {
		after = nanos(q.AfterDeadline)
	}
	return s.appsFound(ctx, tx, "cannot list applications by status", `SELECT id FROM applications
		WHERE status NOT IN ('COMPLETED', 'REJECTED') AND status = ? AND deadline < ?
		AND (deadline > ? OR (deadline = ? AND id > ?)) ORDER BY deadline, id LIMIT ?`,
		string(q.Status), nanos(q.DeadlineBefore), after, after, q.AfterID, kaiban.ClampLimit(q.Limit))
}
