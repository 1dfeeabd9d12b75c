package validate

import (
	"time"

	"github.com/kaiban/kaiban/shared/workdays"
)

// CST is China Standard Time (workdays.CST), the zone form dates are in.
var CST = workdays.CST

// WorkingDay reports whether the calendar date of t in China Standard Time
// is a working day by the service's one calendar (workdays.IsWorkingDay:
// Monday–Friday, less public holidays, plus adjusted working days).
func WorkingDay(t time.Time) bool { return workdays.IsWorkingDay(t) }

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
