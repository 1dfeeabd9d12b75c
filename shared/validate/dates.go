package validate

import (
	"strconv"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Plausible windows for the form's dates, all relative to the submission
// day (the founding date: the company is registered within half a working
// day of it). A date outside its window is a typo or a probe, never a plan
// an agency would accept:
//
//   - employment.socialInsuranceFrom: from the first day of the submission
//     month (contributions are due by calendar month, from the month the
//     company is founded; there is no employer before that) to one year
//     after submission (an employer registers within 30 days of founding;
//     a first hire planned further out is registered when it happens).
//   - bank.appointmentDate: the submission day (not_past) to 60 days
//     after, the longest any bank books an account-opening appointment.
//   - shareholders[i].contribution.dueDate: the submission day (not_past)
//     to the end of the operating term when one is given, and never more
//     than 50 years after founding; an LLC's five-year rule (capital_due)
//     is stricter and reported instead when it applies.
//
// Birth dates (in ID numbers) are bounded by cn_idcard and adult, and the
// operating term (whole years, 0 = long-term) by its min and max tags.
const (
	SocialInsuranceAheadYears = 1
	BankAheadDays             = 60
	MaxCapitalDueYears        = 50
)

// dateWindows reports each date outside its window with the bounds in the
// message. Dates that do not parse are left to the date tag.
func dateWindows(sl *structLevel, f *kaiban.Form, day time.Time) {
	if d, ok := parseDate(f.Employment.SocialInsuranceFrom); ok {
		from := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, CST)
		to := day.AddDate(SocialInsuranceAheadYears, 0, 0)
		if d.Before(from) || d.After(to) {
			sl.report("employment.socialInsuranceFrom", "si_window", from.Format(time.DateOnly)+" "+to.Format(time.DateOnly))
		}
	}
	if d, ok := parseDate(f.Bank.AppointmentDate); ok {
		if to := day.AddDate(0, 0, BankAheadDays); d.After(to) {
			sl.report("bank.appointmentDate", "bank_window", to.Format(time.DateOnly))
		}
	}
	limit := day.AddDate(MaxCapitalDueYears, 0, 0)
	if t := f.Company.OperatingTerm; t > 0 && t < MaxCapitalDueYears {
		limit = day.AddDate(t, 0, 0)
	}
	llcLimit := day.AddDate(CapitalDueYears, 0, 0)
	for i, s := range f.Shareholders {
		d, ok := parseDate(s.Contribution.DueDate)
		if !ok || !d.After(limit) {
			continue
		}
		if f.Company.Type == kaiban.CompanyLLC && d.After(llcLimit) {
			continue // capital_due reports it
		}
		idx := strconv.Itoa(i)
		sl.report("shareholders["+idx+"].contribution.dueDate", "due_window", limit.Format(time.DateOnly))
	}
}
