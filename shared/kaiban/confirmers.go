package kaiban

import "strings"

// ConfirmRole is one part a person plays in an application. The values are
// the form's JSON names, so the pages can label them like the form does.
type ConfirmRole string

const (
	RoleLegalRepresentative ConfirmRole = "legalRepresentative"
	RoleShareholder         ConfirmRole = "shareholder"
	// RoleHolderRepresentative: the person confirms for an enterprise
	// shareholder, as its own legal representative.
	RoleHolderRepresentative ConfirmRole = "shareholderRepresentative"
	RoleDirector             ConfirmRole = "director"
	RoleSupervisor           ConfirmRole = "supervisor"
	RoleManager              ConfirmRole = "manager"
	RoleFinanceOfficer       ConfirmRole = "financeOfficer"
	RoleTaxHandler           ConfirmRole = "taxHandler"
	RoleLiaison              ConfirmRole = "liaison"
)

// PersonRole is one role of a confirmer, with the shareholder it concerns
// (its index in the form) for the shareholder roles, so the person reads
// their own contribution.
type PersonRole struct {
	Role ConfirmRole `json:"role"`
	// Holder is the index in Form.Shareholders for RoleShareholder and
	// RoleHolderRepresentative, else -1.
	Holder int `json:"holder"`
}

// Confirmer is a natural person who must confirm and sign an application:
// every person the form names, once, with all of their roles.
type Confirmer struct {
	// Seq numbers the confirmers of one application from 0, in form order.
	Seq      int
	Name     string
	IDNumber string // normalised: upper case, no spaces
	Mobile   string // the first mobile given for the person, in form order
	Email    string // the first e-mail given, or ""
	Roles    []PersonRole
}

// Confirmers lists who must confirm f: the legal representative, the
// natural-person shareholders, each enterprise shareholder's legal
// representative, the directors, supervisors, manager, finance officer,
// tax handler and liaison. The same ID number is one person: their roles
// are merged in form order and the first mobile and e-mail given win.
func Confirmers(f Form) []Confirmer {
	var out []Confirmer
	index := map[string]int{}
	add := func(name, id, mobile, email string, role ConfirmRole, holder int) {
		key := NormalizeID(id)
		if key == "" {
			return
		}
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, Confirmer{Seq: i, Name: name, IDNumber: key})
		}
		c := &out[i]
		if c.Mobile == "" {
			c.Mobile = mobile
		}
		if c.Email == "" {
			c.Email = email
		}
		c.Roles = append(c.Roles, PersonRole{Role: role, Holder: holder})
	}
	lr := f.LegalRepresentative
	add(lr.Name, lr.IDNumber, lr.Mobile, lr.Email, RoleLegalRepresentative, -1)
	for i, h := range f.Shareholders {
		switch {
		case h.Kind == HolderNaturalPerson:
			add(h.Name, h.IDNumber, h.Mobile, h.Email, RoleShareholder, i)
		case h.Representative != nil:
			r := h.Representative
			add(r.Name, r.IDNumber, r.Mobile, r.Email, RoleHolderRepresentative, i)
		}
	}
	for _, o := range f.Directors {
		add(o.Name, o.IDNumber, o.Mobile, o.Email, RoleDirector, -1)
	}
	for _, o := range f.Supervisors {
		add(o.Name, o.IDNumber, o.Mobile, o.Email, RoleSupervisor, -1)
	}
	if m := f.Manager; m != nil {
		add(m.Name, m.IDNumber, m.Mobile, m.Email, RoleManager, -1)
	}
	add(f.FinanceOfficer.Name, f.FinanceOfficer.IDNumber, f.FinanceOfficer.Mobile, f.FinanceOfficer.Email, RoleFinanceOfficer, -1)
	add(f.TaxHandler.Name, f.TaxHandler.IDNumber, f.TaxHandler.Mobile, f.TaxHandler.Email, RoleTaxHandler, -1)
	add(f.Liaison.Name, f.Liaison.IDNumber, f.Liaison.Mobile, f.Liaison.Email, RoleLiaison, -1)
	return out
}

// NormalizeID is the spelling of a resident ID number that identifies a
// person: trimmed, check character upper case.
func NormalizeID(id string) string {
	return strings.ToUpper(strings.TrimSpace(id))
}
