package validate

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
// build defect reported by every test of this package.
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
			return nil, fmt.Errorf("validate: holidays.tsv line %d: want 3 columns", n+1)
		}
		if _, err := time.Parse(time.DateOnly, cols[0]); err != nil {
			return nil, fmt.Errorf("validate: holidays.tsv line %d: %w", n+1, err)
		}
		switch cols[1] {
		case "off":
			m[cols[0]] = false
		case "work":
			m[cols[0]] = true
		default:
			return nil, fmt.Errorf("validate: holidays.tsv line %d: %q is neither off nor work", n+1, cols[1])
		}
	}
	return m, nil
}

// WorkingDay reports whether the calendar date of t in China Standard Time
// is a working day: Monday–Friday except public holidays, plus the
// weekend days the State Council declares working days. Years the embedded
// table does not cover (before 2026, after 2027) fall back to Monday–Friday.
func WorkingDay(t time.Time) bool {
	d := t.In(CST)
	if work, ok := calendarDays[d.Format(time.DateOnly)]; ok {
		return work
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// parseDate parses a form date (YYYY-MM-DD, a real calendar date) as
// midnight China Standard Time.
func parseDate(s string) (time.Time, bool) {
	if len(s) != len(time.DateOnly) {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(time.DateOnly, s, CST)
	return t, err == nil
}

// today returns midnight CST of the calendar day of now.
func today(now time.Time) time.Time {
	y, m, d := now.In(CST).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, CST)
}
