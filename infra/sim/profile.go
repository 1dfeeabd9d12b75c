package sim

import (
	"fmt"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Behaviour is how one agency behaves.
type Behaviour struct {
	Latency Latency
	// TransientRate is the share of calls that fail transiently; the
	// weights below split them between a 503 before anything is recorded,
	// a stall past the client's timeout and a dropped connection (both
	// after the record is committed). All weights zero means 503 only.
	TransientRate float64
	Weight5xx     float64
	WeightStall   float64
	WeightDrop    float64
	// RejectionRate is the share of registrations rejected for good (for
	// identity: failed verifications).
	RejectionRate float64
	// ReviewRate is the share of name checks that need a clerk (market
	// only).
	ReviewRate float64
}

// Profile is how the whole set of agencies behaves.
type Profile struct {
	Name     string
	Seed     uint64
	Agencies map[kaiban.AgencyKind]Behaviour
	// StallFor is how long a stalled call hangs before answering 504; it
	// should exceed the clients' timeout. Zero means one minute.
	StallFor time.Duration
}

func (p Profile) behaviour(k kaiban.AgencyKind) Behaviour { return p.Agencies[k] }

func (p Profile) stallFor() time.Duration {
	if p.StallFor > 0 {
		return p.StallFor
	}
	return time.Minute
}

// Instant answers at once and never fails except by deterministic
// triggers and fault controls: for tests and overhead measurements.
func Instant() Profile {
	return Profile{Name: "instant", Seed: 1, Agencies: map[kaiban.AgencyKind]Behaviour{}}
}

// Demo takes a few seconds per call (median 2 s, p95 4 s) so a person
// watching the status page sees the tracks progress one by one, with an
// occasional 503 (2 %) so a retry shows too.
func Demo() Profile {
	p := Profile{Name: "demo", Seed: 1, Agencies: map[kaiban.AgencyKind]Behaviour{}}
	for _, k := range kaiban.AgencyKinds {
		p.Agencies[k] = Behaviour{Latency: Latency{Median: 2 * time.Second, P95: 4 * time.Second}, TransientRate: 0.02}
	}
	return p
}

// Realistic models the synchronous API calls of a provincial data-sharing
// exchange. The figures are our assumptions, not measurements — no agency
// publishes its API latencies — reasoned as follows: a call crosses the
// provincial government service bus (a few hundred ms each way under
// load) to a back office that does one lookup or insert; calls that sign
// documents (the e-licence), write to several systems (seal filing with the
// carving shop, the Golden Tax system) are slower and have heavier tails;
// the bank's own open API is the fastest. Transient failure rates of 1–3 %
// reflect overloaded peak hours; a third of transient failures lose the
// answer after the work is done (stall or dropped connection), which is the
// case idempotency keys exist for. Rejection rates are low because the form
// is validated before submission.
//
//	agency    median  p95    transient  rejected
//	identity  0.8 s   3 s    2 %        1 %   (failed verification)
//	market    1.5 s   6 s    1 %        2 %   (plus 5 % of names to review)
//	seal      2 s     8 s    2 %        1 %
//	tax       3 s     12 s   3 %        1 %
//	social    1.5 s   6 s    2 %        0.5 %
//	medical   1.5 s   6 s    2 %        0.5 %
//	fund      1.2 s   5 s    2 %        0.5 %
//	bank      0.6 s   2 s    1 %        0.5 %
func Realistic() Profile {
	b := func(median, p95 time.Duration, transient, reject float64) Behaviour {
		return Behaviour{
			Latency:       Latency{Median: median, P95: p95},
			TransientRate: transient, Weight5xx: 2, WeightStall: 0.5, WeightDrop: 0.5,
			RejectionRate: reject,
		}
	}
	ms := time.Millisecond
	market := b(1500*ms, 6*time.Second, 0.01, 0.02)
	market.ReviewRate = 0.05
	return Profile{
		Name: "realistic",
		Seed: 1,
		Agencies: map[kaiban.AgencyKind]Behaviour{
			kaiban.AgencyIdentity: b(800*ms, 3*time.Second, 0.02, 0.01),
			kaiban.AgencyMarket:   market,
			kaiban.AgencySeal:     b(2*time.Second, 8*time.Second, 0.02, 0.01),
			kaiban.AgencyTax:      b(3*time.Second, 12*time.Second, 0.03, 0.01),
			kaiban.AgencySocial:   b(1500*ms, 6*time.Second, 0.02, 0.005),
			kaiban.AgencyMedical:  b(1500*ms, 6*time.Second, 0.02, 0.005),
			kaiban.AgencyFund:     b(1200*ms, 5*time.Second, 0.02, 0.005),
			kaiban.AgencyBank:     b(600*ms, 2*time.Second, 0.01, 0.005),
		},
		StallFor: time.Minute,
	}
}

// ProfileByName returns the named profile: instant, demo or realistic.
func ProfileByName(name string) (Profile, error) {
	switch name {
	case "instant":
		return Instant(), nil
	case "demo":
		return Demo(), nil
	case "realistic":
		return Realistic(), nil
	}
	return Profile{}, fmt.Errorf("sim: unknown profile %q (want instant, demo or realistic)", name)
}
