package simulate

import (
	"context"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// A day with many corrections: the seal system refuses the seized
// addresses and asks the applicant, clerks send the agencies' rejections
// of the applicant's own choices back, and the applicants answer through
// the correction use case (same day, next morning) or never. Answered
// corrections resume their applications, which complete with their
// deadline moved by exactly the wait; unanswered ones expire and their
// applications end REJECTED; the summary counts all of it.
func TestDayWithCorrections(t *testing.T) {
	// Agencies take a few seconds: with instant ones a corrected
	// application completes at the virtual instant of the correction, and
	// the correction use case's own status write races the workflow's.
	profile := sim.Instant()
	latency := sim.Latency{Median: 2 * time.Second, P95: 5 * time.Second}
	for _, k := range kaiban.AgencyKinds {
		profile.Agencies[k] = sim.Behaviour{Latency: latency}
	}
	profile.Agencies[kaiban.AgencySeal] = sim.Behaviour{Latency: latency, RejectionRate: 0.2}
	profile.Agencies[kaiban.AgencyBank] = sim.Behaviour{Latency: latency, RejectionRate: 0.2}
	rates := CorrectionRates{
		Seized:  0.25,
		Clerk:   map[kaiban.TrackName]float64{kaiban.TrackSeal: 1, kaiban.TrackBank: 1},
		NextDay: 0.25, Never: 0.2,
	}
	res, err := Run(context.Background(), Config{Applications: 40, Clerks: 2, Hours: 1, Seed: 3, Profile: &profile, Corrections: &rates})
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(res)
	dir := t.TempDir()
	if err := WriteAll(dir, res, s); err != nil {
		t.Fatal(err)
	}
	// The dashboard covers the days the expired corrections end on too.
	checkDashboardAgrees(t, s, dir)
	if s.Unfinished != 0 {
		t.Fatalf("%d applications unfinished", s.Unfinished)
	}
	if s.CorrectionsByAgency[string(kaiban.TrackSeal)] == 0 || len(s.CorrectionsByClerk) == 0 {
		t.Errorf("corrections by agency %v, by clerk %v: want both", s.CorrectionsByAgency, s.CorrectionsByClerk)
	}
	if s.CorrectionsAnswered == 0 || s.CorrectionsExpired == 0 || s.CorrectedCompleted == 0 {
		t.Errorf("answered %d, expired %d, corrected and completed %d: want some of each", s.CorrectionsAnswered, s.CorrectionsExpired, s.CorrectedCompleted)
	}
	if s.CorrectionsAnswered+s.CorrectionsExpired+s.CorrectionsMoot != s.CorrectionsAsked {
		t.Errorf("answered %d + expired %d + moot %d != asked %d", s.CorrectionsAnswered, s.CorrectionsExpired, s.CorrectionsMoot, s.CorrectionsAsked)
	}
	if s.DeadlineMovedAsWaited != s.CorrectionsAnswered {
		t.Errorf("the deadline moved by the wait for %d of %d answers", s.DeadlineMovedAsWaited, s.CorrectionsAnswered)
	}
	nextDay := false
	for _, c := range res.Corrections {
		a := res.Apps[c.Application]
		switch {
		case c.Expired && (a.Status != kaiban.AppRejected || a.Rejected.Before(kaiban.CorrectionDueAt(c.AskedAt))):
			t.Errorf("application %d: correction expired, status %s at %s", c.Application, a.Status, a.Rejected)
		case !c.Answered.IsZero() && c.Wait() > 12*time.Hour:
			nextDay = true
		}
		if !c.Answered.IsZero() && atNight(c.Answered) {
			t.Errorf("application %d: answered at night (%s)", c.Application, c.Answered.In(chinaTime))
		}
	}
	if !nextDay {
		t.Error("no correction answered the next morning")
	}
	for _, a := range res.Apps {
		if a.Corrections == 0 || !a.Done() {
			continue
		}
		// The promise counts from acceptance less the paused time: the
		// deadline the service holds is acceptance + 4 h + the waits.
		if want := a.Accepted.Add(kaiban.DeadlineAfterSubmission + a.Paused); !a.Deadline.Equal(want) {
			t.Errorf("application %d: deadline %s, want acceptance + 4 h + paused %s = %s", a.Index, a.Deadline, a.Paused, want)
		}
		if a.WithinDeadline() != !a.Completed.After(a.Deadline) {
			t.Errorf("application %d: within deadline %v, completed %s, deadline %s", a.Index, a.WithinDeadline(), a.Completed, a.Deadline)
		}
	}
	if s.CorrectedCompletedWithinDeadline == 0 || s.WithinDeadlineOnlyByPause == 0 {
		t.Errorf("corrected and within the deadline %d, of which only by the pause %d: want some", s.CorrectedCompletedWithinDeadline, s.WithinDeadlineOnlyByPause)
	}
}
