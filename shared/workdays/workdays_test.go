package workdays_test

import (
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/workdays"
)

func cst(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, workdays.CST)
}

// TestAdd: five working days on the holiday calendar, at the same China
// clock time; the day asked never counts, holidays never count, adjusted
// working weekends (调休) do.
func TestAdd(t *testing.T) {
	tests := []struct {
		name     string
		from, to time.Time
	}{
		{"Friday over a weekend", cst(2026, 11, 27, 10, 0), cst(2026, 12, 4, 10, 0)},
		{"Wednesday to Wednesday", cst(2026, 11, 25, 15, 0), cst(2026, 12, 2, 15, 0)},
		{"Saturday counts from Monday", cst(2026, 11, 28, 9, 0), cst(2026, 12, 4, 9, 0)},
		{"Friday before an adjusted working Sunday (09-20)", cst(2026, 9, 18, 16, 0), cst(2026, 9, 24, 16, 0)},
		{"Wednesday before National Day, over the adjusted Saturday 10-10", cst(2026, 9, 30, 10, 0), cst(2026, 10, 13, 10, 0)},
		{"Thursday before Mid-Autumn and National Day", cst(2026, 9, 24, 11, 0), cst(2026, 10, 9, 11, 0)},
		{"Friday before the Spring Festival, over the adjusted Saturday 02-14", cst(2026, 2, 13, 10, 0), cst(2026, 2, 27, 10, 0)},
		{"on the adjusted Saturday 02-14, ending on the adjusted Saturday 02-28", cst(2026, 2, 14, 10, 0), cst(2026, 2, 28, 10, 0)},
		{"over New Year 2027", cst(2026, 12, 31, 9, 30), cst(2027, 1, 8, 9, 30)},
		{"Friday 23:59 stays a Friday in China", cst(2026, 11, 27, 23, 59), cst(2026, 12, 4, 23, 59)},
		{"Saturday 00:01 is a Saturday in China", cst(2026, 11, 28, 0, 1), cst(2026, 12, 4, 0, 1)},
		// 17:00 UTC Friday is 01:00 Saturday in China: it counts from Monday.
		{"UTC instant, China date", time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC), time.Date(2026, 12, 3, 17, 0, 0, 0, time.UTC)},
		{"beyond the table: Monday–Friday", cst(2028, 3, 3, 10, 0), cst(2028, 3, 10, 10, 0)},
	}
	for _, tt := range tests {
		got := workdays.Add(tt.from, 5)
		if !got.Equal(tt.to) {
			t.Errorf("%s: %v + 5 working days = %v, want %v", tt.name, tt.from, got.In(workdays.CST), tt.to.In(workdays.CST))
		}
		if got.Location() != tt.from.Location() {
			t.Errorf("%s: answer in %v, want the input's %v", tt.name, got.Location(), tt.from.Location())
		}
	}
	if from := cst(2026, 10, 3, 8, 0); !workdays.Add(from, 0).Equal(from) {
		t.Error("0 working days moves the time")
	}
}

// TestMaxSpan: no request in the table's years (or the Monday–Friday years
// around them) waits longer than MaxSpan, and one waits exactly that long
// (the Thursday before Mid-Autumn and National Day 2026: 15 days).
func TestMaxSpan(t *testing.T) {
	span := workdays.MaxSpan(5)
	if span != 15*24*time.Hour {
		t.Errorf("MaxSpan(5) = %v, want 360h (2026-09-24 → 2026-10-09)", span)
	}
	for d := cst(2025, 1, 1, 12, 0); d.Year() < 2029; d = d.AddDate(0, 0, 1) {
		if got := workdays.Add(d, 5).Sub(d); got > span {
			t.Fatalf("%v waits %v, longer than MaxSpan %v", d, got, span)
		}
	}
}

// TestIsWorkingDay: the table's days off and adjusted working days, and
// the China date of a UTC instant.
func TestIsWorkingDay(t *testing.T) {
	tests := []struct {
		at   time.Time
		want bool
	}{
		{cst(2026, 10, 7, 12, 0), false},                        // National Day break, a Wednesday
		{cst(2026, 10, 10, 12, 0), true},                        // adjusted working Saturday
		{cst(2026, 2, 23, 12, 0), false},                        // Spring Festival break, a Monday
		{time.Date(2026, 11, 27, 16, 0, 0, 0, time.UTC), false}, // 00:00 Saturday in China
		{time.Date(2026, 11, 27, 15, 59, 0, 0, time.UTC), true}, // 23:59 Friday in China
	}
	for _, tt := range tests {
		if got := workdays.IsWorkingDay(tt.at); got != tt.want {
			t.Errorf("IsWorkingDay(%v) = %v, want %v", tt.at, got, tt.want)
		}
	}
}
