package simulate

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
)

// The founders' delays follow the documented mixture: most open the SMS
// within minutes, about 6 % the next morning, nobody at night, 0.3 %
// decline; the same seed draws the same plan.
func TestFounderPlanFollowsTheDocumentedMixture(t *testing.T) {
	const n = 40000
	sent := DayStart.Add(3 * time.Hour) // 12:00 in Shenyang
	var within30, nextDay, night, declines int
	for i := range n {
		p := planFounder(1, i, 1+i%3, sent)
		at := sent.Add(p.opensAfter)
		if p.opensAfter <= 30*time.Minute {
			within30++
		}
		if at.In(chinaTime).Day() != sent.In(chinaTime).Day() {
			nextDay++
		}
		if atNight(at) {
			night++
		}
		if p.decline {
			declines++
		}
		if q := planFounder(1, i, 1+i%3, sent); q.opensAfter != p.opensAfter || q.decline != p.decline {
			t.Fatalf("person %d: same seed, different plan", i)
		}
	}
	share := func(k int) float64 { return float64(k) / n }
	tests := []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"opened within 30 min", share(within30), 0.72*0.98 + 0.22*0.067, 0.02},
		{"opened the next day", share(nextDay), 0.06, 0.01},
		{"opened at night", share(night), 0, 0},
		{"declined", share(declines), declineRate, 0.0015},
	}
	for _, tt := range tests {
		if math.Abs(tt.got-tt.want) > tt.tol {
			t.Errorf("%s: %.4f, want %.4f ± %.4f", tt.name, tt.got, tt.want, tt.tol)
		}
	}
	// The submitter has the phone in hand.
	if p := planFounder(1, 0, 0, sent); p.opensAfter > 30*time.Minute {
		t.Errorf("the submitter opens after %v", p.opensAfter)
	}
}

// On a small day every founder opens their link from the SMS and acts
// through the service: each application is accepted after its
// submission, unless a founder declined; the acceptance is what the
// half-day figure measures from.
func TestFoundersSignThroughTheirLinks(t *testing.T) {
	instant := sim.Instant()
	res, err := Run(context.Background(), Config{Applications: 40, Clerks: 2, Hours: 1, Seed: 3, Profile: &instant})
	if err != nil {
		t.Fatal(err)
	}
	s := Summarize(res)
	if s.Founders != 160 || s.IdentityChecks < 160-s.Declined || s.Accepted+s.Declined != 40 || s.Accepted < 35 {
		t.Fatalf("founders %d, identity checks %d, accepted %d, declined %d: want 160 people, each checked, every application accepted or declined",
			s.Founders, s.IdentityChecks, s.Accepted, s.Declined)
	}
	for _, a := range res.Apps {
		switch {
		case a.Declined && !a.Accepted.IsZero():
			t.Errorf("%s: declined and accepted", a.ID)
		case !a.Declined && !a.Accepted.After(a.Submitted):
			t.Errorf("%s: accepted %v, submitted %v", a.ID, a.Accepted, a.Submitted)
		case a.Done() && !a.Declined && a.Elapsed() != max(0, a.Completed.Sub(a.Accepted)):
			t.Errorf("%s: elapsed %v is not measured from acceptance", a.ID, a.Elapsed())
		}
	}
	if s.AcceptanceP50Minutes <= 0 || s.AcceptanceP95Minutes < s.AcceptanceP50Minutes {
		t.Errorf("acceptance p50 %v p95 %v", s.AcceptanceP50Minutes, s.AcceptanceP95Minutes)
	}
}
