package sqlite

import (
	"context"
	"database/sql"
	"strings"
)

// statements are the hot-path statements, prepared once: w* on the writer
// connection, r* on the read pool.
type statements struct {
	wInsertApp       *sql.Stmt
	wInsertTracks    *sql.Stmt
	wInsertIdem      *sql.Stmt
	wSelectIdem      *sql.Stmt
	wUpdateTrack     *sql.Stmt
	wUpdateApp       *sql.Stmt
	wAppExists       *sql.Stmt
	wSavepoint       *sql.Stmt
	wRelease         *sql.Stmt
	wRollbackTo      *sql.Stmt
	wAuditHead       *sql.Stmt
	wInsertAudit     *sql.Stmt
	wAdvanceHead     *sql.Stmt
	rOpenTasks       *sql.Stmt
	rSelectAppTracks *sql.Stmt
	rSelectForm      *sql.Stmt
	rFindNames       *sql.Stmt
	all              []*sql.Stmt
}

const appColumns = `id, status, form, credit_code, submitted_at, deadline, completed_at, message, updated_at, lang`

// selectAppTracks reads an application (without its form) and its tracks in
// one statement: the application's columns repeat on each track row.
const selectAppTracks = `SELECT a.id, a.status, a.credit_code, a.submitted_at, a.deadline, a.completed_at, a.message, a.updated_at, a.lang,
	t.name, t.status, t.attempts, t.started_at, t.finished_at, t.result, t.message, t.version
	FROM applications a LEFT JOIN tracks t ON t.application_id = a.id WHERE a.id = ? ORDER BY t.ord`

const selectForm = `SELECT form FROM applications WHERE id = ?`

func (st *statements) prepare(ctx context.Context, w, r *sql.DB) error {
	values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?), ", 7), ", ")
	list := []struct {
		db  *sql.DB
		dst **sql.Stmt
		sql string
	}{
		{w, &st.wInsertApp, `INSERT INTO applications (` + appColumns + `, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{w, &st.wInsertTracks, `INSERT INTO tracks (application_id, name, ord, status) VALUES ` + values},
		{w, &st.wInsertIdem, `INSERT INTO idempotency (key, body_hash, application_id, sealed, created_at) VALUES (?, ?, ?, ?, ?)`},
		{w, &st.wSelectIdem, `SELECT body_hash, application_id, sealed FROM idempotency WHERE key = ?`},
		{w, &st.wUpdateTrack, `UPDATE tracks SET status = ?, attempts = ?, started_at = ?, finished_at = ?, result = ?, message = ?, version = version + 1
			WHERE application_id = ? AND name = ? AND version = ?`},
		{w, &st.wUpdateApp, `UPDATE applications SET status = COALESCE(?1, status), credit_code = COALESCE(?2, credit_code),
			completed_at = COALESCE(?3, completed_at), message = COALESCE(?4, message), updated_at = COALESCE(?5, updated_at) WHERE id = ?6`},
		{w, &st.wAppExists, `SELECT 1 FROM applications WHERE id = ?`},
		{w, &st.wSavepoint, `SAVEPOINT job`},
		{w, &st.wRelease, `RELEASE job`},
		{w, &st.wRollbackTo, `ROLLBACK TO job`},
		{w, &st.wAuditHead, `SELECT audit_seq, audit_hash, audit_mac FROM applications WHERE id = ?`},
		{w, &st.wInsertAudit, `INSERT INTO audit_events (application_id, seq, time, actor, action, before, after, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{w, &st.wAdvanceHead, `UPDATE applications SET audit_seq = ?, audit_hash = ?, audit_mac = ? WHERE id = ?`},
		{r, &st.rOpenTasks, `SELECT ` + taskColumns + ` FROM clerk_tasks WHERE application_id = ? AND status <> 'RESOLVED' ORDER BY created_at, id`},
		{r, &st.rSelectAppTracks, selectAppTracks},
		{r, &st.rSelectForm, selectForm},
		{r, &st.rFindNames, findNames},
	}
	for _, p := range list {
		stmt, err := p.db.PrepareContext(ctx, p.sql)
		if err != nil {
			return storeErr(err, "cannot prepare statements")
		}
		*p.dst = stmt
		st.all = append(st.all, stmt)
	}
	return nil
}

func (st *statements) close() {
	for _, s := range st.all {
		s.Close()
	}
}
