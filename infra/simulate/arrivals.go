package simulate

import (
	"slices"
	"time"
)

// hourlyWeights is the intra-day shape of submissions over an 8-hour
// working day (09:00–17:00, China time), one weight per hour. It is an
// assumption, not a measurement: provincial service halls report a
// morning peak (09:00–11:00), a lunch dip (12:00–13:00, when agents who
// file for clients — most start-up filings — are away) and a second, lower
// afternoon peak, and online submissions follow the same office hours
// because the people filing are at work. A day of another length
// stretches the same shape.
var hourlyWeights = [...]float64{1.2, 1.5, 1.2, 0.4, 0.8, 1.3, 1.2, 0.9}

// arrivals returns n submission offsets from the start of the day, sorted.
// Given its count, a Poisson process with the piecewise-constant intensity
// hourlyWeights places its arrivals independently with that density, which
// is how they are drawn: pick an hour by weight, then a uniform instant in
// it.
func arrivals(seed uint64, n int, day time.Duration) []time.Duration {
	r := rng(seed, dayIndex, "arrivals")
	var total float64
	for _, w := range hourlyWeights {
		total += w
	}
	seg := day / time.Duration(len(hourlyWeights))
	out := make([]time.Duration, n)
	for i := range out {
		x := r.Float64() * total
		h := 0
		for h < len(hourlyWeights)-1 && x >= hourlyWeights[h] {
			x -= hourlyWeights[h]
			h++
		}
		out[i] = time.Duration(h)*seg + time.Duration(r.Float64()*float64(seg))
	}
	slices.Sort(out)
	return out
}
