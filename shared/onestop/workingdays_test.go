package onestop

import (
	"testing"
	"time"
)

// TestAddWorkingDays: a bad rating's follow-up is due five working days
// later by the holiday calendar, not five weekdays.
func TestAddWorkingDays(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	cases := []struct {
		name string
		from time.Time
		want time.Time
	}{
		{"Friday over a weekend", time.Date(2026, 11, 27, 9, 0, 0, 0, cst), time.Date(2026, 12, 4, 9, 0, 0, 0, cst)},
		{"Saturday counts from Monday", time.Date(2026, 11, 28, 15, 0, 0, 0, cst), time.Date(2026, 12, 4, 15, 0, 0, 0, cst)},
		// National Day: 1–7 October off, Saturday 10 October a working day.
		{"over National Day", time.Date(2026, 9, 30, 10, 0, 0, 0, cst), time.Date(2026, 10, 13, 10, 0, 0, 0, cst)},
	}
	for _, c := range cases {
		if got := addWorkingDays(c.from, FollowUpWorkingDays); !got.Equal(c.want) {
			t.Errorf("%s: %v + %d working days = %v, want %v", c.name, c.from, FollowUpWorkingDays, got, c.want)
		}
	}
}
