package drills

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack"
	"github.com/kaiban/kaiban/infra/stack/apigw"
	"github.com/kaiban/kaiban/shared/api"

	_ "modernc.org/sqlite" // the drill edits the stack's database directly
)

// problem is one finding of auditVerification.
type problem struct {
	Seq    int64  `json:"seq"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// verification is auditVerification as the clerk API answers it.
type verification struct {
	Intact   bool      `json:"intact"`
	Problems []problem `json:"problems"`
}

// TestTamperDrill: someone with write access to a stopped stack's SQLite
// database (but not to its audit key) changes an application, restarts the
// stack, and a clerk asks for the application. Each change is reported
// precisely — which field, why, and from which event — and a harmless
// whitespace-only reformat of an event's JSON is not.
func TestTamperDrill(t *testing.T) {
	simSrv, err := sim.Start(t.Context(), sim.Instant())
	if err != nil {
		t.Fatalf("starting the simulators: %v", err)
	}
	t.Cleanup(func() { simSrv.Close() })
	golden := t.TempDir()
	id, taskID := completeWithClerk(t, golden, simSrv.URL())

	cases := []struct {
		name   string
		tamper func(t *testing.T, db *sql.DB, last int64)
		want   []problem // Seq -1: any event
	}{
		{"nothing changed", nil, nil},
		{"delete the newest event and rewrite the head", func(t *testing.T, db *sql.DB, last int64) {
			sqlExec(t, db, `DELETE FROM audit_events WHERE application_id = ? AND seq = ?`, id, last)
			sqlExec(t, db, `UPDATE applications SET audit_seq = ?, audit_hash = (SELECT hash FROM audit_events WHERE application_id = ? AND seq = ?) WHERE id = ?`,
				last-1, id, last-1, id)
		}, []problem{{Seq: -2, Field: "audit", Reason: "truncated"}}},
		{"edit an event and recompute the chain with an unkeyed hash", func(t *testing.T, db *sql.DB, last int64) {
			sqlExec(t, db, `UPDATE audit_events SET actor = 'clerk:mallory' WHERE application_id = ? AND seq = 2`, id)
			rechainUnkeyed(t, db, id, 2)
		}, []problem{{Seq: 2, Field: "audit", Reason: "edited"}}},
		{"edit the registered capital in the stored form", func(t *testing.T, db *sql.DB, _ int64) {
			editJSON(t, db, `SELECT form FROM applications WHERE id = ?`, `UPDATE applications SET form = ? WHERE id = ?`, id, func(m map[string]any) {
				m["company"].(map[string]any)["registeredCapital"] = 99_000_000
			})
		}, []problem{{Seq: 1, Field: "form", Reason: "state_differs"}}},
		{"edit the licence number in a track result", func(t *testing.T, db *sql.DB, _ int64) {
			editJSON(t, db, `SELECT result FROM tracks WHERE application_id = ? AND name = 'license'`,
				`UPDATE tracks SET result = ? WHERE application_id = ? AND name = 'license'`, id, func(m map[string]any) {
					m["licenseNumber"] = "FORGED-0001"
				})
		}, []problem{{Seq: -1, Field: "tracks.license.result", Reason: "state_differs"}}},
		{"edit a clerk's decision", func(t *testing.T, db *sql.DB, _ int64) {
			sqlExec(t, db, `UPDATE clerk_tasks SET decision = 'reject' WHERE id = ?`, taskID)
		}, []problem{{Seq: -1, Field: "tasks." + taskID + ".decision", Reason: "state_differs"}}},
		{"change the application's status", func(t *testing.T, db *sql.DB, _ int64) {
			sqlExec(t, db, `UPDATE applications SET status = 'REJECTED' WHERE id = ?`, id)
		}, []problem{{Seq: -1, Field: "status", Reason: "state_differs"}}},
		{"reformat an event's JSON (whitespace only)", func(t *testing.T, db *sql.DB, _ int64) {
			var after string
			if err := db.QueryRow(`SELECT after FROM audit_events WHERE application_id = ? AND seq = 1`, id).Scan(&after); err != nil {
				t.Fatal(err)
			}
			var pretty bytes.Buffer
			if err := json.Indent(&pretty, []byte(after), "", "    "); err != nil {
				t.Fatal(err)
			}
			sqlExec(t, db, `UPDATE audit_events SET after = ? WHERE application_id = ? AND seq = 1`, pretty.String(), id)
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			copyDir(t, golden, dir)
			if tc.tamper != nil {
				db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "kaiban.db"))
				if err != nil {
					t.Fatal(err)
				}
				var last int64
				if err := db.QueryRow(`SELECT MAX(seq) FROM audit_events WHERE application_id = ?`, id).Scan(&last); err != nil {
					t.Fatal(err)
				}
				tc.tamper(t, db, last)
				for i := range tc.want {
					if tc.want[i].Seq == -2 { // the deleted newest event
						tc.want[i].Seq = last
					}
				}
				if err := db.Close(); err != nil {
					t.Fatal(err)
				}
			}
			got := clerkVerification(t, dir, simSrv.URL(), id)
			if len(tc.want) == 0 {
				if !got.Intact || len(got.Problems) != 0 {
					t.Fatalf("reported %+v, want intact", got)
				}
				return
			}
			if got.Intact {
				t.Fatalf("reported intact, want %+v", tc.want)
			}
			for _, w := range tc.want {
				found := false
				for _, p := range got.Problems {
					found = found || (p.Field == w.Field && p.Reason == w.Reason && (w.Seq == -1 || p.Seq == w.Seq))
				}
				if !found {
					t.Errorf("problems %+v, want %+v among them", got.Problems, w)
				}
			}
			t.Logf("reported: %+v", got.Problems)
		})
	}
}

// completeWithClerk runs one application to COMPLETED on a stack in dir:
// its trade name needs a clerk's name review, which a clerk approves
// through the API. It returns the application and the clerk task.
func completeWithClerk(t *testing.T, dir, agencies string) (id, taskID string) {
	t.Helper()
	st, c, clerk := startOn(t, dir, agencies)
	defer st.Close()
	form := editForm(t, func(f map[string]any) {
		company := f["company"].(map[string]any)
		company["name"] = "沈阳云启审核软件科技有限公司"
		company["nameParts"].(map[string]any)["tradeName"] = "云启审核"
	})
	s := c.submit(form, "tamper-drill")
	poll(t, "a name-review task", func() bool {
		ts, err := st.Store.OpenTasksFor(context.Background(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ts) > 0 {
			taskID = ts[0].ID
		}
		return taskID != ""
	})
	for _, step := range []request{
		{method: http.MethodPost, path: "/v1/clerk/tasks/" + taskID + "/claim", bearer: clerk},
		{method: http.MethodPost, path: "/v1/clerk/tasks/" + taskID + "/resolve", bearer: clerk, body: []byte(`{"decision":"complete","note":"名称无近似"}`)},
	} {
		if r := c.do(step); r.code != http.StatusOK {
			t.Fatalf("%s: HTTP %d %s", step.path, r.code, r.body)
		}
	}
	poll(t, "COMPLETED", func() bool { return c.status(s) == "COMPLETED" })
	// The workflow goes on after the status (the documents, the
	// applicant's message): a copy taken before it ends would let the
	// restarted engine finish it, and a step that writes the application
	// again would overwrite a tampered status before the clerk looks.
	poll(t, "the workflow's end", func() bool {
		running, err := st.Engine.ListExecutions(context.Background(), st.StateMachineArn, "RUNNING")
		return err == nil && len(running) == 0
	})
	return s.ID, taskID
}

// clerkVerification starts a stack on dir and answers what the clerk API
// says about the application's audit trail.
func clerkVerification(t *testing.T, dir, agencies, id string) verification {
	t.Helper()
	st, c, clerk := startOn(t, dir, agencies)
	defer st.Close()
	r := c.do(request{method: http.MethodGet, path: "/v1/clerk/applications/" + id, bearer: clerk, headers: map[string]string{"Accept-Language": "en"}})
	if r.code != http.StatusOK {
		t.Fatalf("clerk view: HTTP %d %s", r.code, r.body)
	}
	var v struct {
		Check verification `json:"auditVerification"`
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatal(err)
	}
	return v.Check
}

func startOn(t *testing.T, dir, agencies string) (*stack.Stack, *client, string) {
	t.Helper()
	st, err := stack.Start(t.Context(), stack.Config{DataDir: dir, AgenciesURL: agencies, WatchdogEvery: -1})
	if err != nil {
		t.Fatalf("starting the stack: %v", err)
	}
	srv := httptest.NewServer(st.Handler)
	t.Cleanup(srv.Close)
	tok, err := apigw.IssueDevToken(st.ClerkKey, "clerk-drill", "演练窗口", []string{api.DefaultClerkGroup}, time.Hour, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return st, newClient(t, srv.URL), tok
}

// poll checks cond every 20 ms for up to a minute.
func poll(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func sqlExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// editJSON reads one JSON text with get, applies edit and writes it back
// with set (whose last argument is id).
func editJSON(t *testing.T, db *sql.DB, get, set, id string, edit func(map[string]any)) {
	t.Helper()
	var text string
	if err := db.QueryRow(get, id).Scan(&text); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(text), &m); err != nil {
		t.Fatal(err)
	}
	edit(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	sqlExec(t, db, set, string(out), id)
}

// rechainUnkeyed recomputes the hashes from event from on, and the head,
// with an unkeyed SHA-256 over the same content: what someone without the
// audit key can do.
func rechainUnkeyed(t *testing.T, db *sql.DB, id string, from int64) {
	t.Helper()
	rows, err := db.Query(`SELECT seq, time, actor, action, COALESCE(before, ''), COALESCE(after, '') FROM audit_events WHERE application_id = ? ORDER BY seq`, id)
	if err != nil {
		t.Fatal(err)
	}
	type ev struct {
		seq, at                      int64
		actor, action, before, after string
	}
	var evs []ev
	for rows.Next() {
		var e ev
		if err := rows.Scan(&e.seq, &e.at, &e.actor, &e.action, &e.before, &e.after); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	rows.Close()
	prev := ""
	if err := db.QueryRow(`SELECT prev_hash FROM audit_events WHERE application_id = ? AND seq = ?`, id, from).Scan(&prev); err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.seq < from {
			continue
		}
		h := sha256.New()
		fmt.Fprintf(h, "%s\x00%d\x00%s\x00%s\x00%s\x00", id, e.seq, time.Unix(0, e.at).UTC().Format(time.RFC3339Nano), e.actor, e.action)
		h.Write(compact(e.before))
		h.Write([]byte{0})
		h.Write(compact(e.after))
		h.Write([]byte{0})
		h.Write([]byte(prev))
		sum := hex.EncodeToString(h.Sum(nil))
		sqlExec(t, db, `UPDATE audit_events SET prev_hash = ?, hash = ? WHERE application_id = ? AND seq = ?`, prev, sum, id, e.seq)
		sqlExec(t, db, `UPDATE applications SET audit_seq = ?, audit_hash = ? WHERE id = ?`, e.seq, sum, id)
		prev = sum
	}
}

func compact(s string) []byte {
	var b bytes.Buffer
	if s == "" || json.Compact(&b, []byte(s)) != nil {
		return []byte(s)
	}
	return b.Bytes()
}

// copyDir copies the stopped stack's data directory (database, WAL, keys,
// engine history), so each case tampers with its own copy.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o700)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}
