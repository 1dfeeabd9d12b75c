package onestop

import (
	"time"

	"github.com/kaiban/kaiban/shared/validate"
)

// addWorkingDays is t moved to the same clock time n working days later,
// by the calendar of validate.WorkingDay: Monday–Friday, with the public
// holidays and the declared working weekends of its holidays.tsv (years it
// does not list count Monday–Friday only).
func addWorkingDays(t time.Time, n int) time.Time {
	d := t
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if validate.WorkingDay(d) {
			n--
		}
	}
	return d
}
