package names

import (
	"fmt"
	"slices"

	"github.com/kaiban/kaiban/shared/cnid"
)

// ProvinceRegistry is the registry of names whose region is the province
// itself (辽宁…).
const ProvinceRegistry = "21"

// regionIndex maps every region name a company name may use (official
// names and short forms of Liaoning's cities and county-level divisions,
// and the province) to the registries it can mean: a county short form
// shared by two cities (铁西) means two.
type regionIndex struct {
	registries map[string][]string // name → registry codes
	cityNames  map[string]string   // registry code → city name (沈阳市)
	longest    int
}

var regions = buildRegions()

func buildRegions() *regionIndex {
	ri := &regionIndex{registries: map[string][]string{}, cityNames: map[string]string{ProvinceRegistry: "辽宁省"}}
	add := func(name, reg string) {
		if name == "" || slices.Contains(ri.registries[name], reg) {
			return
		}
		ri.registries[name] = append(ri.registries[name], reg)
		ri.longest = max(ri.longest, len([]rune(name)))
	}
	add("辽宁", ProvinceRegistry)
	add("辽宁省", ProvinceRegistry)
	for _, city := range cnid.Cities() {
		ri.cityNames[city.Code] = city.Name
		// County codes are the city's four digits and two more; cnid
		// exposes look-ups by code, so walk the 99 possible ones.
		for i := 1; i < 100; i++ {
			code := fmt.Sprintf("%s%02d", city.Code, i)
			if _, ok := cnid.LookupRegion(code); !ok {
				continue
			}
			for _, n := range cnid.RegionNames(code) {
				add(n, city.Code)
			}
		}
	}
	return ri
}

// isRegionName says whether s names a county-level-or-higher region
// (Liaoning's, or a province or major city elsewhere).
func isRegionName(s string) bool {
	return len(regions.registries[s]) > 0 || tab.places[s] || tab.places[trimAdminSuffix(s)]
}

func trimAdminSuffix(s string) string {
	r := []rune(s)
	if n := len(r); n > 2 && (r[n-1] == '省' || r[n-1] == '市') {
		return string(r[:n-1])
	}
	return s
}

// RegistryName is the registration authority of a registry code, for
// messages (沈阳市).
func RegistryName(code string) string { return regions.cityNames[code] }
