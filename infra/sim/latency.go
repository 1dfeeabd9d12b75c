package sim

import (
	"context"
	"math"
	"math/rand/v2"
	"time"
)

// Latency is a lognormal latency distribution given by its median and 95th
// percentile, the two figures service-level reports give. A zero Median
// means no latency; P95 ≤ Median means always exactly Median.
type Latency struct {
	Median time.Duration
	P95    time.Duration
}

// z95 is the standard normal quantile at 0.95.
const z95 = 1.6448536269514722

// Sample draws one latency: exp(μ + σ·Z) with μ = ln(median) and
// σ = ln(p95/median)/z95, capped at 20×p95 so one draw cannot hang a test.
func (l Latency) Sample(r *rand.Rand) time.Duration {
	if l.Median <= 0 {
		return 0
	}
	if l.P95 <= l.Median {
		return l.Median
	}
	sigma := math.Log(float64(l.P95)/float64(l.Median)) / z95
	d := float64(l.Median) * math.Exp(sigma*r.NormFloat64())
	if limit := 20 * float64(l.P95); d > limit {
		d = limit
	}
	return time.Duration(d)
}

// Sleeper waits for d or until ctx is done, returning ctx.Err() in the
// latter case. The day simulation injects one driven by a virtual clock.
type Sleeper func(ctx context.Context, d time.Duration) error

// RealSleep is the Sleeper backed by real timers.
func RealSleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
