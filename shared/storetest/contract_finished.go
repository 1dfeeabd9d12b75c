package storetest

import (
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// testFinished checks that a finished application's status is final: a
// write that would change a COMPLETED or REJECTED status is
// ErrApplicationFinished and changes nothing (no field, no audit event),
// while the same terminal status again and message-only updates go
// through. A late writer that read an older status (a correction resuming
// a workflow that completed meanwhile) so cannot undo the finish.
func testFinished(t *testing.T, open func(t *testing.T) kaiban.Store, _ config) {
	done := T0.Add(time.Hour)
	later := T0.Add(2 * time.Hour)
	msg := "公司已设立"
	cases := []struct {
		name    string
		finish  kaiban.AppStatus // the status the application has finished with
		u       kaiban.ApplicationUpdate
		audited bool
		want    string // error name; "" for success
	}{
		{"CompletedToInProgress", kaiban.AppCompleted, kaiban.ApplicationUpdate{Status: kaiban.AppInProgress, Message: &msg, UpdatedAt: later}, false, kaiban.ErrApplicationFinished},
		{"CompletedToInProgressAudited", kaiban.AppCompleted, kaiban.ApplicationUpdate{Status: kaiban.AppInProgress, Message: &msg, UpdatedAt: later}, true, kaiban.ErrApplicationFinished},
		{"CompletedToActionRequired", kaiban.AppCompleted, kaiban.ApplicationUpdate{Status: kaiban.AppActionRequired, UpdatedAt: later}, false, kaiban.ErrApplicationFinished},
		{"RejectedToCompleted", kaiban.AppRejected, kaiban.ApplicationUpdate{Status: kaiban.AppCompleted, CreditCode: "91210102MA0P4G3X1T", UpdatedAt: later}, false, kaiban.ErrApplicationFinished},
		{"RejectedToCompletedAudited", kaiban.AppRejected, kaiban.ApplicationUpdate{Status: kaiban.AppCompleted, CreditCode: "91210102MA0P4G3X1T", UpdatedAt: later}, true, kaiban.ErrApplicationFinished},
		{"CompletedAgain", kaiban.AppCompleted, kaiban.ApplicationUpdate{Status: kaiban.AppCompleted, Message: &msg, UpdatedAt: later}, false, ""},
		{"CompletedAgainAudited", kaiban.AppCompleted, kaiban.ApplicationUpdate{Status: kaiban.AppCompleted, Message: &msg, UpdatedAt: later}, true, ""},
		{"MessageOnlyOnCompleted", kaiban.AppCompleted, kaiban.ApplicationUpdate{Message: &msg, UpdatedAt: later}, false, ""},
		{"MessageOnlyOnRejectedAudited", kaiban.AppRejected, kaiban.ApplicationUpdate{Message: &msg, UpdatedAt: later}, true, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := open(t)
			MustCreate(t, s, "app-1", T0)
			if _, err := s.UpdateApplication(t.Context(), "app-1", kaiban.ApplicationUpdate{Status: tc.finish, UpdatedAt: done}); err != nil {
				t.Fatal(err)
			}
			before, err := s.ListAudit(t.Context(), "app-1")
			if err != nil {
				t.Fatal(err)
			}
			if tc.audited {
				e := kaiban.AuditEvent{ApplicationID: "app-1", Time: later, Actor: "system", Action: "application.late"}
				_, err = kaiban.UpdateApplicationAudited(t.Context(), s, "app-1", tc.u, e)
			} else {
				_, err = s.UpdateApplication(t.Context(), "app-1", tc.u)
			}
			a, gerr := s.GetApplication(t.Context(), "app-1")
			if gerr != nil {
				t.Fatal(gerr)
			}
			after, aerr := s.ListAudit(t.Context(), "app-1")
			if aerr != nil {
				t.Fatal(aerr)
			}
			if tc.want != "" {
				WantName(t, err, tc.want)
				if kaiban.HTTPStatus(err) != 409 {
					t.Errorf("HTTP status of %v = %d, want 409", err, kaiban.HTTPStatus(err))
				}
				if a.Status != tc.finish || a.Message != "" || a.CreditCode != "" || !a.UpdatedAt.Equal(done) {
					t.Errorf("after a refused update: status %s, message %q, credit code %q, updated %v; want %s as finished at %v",
						a.Status, a.Message, a.CreditCode, a.UpdatedAt, tc.finish, done)
				}
				if len(after) != len(before) {
					t.Errorf("a refused update appended %d audit events, want none", len(after)-len(before))
				}
				return
			}
			if err != nil {
				t.Fatalf("update on a %s application: %v", tc.finish, err)
			}
			if a.Status != tc.finish || a.Message != msg || !a.UpdatedAt.Equal(later) {
				t.Errorf("after the update: status %s, message %q, updated %v; want %s, %q, %v", a.Status, a.Message, a.UpdatedAt, tc.finish, msg, later)
			}
			if want := len(before) + map[bool]int{true: 1}[tc.audited]; len(after) != want {
				t.Errorf("audit events after the update: %d, want %d", len(after), want)
			}
		})
	}
	t.Run("UnknownIDIsNotFound", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		for _, st := range []kaiban.AppStatus{kaiban.AppInProgress, kaiban.AppCompleted, ""} {
			_, err := s.UpdateApplication(t.Context(), "nope", kaiban.ApplicationUpdate{Status: st, Message: &msg})
			WantName(t, err, kaiban.ErrNotFound)
			e := kaiban.AuditEvent{ApplicationID: "nope", Time: later, Actor: "system", Action: "application.late"}
			_, err = kaiban.UpdateApplicationAudited(t.Context(), s, "nope", kaiban.ApplicationUpdate{Status: st, Message: &msg}, e)
			WantName(t, err, kaiban.ErrNotFound)
		}
	})
}
