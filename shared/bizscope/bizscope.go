// Package bizscope is the embedded list of standard business-scope items
// (经营范围规范表述) an applicant chooses from. Free text is not accepted:
// the registration authority prints the standard wording on the licence,
// and items flagged as permit-required tell the other tracks that an
// approval must follow before the activity may start.
package bizscope

import (
	_ "embed"
	"fmt"
	"strings"
)

// Item is one standard business-scope item.
type Item struct {
	Code           string `json:"code"`
	Zh             string `json:"zh"` // standard wording, printed on the licence
	En             string `json:"en"` // English wording, for the English UI only
	PermitRequired bool   `json:"permitRequired"`
	// Permit is the permit a permit item needs after registration, nil
	// for a general item.
	Permit *Permit `json:"permit,omitempty"`
}

// Permit is a permit (许可证) to apply for after registration, and the
// authority that grants it.
type Permit struct {
	Zh          string `json:"zh"`
	En          string `json:"en"`
	AuthorityZh string `json:"authorityZh"`
	AuthorityEn string `json:"authorityEn"`
}

// Name returns the permit's name in lang ("en", otherwise Chinese).
func (p Permit) Name(lang string) string {
	if lang == "en" {
		return p.En
	}
	return p.Zh
}

// Authority returns the granting authority in lang ("en", otherwise
// Chinese).
func (p Permit) Authority(lang string) string {
	if lang == "en" {
		return p.AuthorityEn
	}
	return p.AuthorityZh
}

// Wording returns the item's wording in lang ("en", otherwise Chinese).
func (i Item) Wording(lang string) string {
	if lang == "en" {
		return i.En
	}
	return i.Zh
}

//go:embed items.tsv
var itemsTSV string

//go:embed permits.tsv
var permitsTSV string

// catalogue is parsed once from the embedded files and never changed.
var catalogue, byCode = mustParse(itemsTSV, permitsTSV)

// mustParse parses the embedded list. A malformed list is a build defect
// that every test of this package reports, not client input.
func mustParse(src, permits string) ([]Item, map[string]Item) {
	items, err := parse(src)
	if err == nil {
		err = attachPermits(items, permits)
	}
	if err != nil {
		panic(err)
	}
	m := make(map[string]Item, len(items))
	for _, it := range items {
		m[it.Code] = it
	}
	return items, m
}

func parse(src string) ([]Item, error) {
	var items []Item
	seen := map[string]bool{}
	for n, line := range strings.Split(src, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 4 {
			return nil, fmt.Errorf("bizscope: items.tsv line %d: want 4 columns, got %d", n+1, len(cols))
		}
		if seen[cols[0]] {
			return nil, fmt.Errorf("bizscope: items.tsv line %d: duplicate code %s", n+1, cols[0])
		}
		seen[cols[0]] = true
		var permit bool
		switch cols[1] {
		case "general":
		case "permit":
			permit = true
		default:
			return nil, fmt.Errorf("bizscope: items.tsv line %d: kind %q is neither general nor permit", n+1, cols[1])
		}
		items = append(items, Item{Code: cols[0], PermitRequired: permit, Zh: cols[2], En: cols[3]})
	}
	return items, nil
}

// attachPermits sets the Permit of each permit item from the permit list.
// An item's kind and the list must agree: a permit item without a permit,
// or a permit for a general or unknown item, is a defect of the data.
func attachPermits(items []Item, src string) error {
	idx := make(map[string]int, len(items))
	for i, it := range items {
		idx[it.Code] = i
	}
	for n, line := range strings.Split(src, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 5 {
			return fmt.Errorf("bizscope: permits.tsv line %d: want 5 columns, got %d", n+1, len(cols))
		}
		i, ok := idx[cols[0]]
		switch {
		case !ok || !items[i].PermitRequired:
			return fmt.Errorf("bizscope: permits.tsv line %d: %s is not a permit item", n+1, cols[0])
		case items[i].Permit != nil:
			return fmt.Errorf("bizscope: permits.tsv line %d: %s twice", n+1, cols[0])
		}
		items[i].Permit = &Permit{Zh: cols[1], En: cols[2], AuthorityZh: cols[3], AuthorityEn: cols[4]}
	}
	for _, it := range items {
		if it.PermitRequired && it.Permit == nil {
			return fmt.Errorf("bizscope: permits.tsv: no permit for item %s", it.Code)
		}
	}
	return nil
}

// Permits returns the permits the items with the given codes need, each
// once, in the order of the codes; unknown codes and general items add
// nothing.
func Permits(codes []string) []Permit {
	var out []Permit
	seen := map[Permit]bool{}
	for _, c := range codes {
		it, ok := byCode[c]
		if !ok || it.Permit == nil || seen[*it.Permit] {
			continue
		}
		seen[*it.Permit] = true
		out = append(out, *it.Permit)
	}
	return out
}

// Lookup returns the item with the given code.
func Lookup(code string) (Item, bool) {
	it, ok := byCode[code]
	return it, ok
}

// Valid reports whether code is a standard item.
func Valid(code string) bool {
	_, ok := byCode[code]
	return ok
}

// Items returns every item in code order. The slice and the permits are
// copies.
func Items() []Item {
	items := append([]Item(nil), catalogue...)
	for i, it := range items {
		if it.Permit != nil {
			p := *it.Permit
			items[i].Permit = &p
		}
	}
	return items
}
