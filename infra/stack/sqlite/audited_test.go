package sqlite

import (
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// A track update and its audit event commit together or not at all.
func TestUpdateTrackWithAudit(t *testing.T) {
	s := MustOpen(t)
	app := storetest.MustCreate(t, s, "app-1", storetest.T0)
	ev := kaiban.AuditEvent{ApplicationID: "app-1", Time: storetest.T0, Actor: "track:tax", Action: "track.succeeded"}
	tax := *app.Track(kaiban.TrackTax)

	tax.Status = kaiban.TrackSucceeded
	got, err := s.UpdateTrackWithAudit(t.Context(), "app-1", tax, ev)
	if err != nil || got.Version != tax.Version+1 || got.Status != kaiban.TrackSucceeded {
		t.Fatalf("update: %+v, %v", got, err)
	}
	// The stale version conflicts, and its audit event is not written.
	_, err = s.UpdateTrackWithAudit(t.Context(), "app-1", tax, ev)
	storetest.WantName(t, err, kaiban.ErrVersionConflict)
	// An event of another application is refused before anything is written.
	other := ev
	other.ApplicationID = "app-2"
	_, err = s.UpdateTrackWithAudit(t.Context(), "app-1", got, other)
	storetest.WantName(t, err, kaiban.ErrInput)

	events, err := s.ListAudit(t.Context(), "app-1")
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Action != "track.succeeded" || events[0].Seq != 1 {
		t.Errorf("audit trail %+v: want exactly the one committed event", events)
	}
	if err := s.VerifyAudit(t.Context(), "app-1"); err != nil {
		t.Error(err)
	}
	read, err := s.GetApplication(t.Context(), "app-1")
	if err != nil || read.Track(kaiban.TrackTax).Status != kaiban.TrackSucceeded {
		t.Errorf("read back: %+v, %v", read, err)
	}
}

// An application update and its audit event commit together.
func TestUpdateApplicationWithAudit(t *testing.T) {
	s := MustOpen(t)
	storetest.MustCreate(t, s, "app-1", storetest.T0)
	ev := kaiban.AuditEvent{ApplicationID: "app-1", Time: storetest.T0, Actor: "system", Action: "name.reserved"}
	got, err := s.UpdateApplicationWithAudit(t.Context(), "app-1", kaiban.ApplicationUpdate{Status: kaiban.AppInProgress, CreditCode: "91210102MA0P4G3X1T"}, ev)
	if err != nil || got.Status != kaiban.AppInProgress || got.CreditCode != "91210102MA0P4G3X1T" {
		t.Fatalf("update: %+v, %v", got, err)
	}
	_, err = s.UpdateApplicationWithAudit(t.Context(), "no-such-app", kaiban.ApplicationUpdate{Status: kaiban.AppRejected},
		kaiban.AuditEvent{ApplicationID: "no-such-app", Time: storetest.T0, Actor: "system", Action: "x"})
	storetest.WantName(t, err, kaiban.ErrNotFound)
	events, err := s.ListAudit(t.Context(), "app-1")
	if err != nil || len(events) != 1 || events[0].Action != "name.reserved" {
		t.Errorf("audit trail %+v, %v: want the one event", events, err)
	}
}

// An application is created with its submitted event in one transaction:
// a refused event stores neither.
func TestCreateApplicationWithAudit(t *testing.T) {
	s := MustOpen(t)
	ev := kaiban.AuditEvent{ApplicationID: "app-2", Time: storetest.T0, Actor: "applicant", Action: "application.submitted"}
	_, err := s.CreateApplicationWithAudit(t.Context(), storetest.Request("app-1", storetest.T0), ev)
	storetest.WantName(t, err, kaiban.ErrInput)
	_, err = s.GetApplication(t.Context(), "app-1")
	storetest.WantName(t, err, kaiban.ErrNotFound)

	ev.ApplicationID = "app-1"
	res, err := s.CreateApplicationWithAudit(t.Context(), storetest.Request("app-1", storetest.T0), ev)
	if err != nil || !res.Created {
		t.Fatalf("create: %+v, %v", res, err)
	}
	events, err := s.ListAudit(t.Context(), "app-1")
	if err != nil || len(events) != 1 || events[0].Action != "application.submitted" {
		t.Fatalf("audit trail %+v, %v: want the submitted event", events, err)
	}
}
