package onestop

import (
	"time"

	"github.com/kaiban/kaiban/shared/bizscope"
	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/refdata"
	"github.com/kaiban/kaiban/shared/validate"
	"github.com/kaiban/kaiban/shared/workdays"
)

// The reference use cases answer the portal's pickers from the embedded
// lists of shared/refdata, the lists the validator checks the form
// against. They read no store and need no identity: the answers are the
// same for everyone and may be cached.

// BankView is a bank of the picker with its name in the request's
// language.
type BankView struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// BanksView answers the bank picker for one city: the banks and every
// branch in the city; the portal filters the branches by the bank chosen.
type BanksView struct {
	City     string           `json:"city"`
	Banks    []BankView       `json:"banks"`
	Branches []refdata.Branch `json:"branches"`
}

// EngraversView answers the seal engraver picker for one city.
type EngraversView struct {
	City      string             `json:"city"`
	Engravers []refdata.Engraver `json:"engravers"`
}

// RegionsView is the address cascade: the cities with their districts and
// counties and the postal code suggested for each.
type RegionsView struct {
	Cities []refdata.City `json:"cities"`
}

// Regions answers the address cascade.
func (s *Service) Regions() RegionsView {
	return RegionsView{Cities: refdata.Regions()}
}

// Banks answers the banks and the branches in the city given as a city
// code (2101) or the code of a county in it (210112).
func (s *Service) Banks(city string, lang validate.Lang) (BanksView, error) {
	code, err := cityParam(city, lang)
	if err != nil {
		return BanksView{}, err
	}
	banks := refdata.Banks()
	v := BanksView{City: code, Banks: make([]BankView, len(banks)), Branches: refdata.Branches(code)}
	for i, b := range banks {
		v.Banks[i] = BankView{Code: b.Code, Name: b.Zh}
		if lang == validate.LangEN {
			v.Banks[i].Name = b.En
		}
	}
	return v, nil
}

// Engravers answers the seal engravers registered in the city given as
// for Banks.
func (s *Service) Engravers(city string, lang validate.Lang) (EngraversView, error) {
	code, err := cityParam(city, lang)
	if err != nil {
		return EngraversView{}, err
	}
	return EngraversView{City: code, Engravers: refdata.Engravers(code)}, nil
}

// cityParam returns the city code a query's city parameter names, or the
// field error for the parameter.
func cityParam(city string, lang validate.Lang) (string, error) {
	if refdata.IsCity(city) {
		return city, nil
	}
	if code, ok := cnid.CityOf(city); ok {
		return code, nil
	}
	return "", &kaiban.Error{Name: kaiban.ErrValidation, Message: "bad city", Fields: []kaiban.FieldError{fieldError("city", "ln_city", lang)}}
}

// PermitView is a permit to apply for after registration, the authority
// that grants it and the business-scope items that need it, in the
// request's language.
type PermitView struct {
	Permit    string   `json:"permit"`
	Authority string   `json:"authority"`
	Items     []string `json:"items"`
}

// permitViews lists the permits the business scope needs, each once, in
// the order of the first item needing it.
func permitViews(scope []string, lang validate.Lang) []PermitView {
	l := string(lang)
	views := []PermitView{}
	at := map[bizscope.Permit]int{}
	for _, code := range scope {
		it, ok := bizscope.Lookup(code)
		if !ok || it.Permit == nil {
			continue
		}
		i, seen := at[*it.Permit]
		if !seen {
			i = len(views)
			at[*it.Permit] = i
			views = append(views, PermitView{Permit: it.Permit.Name(l), Authority: it.Permit.Authority(l)})
		}
		views[i].Items = append(views[i].Items, it.Wording(l))
	}
	return views
}

// WorkdaysView is the bank appointment's window and its working days on
// the service's calendar (public holidays left out, adjusted working days
// in), so a date picker offers only dates the form's rule accepts.
type WorkdaysView struct {
	From     string   `json:"from"`
	To       string   `json:"to"`
	Workdays []string `json:"workdays"`
}

// BankWorkdays answers the working days from today (China time) to
// validate.BankAheadDays after, the window bank.appointmentDate must fall
// in.
func (s *Service) BankWorkdays() WorkdaysView {
	today := s.now().In(workdays.CST)
	from := time.Date(today.Year(), today.Month(), today.Day(), 12, 0, 0, 0, workdays.CST)
	to := from.AddDate(0, 0, validate.BankAheadDays)
	v := WorkdaysView{From: from.Format(time.DateOnly), To: to.Format(time.DateOnly), Workdays: []string{}}
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		if workdays.IsWorkingDay(d) {
			v.Workdays = append(v.Workdays, d.Format(time.DateOnly))
		}
	}
	return v
}
