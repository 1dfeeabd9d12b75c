package api_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The clerk's view reports exactly which stored value no longer matches
// the audit trail after someone changes it behind the API (a write that
// records no event, as an edit of the database does), and nothing when
// every change went through the audited paths.
func TestClerkViewReportsStateTheTrailDoesNotCover(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name      string
		tamper    func(t *testing.T, e *env, appID string)
		wantField string
		wantWhy   string
		wantEN    string
	}{
		{"nothing changed", func(*testing.T, *env, string) {}, "", "", ""},
		{"licence number in a track result", func(t *testing.T, e *env, id string) {
			app, _ := e.store.GetApplication(ctx, id)
			tr := *app.Track(kaiban.TrackLicense)
			tr.Status, tr.Result = kaiban.TrackSucceeded, json.RawMessage(`{"licenseNumber":"FORGED"}`)
			if _, err := e.store.UpdateTrack(ctx, id, tr); err != nil {
				t.Fatal(err)
			}
		}, "tracks.license.result", kaiban.AuditNotCovered, "track license result: not covered by the audit trail"},
		{"application status", func(t *testing.T, e *env, id string) {
			if _, err := e.store.UpdateApplication(ctx, id, kaiban.ApplicationUpdate{Status: kaiban.AppCompleted}); err != nil {
				t.Fatal(err)
			}
		}, "status", kaiban.AuditStateDiffers, "application status: state differs from the audit trail (event 1)"},
		{"a clerk's decision", func(t *testing.T, e *env, id string) {
			if _, err := e.store.ClaimClerkTask(ctx, "task-7", "mallory", submissionTime); err != nil {
				t.Fatal(err)
			}
			if _, err := e.store.ResolveClerkTask(ctx, "task-7", "mallory", kaiban.Resolution{Decision: kaiban.DecisionComplete}, submissionTime); err != nil {
				t.Fatal(err)
			}
		}, "tasks.task-7.decision", kaiban.AuditStateDiffers, "task task-7 decision: state differs from the audit trail (event 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			s, _ := escalate(t, e, "task-7")
			tt.tamper(t, e, s.ID)
			resp := e.do(t, req{method: "GET", path: "/v1/clerk/applications/" + s.ID, claims: clerkClaims("carol"), headers: map[string]string{"Accept-Language": "en"}})
			if resp.StatusCode != 200 {
				t.Fatalf("%d %s", resp.StatusCode, resp.Body)
			}
			var v struct {
				Check struct {
					Intact   bool `json:"intact"`
					Problems []struct {
						Seq     int64  `json:"seq"`
						Field   string `json:"field"`
						Reason  string `json:"reason"`
						Message string `json:"message"`
					} `json:"problems"`
				} `json:"auditVerification"`
			}
			if err := json.Unmarshal([]byte(resp.Body), &v); err != nil {
				t.Fatal(err)
			}
			if tt.wantField == "" {
				if !v.Check.Intact || len(v.Check.Problems) != 0 {
					t.Fatalf("untouched application: %+v", v.Check)
				}
				return
			}
			if v.Check.Intact {
				t.Fatalf("%s changed behind the trail, verification says intact", tt.name)
			}
			for _, p := range v.Check.Problems {
				if p.Field == tt.wantField && p.Reason == tt.wantWhy && p.Message == tt.wantEN {
					return
				}
			}
			t.Errorf("problems %+v, want %s %s %q", v.Check.Problems, tt.wantField, tt.wantWhy, tt.wantEN)
		})
	}
}
