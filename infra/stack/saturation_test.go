package stack

import (
	"sync"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
	"github.com/sirupsen/logrus/hooks/test"
)

// fakeGate plays back one backlog reading per look; > 0 is saturated.
type fakeGate struct {
	mu       sync.Mutex
	readings []int
	look     int
}

func (g *fakeGate) Waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := g.readings[min(g.look, len(g.readings)-1)]
	g.look++
	return n
}

func TestSaturationIsLoggedOncePerEpisode(t *testing.T) {
	tests := []struct {
		name     string
		readings []int
		want     []string // log levels in order: warn = saturated, info = ended
		peak     int
	}{
		{"calm", []int{0, 0, 0, 0}, nil, 0},
		{"one burst", []int{0, 5, 40, 12, 0, 0, 0}, []string{"warning", "info"}, 40},
		{"flicker within a burst stays one episode", []int{3, 0, 7, 0, 9, 0, 0}, []string{"warning", "info"}, 9},
		{"two bursts", []int{2, 0, 0, 6, 0, 0}, []string{"warning", "info", "warning", "info"}, 6},
		{"still saturated at the end", []int{0, 4, 4, 4}, []string{"warning"}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			log, hook := test.NewNullLogger()
			gate := &fakeGate{readings: tc.readings}
			tick := make(chan time.Time)
			done := make(chan struct{})
			go func() {
				defer close(done)
				watchSaturation(gate, log, tick, nil)
			}()
			start := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
			for i := range tc.readings {
				tick <- start.Add(time.Duration(i) * time.Second)
			}
			close(tick)
			<-done

			var levels []string
			for _, e := range hook.AllEntries() {
				levels = append(levels, e.Level.String())
			}
			if len(levels) != len(tc.want) {
				t.Fatalf("log levels %v, want %v", levels, tc.want)
			}
			for i := range levels {
				if levels[i] != tc.want[i] {
					t.Fatalf("log levels %v, want %v", levels, tc.want)
				}
			}
			if tc.peak > 0 {
				last := hook.LastEntry()
				if last.Level != logrus.InfoLevel || last.Data["peakWaitingWorkflows"] != tc.peak {
					t.Fatalf("last entry %v %v, want the end of the episode with peak %d", last.Level, last.Data, tc.peak)
				}
			}
		})
	}
}
