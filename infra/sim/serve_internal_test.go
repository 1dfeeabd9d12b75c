package sim

import (
	"math/rand/v2"
	"testing"
)

func TestDrawFailureFollowsRateAndWeights(t *testing.T) {
	tests := []struct {
		name string
		b    Behaviour
		want map[Failure]float64
	}{
		{"none", Behaviour{}, map[Failure]float64{FailNone: 1}},
		{"503 only by default", Behaviour{TransientRate: 0.2}, map[Failure]float64{FailNone: 0.8, Fail5xx: 0.2}},
		{"weighted", Behaviour{TransientRate: 0.4, Weight5xx: 2, WeightStall: 1, WeightDrop: 1},
			map[Failure]float64{FailNone: 0.6, Fail5xx: 0.2, FailStall: 0.1, FailDrop: 0.1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(5, 6))
			const n = 20000
			got := map[Failure]int{}
			for range n {
				got[tt.b.drawFailure(r)]++
			}
			for f, share := range tt.want {
				if g := float64(got[f]) / n; g < share-0.015 || g > share+0.015 {
					t.Errorf("failure %d: share %.3f, want %.3f", f, g, share)
				}
			}
		})
	}
}
