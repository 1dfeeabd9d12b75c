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

// catalogue is parsed once from the embedded file and never changed.
var catalogue, byCode = mustParse(itemsTSV)

// mustParse parses the embedded list. A malformed list is a build defect
// that every test of this package reports, not client input.
func mustParse(src string) ([]Item, map[string]Item) {
	items, err := parse(src)
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

// Items returns every item in code order. The slice is a copy.
func Items() []Item {
	return append([]Item(nil), catalogue...)
}
