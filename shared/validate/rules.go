package validate

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// formRules are the rules that span blocks of the form. Each reports the
// one field an applicant must change.
func formRules(ctx context.Context, sl *structLevel) {
	f, ok := sl.current.Interface().(kaiban.Form)
	if !ok {
		return
	}
	capitalSum(sl, &f)
	if f.Company.Type == kaiban.CompanyLLC {
		if n := len(f.Shareholders); n > MaxLLCShareholders {
			sl.report("shareholders", "llc_holders", strconv.Itoa(MaxLLCShareholders))
		}
		capitalDue(sl, &f, today(nowFrom(ctx)))
	}
	dateWindows(sl, &f, today(nowFrom(ctx)))
	holderNames(sl, &f)
	holderRepresentatives(sl, &f)
	uniqueHolders(sl, &f)
	if f.Company.Type == kaiban.CompanyLLC || f.Company.Type == kaiban.CompanyJointStock {
		legalRepOffice(sl, &f) // partnerships and sole proprietorships have no board
	}
	pickerRules(sl, &f)
}

// capitalSum: the subscribed contributions add up exactly to the registered
// capital. The error is reported on company.registeredCapital because no
// single contribution is "the" wrong one; the message states the total.
func capitalSum(sl *structLevel, f *kaiban.Form) {
	if len(f.Shareholders) == 0 || f.Company.RegisteredCapital <= 0 {
		return // already reported by the fields' own tags
	}
	var sum int64
	overflow := false
	for _, s := range f.Shareholders {
		a := s.Contribution.Amount
		if a > 0 && sum > math.MaxInt64-a {
			overflow = true
			break
		}
		sum += a
	}
	if overflow || sum != f.Company.RegisteredCapital {
		total := strconv.FormatInt(sum, 10)
		if overflow {
			total = "> " + strconv.FormatInt(math.MaxInt64, 10)
		}
		sl.report("company.registeredCapital", "capital_sum", total)
	}
}

// capitalDue: an LLC's subscribed capital is paid in full within five
// years of its founding (Company Law 2023, art. 47). The founding date is
// the submission date.
func capitalDue(sl *structLevel, f *kaiban.Form, founding time.Time) {
	limit := founding.AddDate(CapitalDueYears, 0, 0)
	for i, s := range f.Shareholders {
		due, ok := parseDate(s.Contribution.DueDate)
		if ok && due.After(limit) {
			sl.report("shareholders["+strconv.Itoa(i)+"].contribution.dueDate", "capital_due", limit.Format(time.DateOnly))
		}
	}
}

// uniqueHolders: a person or enterprise subscribes once. Later entries of
// the same holder are the ones reported.
func uniqueHolders(sl *structLevel, f *kaiban.Form) {
	seen := make(map[string]bool, len(f.Shareholders))
	for i, s := range f.Shareholders {
		key, field := s.IDNumber, "idNumber"
		if s.Kind == kaiban.HolderEnterprise {
			key, field = s.CreditCode, "creditCode"
		}
		key = strings.ToUpper(strings.TrimSpace(key))
		if key == "" {
			continue
		}
		if seen[key] {
			idx := "shareholders[" + strconv.Itoa(i) + "]."
			sl.report(idx+field, "unique_holder", "")
			continue
		}
		seen[key] = true
	}
}

// legalRepOffice: the legal representative is a director or the manager
// (Company Law 2023, art. 10), matched by resident ID number.
func legalRepOffice(sl *structLevel, f *kaiban.Form) {
	id := f.LegalRepresentative.IDNumber
	if id == "" {
		return
	}
	if f.Manager != nil && f.Manager.IDNumber == id {
		return
	}
	for _, d := range f.Directors {
		if d.IDNumber == id {
			return
		}
	}
	sl.report("legalRepresentative", "legal_rep_office", "")
}

// invoiceRules: the monthly quantity of a first-time grant depends on the
// invoice kind.
func invoiceRules(sl *structLevel) {
	inv, ok := sl.current.Interface().(kaiban.Invoice)
	if !ok {
		return
	}
	limit := 0
	switch inv.Kind {
	case kaiban.InvoiceSpecialVAT:
		limit = MaxSpecialVATPerMonth
	case kaiban.InvoiceOrdinaryVAT:
		limit = MaxOrdinaryVATPerMonth
	default:
		return // the kind's own tag reports it
	}
	if inv.MonthlyQuantity > limit {
		sl.report("monthlyQuantity", "invoice_quantity", strconv.Itoa(limit))
	}
}

// holderNames: a natural-person shareholder's name is a person's name
// (the field's own tag only knows it is a name, of a person or an
// enterprise).
func holderNames(sl *structLevel, f *kaiban.Form) {
	for i, s := range f.Shareholders {
		if s.Kind == kaiban.HolderNaturalPerson && s.Name != "" && isNameText(s.Name) && !isPersonName(s.Name) {
			idx := strconv.Itoa(i)
			sl.report("shareholders["+idx+"].name", "person_name", "")
		}
	}
}

// holderRepresentatives: an enterprise shareholder names its own legal
// representative, the person who confirms and signs the application for
// it.
func holderRepresentatives(sl *structLevel, f *kaiban.Form) {
	for i, s := range f.Shareholders {
		if s.Kind == kaiban.HolderEnterprise && s.Representative == nil {
			sl.report("shareholders["+strconv.Itoa(i)+"].representative", "required", "")
		}
	}
}
