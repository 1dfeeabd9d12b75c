// Package workdays is the service's one working-day calendar: Monday to
// Friday in China Standard Time, less the public holidays and plus the
// adjusted working days (调休上班日) of holidays.tsv. The bank appointment
// rule, the applicant's correction deadline and the rating follow-up's due
// date all count on it, so a deadline shown to a user and the moment it is
// enforced agree. It imports nothing of the service, so every package
// (shared/kaiban included) can use it.
package workdays

import (
	_ "embed"
	"fmt"
	"strings"
	"time"
)

// CST is China Standard Time, UTC+8 all year (no daylight saving since
// 1991). A fixed zone is exact and needs no tzdata on the Lambda image.
var CST = time.FixedZone("CST", 8*60*60)

//go:embed holidays.tsv
var holidaysTSV string

// calendarDays maps a date (YYYY-MM-DD) listed in holidays.tsv to whether
// it is a working day. It is built once and never changed.
var calendarDays = mustParseCalendar(holidaysTSV)

// mustParseCalendar parses the embedded calendar; a malformed file is a
// build defect reported by every test of every package that imports this.
func mustParseCalendar(src string) map[string]bool {
	m, err := parseCalendar(src)
	if err != nil {
		panic(err)
	}
	return m
}

func parseCalendar(src string) (map[string]bool, error) {
	m := map[string]bool{}
	for n, line := range strings.Split(src, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			return nil, fmt.Errorf("workdays: holidays.tsv line %d: want 3 columns", n+1)
		}
		if _, err := time.Parse(time.DateOnly, cols[0]); err != nil {
			return nil, fmt.Errorf("workdays: holidays.tsv line %d: %w", n+1, err)
		}
		switch cols[1] {
		case "off":
			m[cols[0]] = false
		case "work":
			m[cols[0]] = true
		default:
			return nil, fmt.Errorf("workdays: holidays.tsv line %d: %q is neither off nor work", n+1, cols[1])
		}
	}
	return m, nil
}

// IsWorkingDay reports whether the calendar date of t in China Standard
// Time is a working day: Monday–Friday except public holidays, plus the
// weekend days the State Council declares working days. Years the embedded
// table does not cover (before 2026, after 2027) fall back to
// Monday–Friday.
func IsWorkingDay(t time.Time) bool {
	d := t.In(CST)
	if work, ok := calendarDays[d.Format(time.DateOnly)]; ok {
		return work
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Add returns t moved to the same China clock time on the n-th working day
// after t's China date (n ≥ 0; n = 0 is t). The day t falls on does not
// count, working or not: asked on a Saturday, 5 working days end on the
// Friday after. The answer is in t's location.
func Add(t time.Time, n int) time.Time {
	d := t.In(CST)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if IsWorkingDay(d) {
			n--
		}
	}
	return d.In(t.Location())
}

// MaxSpan is the longest calendar time n working days can take on this
// calendar: from any day of the years the table lists, and of the
// Monday–Friday years just before and after it. A wait that must outlast
// any such deadline (the workflow's execution timeout) is at least this.
func MaxSpan(n int) time.Duration {
	first, last := 9999, 0
	for d := range calendarDays {
		y, _ := time.Parse(time.DateOnly, d)
		first, last = min(first, y.Year()), max(last, y.Year())
	}
	var span time.Duration
	for d := time.Date(first-1, 1, 1, 0, 0, 0, 0, CST); d.Year() <= last+1; d = d.AddDate(0, 0, 1) {
		span = max(span, Add(d, n).Sub(d))
	}
	return span
}
