package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.NameIndex = (*Store)(nil)

// PutNames implements kaiban.NameIndex: each record replaces the row of
// its name and that row's keys, all in one write.
func (s *Store) PutNames(ctx context.Context, recs []kaiban.NameRecord) error {
	for _, r := range recs {
		if err := r.Check(false); err != nil {
			return err
		}
	}
	err := s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		w, err := prepareNameWrites(ctx, tx)
		if err != nil {
			return err
		}
		defer w.close()
		for _, r := range recs {
			if err := w.put(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return storeErr(err, "cannot store the names")
	}
	if s.bulkSinceCheckpoint.Add(int64(len(recs))) >= bulkCheckpointEvery {
		s.bulkSinceCheckpoint.Store(0)
		// Back-to-back bulk writes never leave the background PASSIVE
		// checkpoint a moment to start the WAL over, so a large seed
		// would grow it without bound (9.5 GB at 500,000 names); a
		// TRUNCATE checkpoint between batches folds it back.
		if _, err := s.c.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return storeErr(err, "cannot checkpoint after storing names")
		}
	}
	return nil
}

// bulkCheckpointEvery is how many names PutNames writes between its own
// checkpoints. A variable so a test can lower it.
var bulkCheckpointEvery int64 = 50_000

func putName(ctx context.Context, tx *sql.Tx, r kaiban.NameRecord) error {
	st, err := prepareNameWrites(ctx, tx)
	if err != nil {
		return err
	}
	defer st.close()
	return st.put(ctx, r)
}

// nameWrites are the statements of a record's write, prepared once per
// transaction: preparing is most of a statement's cost in SQLite.
type nameWrites struct{ delKeys, putRec, putKey *sql.Stmt }

func prepareNameWrites(ctx context.Context, tx *sql.Tx) (*nameWrites, error) {
	var w nameWrites
	var err error
	if w.delKeys, err = tx.PrepareContext(ctx, `DELETE FROM name_keys WHERE name = ?`); err != nil {
		return nil, err
	}
	if w.putRec, err = tx.PrepareContext(ctx, `INSERT OR REPLACE INTO name_records (name, registry, status, changed_at, reserved_until, holder, keys)
		VALUES (?, ?, ?, ?, ?, ?, ?)`); err != nil {
		w.close()
		return nil, err
	}
	if w.putKey, err = tx.PrepareContext(ctx, `INSERT OR IGNORE INTO name_keys (key, name) VALUES (?, ?)`); err != nil {
		w.close()
		return nil, err
	}
	return &w, nil
}

func (w *nameWrites) close() {
	for _, st := range []*sql.Stmt{w.delKeys, w.putRec, w.putKey} {
		if st != nil {
			st.Close()
		}
	}
}

func (w *nameWrites) put(ctx context.Context, r kaiban.NameRecord) error {
	if _, err := w.delKeys.ExecContext(ctx, r.Name); err != nil {
		return err
	}
	var until int64
	if !r.ReservedUntil.IsZero() {
		until = nanos(r.ReservedUntil)
	}
	if _, err := w.putRec.ExecContext(ctx, r.Name, r.Registry, string(r.Status), nanos(r.ChangedAt), until, r.Holder, strings.Join(r.Keys, "\n")); err != nil {
		return err
	}
	for _, k := range r.Keys {
		if _, err := w.putKey.ExecContext(ctx, k, r.Name); err != nil {
			return err
		}
	}
	return nil
}

// findNames looks records up by a JSON array of keys: one statement for
// any number of keys, prepared once (preparing costs more than the seeks),
// each key a seek of name_keys.
const findNames = `SELECT DISTINCT r.name, r.registry, r.status, r.changed_at, r.reserved_until, r.holder, r.keys
	FROM name_keys k JOIN name_records r ON r.name = k.name
	WHERE k.key IN (SELECT value FROM json_each(?))`

// FindNames implements kaiban.NameIndex with one prepared query.
func (s *Store) FindNames(ctx context.Context, keys []string) ([]kaiban.NameRecord, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(keys)
	if err != nil {
		return nil, storeErr(err, "cannot look up names")
	}
	rows, err := s.stmt.rFindNames.QueryContext(ctx, string(list))
	return scanNames(rows, err)
}

func scanNames(rows *sql.Rows, err error) ([]kaiban.NameRecord, error) {
	if err != nil {
		return nil, storeErr(err, "cannot look up names")
	}
	defer rows.Close()
	var out []kaiban.NameRecord
	for rows.Next() {
		var (
			r              kaiban.NameRecord
			changed, until int64
			keys           string
		)
		if err := rows.Scan(&r.Name, &r.Registry, &r.Status, &changed, &until, &r.Holder, &keys); err != nil {
			return nil, storeErr(err, "cannot read a name")
		}
		r.ChangedAt, r.Keys = fromNanos(changed), strings.Split(keys, "\n")
		if until != 0 {
			r.ReservedUntil = fromNanos(until)
		}
		out = append(out, r)
	}
	return out, storeErr(rows.Err(), "cannot look up names")
}

// ReserveName implements kaiban.NameIndex. The check and the insert run in
// one write on the single writer connection, so racing reservers are
// serialised and exactly one finds the key free.
func (s *Store) ReserveName(ctx context.Context, rec kaiban.NameRecord, now time.Time) error {
	if err := rec.Check(true); err != nil {
		return err
	}
	return storeErr(s.write(ctx, func(ctx context.Context, tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT r.name, r.registry, r.status, r.changed_at, r.reserved_until, r.holder, r.keys
			FROM name_keys k JOIN name_records r ON r.name = k.name WHERE k.key = ?`, rec.Keys[0])
		same, err := scanNames(rows, err)
		if err != nil {
			return err
		}
		for _, o := range same {
			if o.BlocksAt(now) && !(o.Status == kaiban.NameReserved && o.Holder == rec.Holder) {
				return kaiban.Errorf(kaiban.ErrNameTaken, "name taken by %s", o.Name)
			}
		}
		return putName(ctx, tx, rec)
	}), "cannot reserve the name")
}
