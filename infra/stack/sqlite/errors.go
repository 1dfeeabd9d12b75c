package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var errClosed = kaiban.Errorf(kaiban.ErrStoreUnavailable, "the store is closed")

// storeErr turns an error from database/sql or the driver into a
// *kaiban.Error, keeping the cause for logs. msg is what a client may see.
// *kaiban.Error values pass through unchanged.
func storeErr(err error, msg string) error {
	if err == nil {
		return nil
	}
	var ke *kaiban.Error
	if errors.As(err, &ke) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "request cancelled")
	}
	if errors.Is(err, sql.ErrConnDone) || strings.Contains(err.Error(), "database is closed") {
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "the store is closed")
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary result code
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "the database file is damaged or not a database")
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_FULL,
			sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_NOMEM,
			sqlite3.SQLITE_INTERRUPT:
			return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, msg)
		}
	}
	return kaiban.Wrap(kaiban.ErrInternal, err, msg)
}

// isConstraint reports whether err is a uniqueness or primary-key
// violation.
func isConstraint(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT
}
