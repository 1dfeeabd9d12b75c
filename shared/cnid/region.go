package cnid

import (
	_ "embed"
	"fmt"
	"strings"
)

// Region is a county-level division of Liaoning, or (in Cities) one of its
// prefecture-level cities, in which case City == Name and
// CityCode == Code.
type Region struct {
	Code     string // six digits for a county-level division, four for a city
	Name     string // official name, e.g. 浑南区
	City     string // the prefecture-level city, e.g. 沈阳市
	CityCode string // four digits, e.g. 2101
}

//go:embed liaoning.tsv
var liaoningTSV string

// regionTable is the parsed table. It is built once at package
// initialisation from an embedded file and never changed, so lookups need
// no locking.
type regionTable struct {
	counties map[string]Region
	cities   []Region
	// aliases lists the names a company name may use for a division: the
	// official name and its short forms.
	aliases map[string][]string
}

var liaoning = mustParseRegions(liaoningTSV)

// mustParseRegions parses the embedded table. A malformed table is a build
// defect, caught by every test of this package, so panicking at start-up
// is the right response here (it is not input from a client).
func mustParseRegions(src string) *regionTable {
	t, err := parseRegions(src)
	if err != nil {
		panic(err)
	}
	return t
}

func parseRegions(src string) (*regionTable, error) {
	t := &regionTable{counties: map[string]Region{}, aliases: map[string][]string{}}
	cityNames := map[string]string{}
	for n, line := range strings.Split(src, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 {
			return nil, fmt.Errorf("cnid: liaoning.tsv line %d: want 3 columns, got %d", n+1, len(cols))
		}
		code, name := cols[0], cols[1]
		t.aliases[code] = append([]string{name}, strings.Split(cols[2], ",")...)
		switch {
		case isDigits(code, 4):
			cityNames[code] = name
			t.cities = append(t.cities, Region{Code: code, Name: name, City: name, CityCode: code})
		case isDigits(code, 6):
			city, ok := cityNames[code[:4]]
			if !ok {
				return nil, fmt.Errorf("cnid: liaoning.tsv line %d: county %s before its city", n+1, code)
			}
			t.counties[code] = Region{Code: code, Name: name, City: city, CityCode: code[:4]}
		default:
			return nil, fmt.Errorf("cnid: liaoning.tsv line %d: bad code %q", n+1, code)
		}
	}
	return t, nil
}

// LookupRegion returns the county-level division of Liaoning with the
// given six-digit GB/T 2260 code. Prefecture codes (210100) and codes of
// other provinces are not found: a registered address is always in a
// district, county or county-level city.
func LookupRegion(code string) (Region, bool) {
	r, ok := liaoning.counties[code]
	return r, ok
}

// CityOf returns the four-digit code of the prefecture-level city a
// county-level code belongs to ("210106" → "2101").
func CityOf(code string) (cityCode string, ok bool) {
	r, ok := liaoning.counties[code]
	return r.CityCode, ok
}

// Cities returns the 14 prefecture-level cities of Liaoning in code order.
// The slice is a copy; callers may modify it.
func Cities() []Region {
	return append([]Region(nil), liaoning.cities...)
}

// RegionNames returns the names a company name may use as its region part
// for the county-level code: the county's official and short names and its
// city's official and short names. It returns nil for an unknown code.
func RegionNames(code string) []string {
	r, ok := liaoning.counties[code]
	if !ok {
		return nil
	}
	county, city := liaoning.aliases[code], liaoning.aliases[r.CityCode]
	names := make([]string, 0, len(county)+len(city))
	return append(append(names, county...), city...)
}
