package stack

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/kaiban/kaiban/shared/kaiban"

	_ "modernc.org/sqlite" // the "sqlite" driver, as the store and the journal use it
)

// The store (kaiban.db) and the engine's history (engine.db) are one pair:
// every application in progress has a workflow execution, and every
// execution works on an application. checkPairing refuses a start where one
// of them is blank beside a populated other, since either way the stack
// would look healthy while losing work:
//   - a blank store beside executions: every application is gone from the
//     API while the resumed workflows fail against the store;
//   - a blank engine beside applications in progress: those applications
//     never move again, and nothing says so until their deadline passes.
//
// A store whose applications have all finished, or are SUBMITTED and not
// yet started (the reconciler starts those), may start with a blank engine
// (it keeps no history the store needs). It runs under the data
// directory's lock, before either database is opened for writing.
func checkPairing(ctx context.Context, dir string) error {
	storePath, enginePath := filepath.Join(dir, "kaiban.db"), filepath.Join(dir, "engine.db")
	apps, err := countRows(ctx, storePath, "applications", `SELECT COUNT(*) FROM applications`)
	if err != nil {
		return err
	}
	inFlight, err := countRows(ctx, storePath, "applications",
		`SELECT COUNT(*) FROM applications WHERE status NOT IN ('`+string(kaiban.AppSubmitted)+`','`+string(kaiban.AppCompleted)+`','`+string(kaiban.AppRejected)+`')`)
	if err != nil {
		return err
	}
	return pairingVerdict(ctx, storePath, "Restore kaiban.db from a backup of this data directory", apps, inFlight, enginePath)
}

// checkStorePairing is checkPairing for a store outside the data directory
// (the DynamoDB table, described by where), read through its Counts once
// it is open: an application in progress is one neither SUBMITTED nor
// finished, as above.
func checkStorePairing(ctx context.Context, store kaiban.Store, where, dir string) error {
	c, err := store.Counts(ctx)
	if err != nil {
		return err
	}
	apps, inFlight := 0, 0
	for status, n := range c.Applications {
		apps += n
		if status != kaiban.AppSubmitted && status != kaiban.AppCompleted && status != kaiban.AppRejected {
			inFlight += n
		}
	}
	return pairingVerdict(ctx, where, "Restore the table from a backup (a moto_server keeps its tables in memory: they end with it, so a stack that is to resume needs a server that outlives it)", apps, inFlight, filepath.Join(dir, "engine.db"))
}

// pairingVerdict counts the executions in the engine's history and refuses
// a store and a history of which one is blank beside a populated other;
// restore says how to bring a lost store back.
func pairingVerdict(ctx context.Context, storeName, restore string, apps, inFlight int, enginePath string) error {
	execs, err := countRows(ctx, enginePath, "executions", `SELECT COUNT(*) FROM executions`)
	if err != nil {
		return err
	}
	switch {
	case apps == 0 && execs > 0:
		return kaiban.Errorf(kaiban.ErrStoreCorrupt,
			"%s holds no applications but %s holds %d workflow executions: the store was lost or replaced, and starting would hide every application. "+
				"%s, or move engine.db away to start afresh",
			storeName, enginePath, execs, restore)
	case inFlight > 0 && execs == 0:
		return kaiban.Errorf(kaiban.ErrStoreCorrupt,
			"%s holds %d applications in progress but %s holds no workflow executions: the engine's history was lost or replaced, and those applications would never finish. "+
				"Restore engine.db from a backup of this data directory",
			storeName, inFlight, enginePath)
	}
	return nil
}

// countRows runs a COUNT query on the database at path; a missing or empty
// file, or one without the table yet, counts as zero.
func countRows(ctx context.Context, path, table, query string) (int, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Size() == 0) {
		return 0, nil
	}
	if err != nil {
		return 0, kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot read "+path)
	}
	// mode=rw never creates the file; the directory's lock keeps every
	// other stack away while it is open.
	db, err := sql.Open("sqlite", "file:"+path+"?mode=rw&_pragma=busy_timeout(5000)")
	if err != nil {
		return 0, kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot open "+path)
	}
	defer db.Close()
	var exists int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&exists); err != nil {
		return 0, kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "cannot read "+path)
	}
	if exists == 0 {
		return 0, nil
	}
	var n int
	if err := db.QueryRowContext(ctx, query).Scan(&n); err != nil {
		return 0, kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "cannot read "+path)
	}
	return n, nil
}
