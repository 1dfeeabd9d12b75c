package kaiban

import "slices"

// Clone returns a deep copy of f: no slice or pointer of the copy is shared
// with f, so a cache can hand out copies of one form and no caller can
// change what another sees. TestFormCloneSharesNothing fails when a field
// holding a reference is added to the form and not copied here.
func (f Form) Clone() Form {
	out := f
	out.Shareholders = slices.Clone(f.Shareholders)
	for i, h := range out.Shareholders {
		if h.Representative != nil {
			r := *h.Representative
			out.Shareholders[i].Representative = &r
		}
	}
	out.Directors = slices.Clone(f.Directors)
	out.Supervisors = slices.Clone(f.Supervisors)
	if f.Manager != nil {
		m := *f.Manager
		out.Manager = &m
	}
	out.Company.BusinessScope = slices.Clone(f.Company.BusinessScope)
	out.Seals.Types = slices.Clone(f.Seals.Types)
	out.Tax.Invoices = slices.Clone(f.Tax.Invoices)
	return out
}
