package main

import (
	"testing"
	"time"
)

func TestStartupMedianIsColdLessWarm(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name       string
		cold, warm []time.Duration
		want       time.Duration
	}{
		{"no probes", nil, nil, 0},
		{"mismatched", []time.Duration{ms}, nil, 0},
		{"trivial probe", []time.Duration{30 * ms, 20 * ms, 25 * ms}, []time.Duration{ms, ms, ms}, 24 * ms},
		{"backend work taken out", []time.Duration{140 * ms, 130 * ms, 150 * ms}, []time.Duration{105 * ms, 100 * ms, 110 * ms}, 35 * ms},
		{"warm slower than cold", []time.Duration{10 * ms}, []time.Duration{12 * ms}, 0},
	}
	for _, tt := range tests {
		if got := startupMedian(tt.cold, tt.warm); got != tt.want {
			t.Errorf("%s: startupMedian = %v, want %v", tt.name, got, tt.want)
		}
	}
}
