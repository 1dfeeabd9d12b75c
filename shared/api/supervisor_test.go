package api_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

func supervisorClaims(sub string) map[string]string {
	c := clerkClaims(sub)
	c["cognito:groups"] = "[clerks supervisors]"
	return c
}

// The supervisor sees the open queue by time left, each clerk's tasks in
// hand and resolved today, the tasks past their deadline and the
// applications waiting for their applicants' corrections.
func TestSupervisorView(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	now := submissionTime
	app := storetest.MustCreate(t, e.store, "KB20261127SUPERVISED000001", now.Add(-5*time.Hour))
	waiting := storetest.MustCreate(t, e.store, "KB20261127SUPERVISED000002", now.Add(-2*time.Hour))
	if _, err := e.store.UpdateApplication(ctx, waiting.ID, kaiban.ApplicationUpdate{Status: kaiban.AppNeedsCorrection, UpdatedAt: now.Add(-90 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	task := func(id string, deadline time.Duration) {
		storetest.MustCreateTask(t, e.store, storetest.Task(id, app.ID, string(kaiban.TrackSeal), now.Add(deadline), 0))
	}
	task("soon", 30*time.Minute)
	task("later", 3*time.Hour)
	task("late", -time.Hour)
	task("held-late", -2*time.Hour)
	task("done-today", time.Hour)
	task("done-yesterday", time.Hour)
	claim := func(id, clerk string, at time.Time) {
		if _, err := e.store.ClaimClerkTask(ctx, id, clerk, at); err != nil {
			t.Fatal(err)
		}
	}
	resolve := func(id, clerk string, at time.Time) {
		claim(id, clerk, at.Add(-time.Minute))
		if _, err := e.store.ResolveClerkTask(ctx, id, clerk, kaiban.Resolution{Decision: kaiban.DecisionComplete, Note: "ok", Settled: true}, at); err != nil {
			t.Fatal(err)
		}
	}
	claim("held-late", "alice", now.Add(-10*time.Minute))
	resolve("done-today", "bob", now.Add(-time.Hour))          // 08:00 CST
	resolve("done-yesterday", "alice", now.Add(-10*time.Hour)) // 23:00 CST the day before

	resp := e.do(t, req{method: "GET", path: "/v1/clerk/supervisor", claims: supervisorClaims("sue")})
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, resp.Body)
	}
	var v struct {
		Queue []struct {
			ID              string
			TimeLeftSeconds int64
		}
		Clerks []struct {
			Clerk                  string
			Claimed, ResolvedToday int
		}
		Overdue []struct {
			ID        string
			ClaimedBy string
		}
		Corrections []struct {
			ApplicationID  string
			WaitingSeconds int64
		}
	}
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatal(err)
	}
	var queue []string
	for _, q := range v.Queue {
		queue = append(queue, q.ID)
	}
	if !slices.Equal(queue, []string{"late", "soon", "later"}) || v.Queue[0].TimeLeftSeconds != -3600 {
		t.Fatalf("queue by time left: %s", resp.Body)
	}
	if len(v.Clerks) != 2 || v.Clerks[0].Clerk != "alice" || v.Clerks[0].Claimed != 1 || v.Clerks[0].ResolvedToday != 0 ||
		v.Clerks[1].Clerk != "bob" || v.Clerks[1].Claimed != 0 || v.Clerks[1].ResolvedToday != 1 {
		t.Fatalf("clerks (yesterday's work not today's): %+v", v.Clerks)
	}
	if len(v.Overdue) != 2 || v.Overdue[0].ID != "held-late" || v.Overdue[0].ClaimedBy != "alice" || v.Overdue[1].ID != "late" {
		t.Fatalf("overdue, latest first: %+v", v.Overdue)
	}
	if len(v.Corrections) != 1 || v.Corrections[0].ApplicationID != waiting.ID || v.Corrections[0].WaitingSeconds != 5400 {
		t.Fatalf("corrections: %+v", v.Corrections)
	}
}

// An application waiting for its applicant is listed as waiting since the
// correction was asked, not since its last change: the other tracks
// finishing meanwhile do not reset the supervisor's "waiting since", and
// the correction's dueAt is shown.
func TestSupervisorViewWaitingSinceTheRequest(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	now := submissionTime
	app := storetest.MustCreate(t, e.store, "KB20261127SUPERVISED000003", now.Add(-5*time.Hour))
	asked := now.Add(-3 * time.Hour)
	c := kaiban.Correction{ApplicationID: app.ID, Track: kaiban.TrackSeal, Fields: []string{"company.address.detail"},
		ReasonCode: "ADDRESS_UNUSABLE", AskedBy: "agency:seal", AskedAt: asked, DueAt: kaiban.CorrectionDueAt(asked),
		Status: kaiban.CorrectionOpen, TaskToken: "tok-1"}
	if _, _, err := kaiban.OpenCorrectionAudited(ctx, e.store, e.store, c); err != nil {
		t.Fatal(err)
	}
	msg := "另一项登记已完成"
	if _, err := e.store.UpdateApplication(ctx, app.ID, kaiban.ApplicationUpdate{Message: &msg, UpdatedAt: now.Add(-10 * time.Minute)}); err != nil {
		t.Fatal(err)
	}

	resp := e.do(t, req{method: "GET", path: "/v1/clerk/supervisor", claims: supervisorClaims("sue")})
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, resp.Body)
	}
	var v struct {
		Corrections []struct {
			ApplicationID  string
			Since          time.Time
			WaitingSeconds int64
			DueAt          *time.Time
		}
	}
	if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Corrections) != 1 {
		t.Fatalf("corrections: %s", resp.Body)
	}
	got := v.Corrections[0]
	if !got.Since.Equal(asked) || got.WaitingSeconds != 3*3600 || got.DueAt == nil || !got.DueAt.Equal(c.DueAt) {
		t.Errorf("waiting since %v for %d s, due %v; want since the request %v, 10800 s, due %v", got.Since, got.WaitingSeconds, got.DueAt, asked, c.DueAt)
	}
}

func TestSupervisorViewIsForSupervisors(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name   string
		claims map[string]string
		want   int
	}{
		{"no token", nil, 401},
		{"a plain clerk", clerkClaims("bob"), 403},
		{"a supervisor outside the clerks", map[string]string{"sub": "sue", "cognito:groups": "[supervisors]"}, 403},
		{"a supervisor", supervisorClaims("sue"), 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := e.do(t, req{method: "GET", path: "/v1/clerk/supervisor", claims: tc.claims})
			if resp.StatusCode != tc.want {
				t.Fatalf("%d %s, want %d", resp.StatusCode, resp.Body, tc.want)
			}
			if tc.want != 200 {
				errorsOf(t, resp)
			}
		})
	}
}
