package validate_test

import (
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/validate"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, validate.CST)
	if err != nil {
		panic(err)
	}
	return t
}

func TestWorkingDay(t *testing.T) {
	tests := []struct {
		date string
		want bool
		why  string
	}{
		{"2026-11-27", true, "an ordinary Friday"},
		{"2026-11-28", false, "an ordinary Saturday"},
		{"2026-01-02", false, "New Year holiday on a Friday"},
		{"2026-01-04", true, "make-up working Sunday"},
		{"2026-02-14", true, "make-up working Saturday before Spring Festival"},
		{"2026-02-16", false, "Spring Festival eve"},
		{"2026-02-23", false, "last day of the Spring Festival break (Monday)"},
		{"2026-02-24", true, "back to work after Spring Festival"},
		{"2026-02-28", true, "make-up working Saturday after Spring Festival"},
		{"2026-04-06", false, "Qingming Monday"},
		{"2026-05-05", false, "Labour Day break (Tuesday)"},
		{"2026-05-09", true, "make-up working Saturday"},
		{"2026-06-19", false, "Dragon Boat Festival"},
		{"2026-09-20", true, "make-up working Sunday before National Day"},
		{"2026-09-25", false, "Mid-Autumn Festival"},
		{"2026-10-07", false, "National Day break (Wednesday)"},
		{"2026-10-08", true, "Thursday after National Day"},
		{"2026-10-10", true, "make-up working Saturday"},
		{"2027-01-01", false, "New Year's Day 2027"},
		{"2027-01-06", true, "the example's appointment date"},
		{"2027-02-08", false, "Spring Festival day 3, 2027 (statutory)"},
		{"2027-10-01", false, "National Day 2027"},
		{"2028-03-01", true, "beyond the table: Monday–Friday"},
	}
	for _, tt := range tests {
		if got := validate.WorkingDay(day(tt.date)); got != tt.want {
			t.Errorf("WorkingDay(%s) = %v, want %v (%s)", tt.date, got, tt.want, tt.why)
		}
	}
	// An instant late on a Friday in UTC is already Saturday in China.
	if validate.WorkingDay(time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC)) {
		t.Error("WorkingDay uses the UTC date instead of the China date")
	}
}

// 2026 has 13 statutory holidays on top of 104 weekend days; the
// make-up days keep the number of working days at 365 − 104 − 13 = 248.
func TestWorkingDays2026(t *testing.T) {
	n := 0
	for d := day("2026-01-01"); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		if validate.WorkingDay(d) {
			n++
		}
	}
	if n != 248 {
		t.Errorf("2026 has %d working days, want 248", n)
	}
}
