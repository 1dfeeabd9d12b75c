package storetest

import (
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// CorrectionStore is a store with the corrections part.
type CorrectionStore interface {
	kaiban.Store
	kaiban.Corrections
}

// Correction returns an open correction of application appID asking for
// the address, asked at T0.
func Correction(appID string) kaiban.Correction {
	return kaiban.Correction{ApplicationID: appID, Track: kaiban.TrackSeal, TaskID: "T1",
		Fields: []string{"company.address.detail"}, ReasonCode: "ADDRESS_UNUSABLE", Note: "地址已被查封",
		AskedBy: "clerk:c1", AskedAt: T0, DueAt: kaiban.CorrectionDueAt(T0), Status: kaiban.CorrectionOpen,
		TaskToken: "token-of-the-seal-branch"}
}

// RunCorrectionsContract is the contract every kaiban.Corrections keeps:
// an open correction reads back with its branch's token, opening again
// keeps the first, applying replaces the form with its audit event in one
// write (the trail still verifies), and a second application or one with
// nothing asked is ErrNotAwaitingCorrection. open must return a new, empty
// store.
func RunCorrectionsContract(t *testing.T, open func(t *testing.T) CorrectionStore) {
	event := func(appID, action string) kaiban.AuditEvent {
		return kaiban.AuditEvent{ApplicationID: appID, Time: T0.Add(time.Minute), Actor: "system", Action: action, After: []byte(`{}`)}
	}
	t.Run("OpenGetApply", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		if _, err := kaiban.CreateApplicationAudited(t.Context(), s, Request("C1", T0), event("C1", "application.submitted")); err != nil {
			t.Fatal(err)
		}
		want := Correction("C1")
		got, err := s.OpenCorrection(t.Context(), want, event("C1", "correction.requested"))
		if err != nil {
			t.Fatal(err)
		}
		again := want
		again.Fields, again.TaskToken = []string{"bank.branchCode"}, "another-token"
		if got, err = s.OpenCorrection(t.Context(), again, event("C1", "correction.requested")); err != nil {
			t.Fatal(err)
		}
		if got.TaskToken != want.TaskToken || len(got.Fields) != 1 || got.Fields[0] != "company.address.detail" {
			t.Fatalf("opening again = %+v, want the first correction kept", got)
		}
		read, err := s.GetCorrection(t.Context(), "C1")
		if err != nil {
			t.Fatal(err)
		}
		if read.TaskToken != want.TaskToken || read.Status != kaiban.CorrectionOpen || read.ReasonCode != want.ReasonCode ||
			read.Note != want.Note || read.Track != kaiban.TrackSeal || read.TaskID != "T1" || read.AskedBy != want.AskedBy ||
			!read.AskedAt.Equal(T0) || !read.DueAt.Equal(want.DueAt) || read.CorrectedAt != nil {
			t.Fatalf("read back %+v, want %+v", read, want)
		}
		if evs, _ := s.ListAudit(t.Context(), "C1"); len(evs) != 2 { // submitted, requested once
			t.Fatalf("%d audit events, want 2 (opening again appends nothing)", len(evs))
		}

		form := Form()
		form.Company.Address.Detail = "浑南区创新路 200 号"
		at := T0.Add(time.Hour)
		done, err := kaiban.ApplyCorrectionAudited(t.Context(), s, "C1", form, at, event("C1", "correction.applied"))
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != kaiban.CorrectionCorrected || done.CorrectedAt == nil || !done.CorrectedAt.Equal(at) {
			t.Fatalf("applied = %+v", done)
		}
		app, err := s.GetApplication(t.Context(), "C1")
		if err != nil {
			t.Fatal(err)
		}
		if app.Form.Company.Address.Detail != "浑南区创新路 200 号" || app.Form.LegalRepresentative.IDNumber != form.LegalRepresentative.IDNumber {
			t.Fatalf("form after the correction: %+v", app.Form.Company.Address)
		}
		// The clock stopped for the hour the applicant took.
		if want := T0.Add(kaiban.DeadlineAfterSubmission + time.Hour); !app.Deadline.Equal(want) {
			t.Errorf("deadline after the correction %v, want %v (moved by the hour waited)", app.Deadline, want)
		}
		if v, err := kaiban.VerifyApplication(t.Context(), s, app); err != nil || !v.Intact() {
			t.Fatalf("trail after the correction: %+v, %v", v, err)
		}
		_, err = s.ApplyCorrection(t.Context(), "C1", form, at, event("C1", "correction.applied"))
		WantName(t, err, kaiban.ErrNotAwaitingCorrection)

		// A corrected one is replaced by the next request.
		next := Correction("C1")
		next.Fields = []string{"bank.branchCode"}
		if got, err = s.OpenCorrection(t.Context(), next, event("C1", "correction.requested")); err != nil || got.Fields[0] != "bank.branchCode" || got.Status != kaiban.CorrectionOpen {
			t.Fatalf("second request = %+v, %v", got, err)
		}
	})
	t.Run("NothingAsked", func(t *testing.T) {
		t.Parallel()
		s := open(t)
		MustCreate(t, s, "C2", T0)
		_, err := s.GetCorrection(t.Context(), "C2")
		WantName(t, err, kaiban.ErrNotFound)
		_, err = s.ApplyCorrection(t.Context(), "C2", Form(), T0, event("C2", "correction.applied"))
		WantName(t, err, kaiban.ErrNotAwaitingCorrection)
		_, err = s.OpenCorrection(t.Context(), Correction("nope"), event("nope", "correction.requested"))
		WantName(t, err, kaiban.ErrNotFound)
		if evs, _ := s.ListAudit(t.Context(), "C2"); len(evs) != 0 {
			t.Fatalf("%d audit events, want none (nothing was written)", len(evs))
		}
		bad := Correction("C2")
		bad.TaskToken = ""
		_, err = s.OpenCorrection(t.Context(), bad, event("C2", "correction.requested"))
		WantName(t, err, kaiban.ErrInput)
	})
}
