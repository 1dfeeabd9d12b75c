package cnid_test

import (
	"slices"
	"testing"

	"github.com/kaiban/kaiban/shared/cnid"
)

func TestLookupRegion(t *testing.T) {
	tests := []struct {
		code string
		want cnid.Region
		ok   bool
	}{
		{"210106", cnid.Region{Code: "210106", Name: "铁西区", City: "沈阳市", CityCode: "2101"}, true},
		{"210303", cnid.Region{Code: "210303", Name: "铁西区", City: "鞍山市", CityCode: "2103"}, true},
		{"210112", cnid.Region{Code: "210112", Name: "浑南区", City: "沈阳市", CityCode: "2101"}, true},
		{"211324", cnid.Region{Code: "211324", Name: "喀喇沁左翼蒙古族自治县", City: "朝阳市", CityCode: "2113"}, true},
		{"211481", cnid.Region{Code: "211481", Name: "兴城市", City: "葫芦岛市", CityCode: "2114"}, true},
		{"210100", cnid.Region{}, false}, // the city itself is not a county-level code
		{"210107", cnid.Region{}, false}, // no such district
		{"110105", cnid.Region{}, false}, // Beijing, not served
		{"2101", cnid.Region{}, false},
		{"", cnid.Region{}, false},
	}
	for _, tt := range tests {
		got, ok := cnid.LookupRegion(tt.code)
		if got != tt.want || ok != tt.ok {
			t.Errorf("LookupRegion(%q) = %+v, %v; want %+v, %v", tt.code, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCities(t *testing.T) {
	cities := cnid.Cities()
	want := []string{"沈阳市", "大连市", "鞍山市", "抚顺市", "本溪市", "丹东市", "锦州市", "营口市", "阜新市", "辽阳市", "盘锦市", "铁岭市", "朝阳市", "葫芦岛市"}
	var names []string
	for i, c := range cities {
		names = append(names, c.Name)
		if wantCode := []string{"2101", "2102", "2103", "2104", "2105", "2106", "2107", "2108", "2109", "2110", "2111", "2112", "2113", "2114"}[i]; c.Code != wantCode {
			t.Errorf("city %d code = %s, want %s", i, c.Code, wantCode)
		}
	}
	if !slices.Equal(names, want) {
		t.Errorf("Cities() = %v, want %v", names, want)
	}
	cities[0].Name = "changed"
	if cnid.Cities()[0].Name != "沈阳市" {
		t.Error("Cities() exposes the package's table")
	}
}

// Liaoning has 100 county-level divisions (59 districts, 16 county-level
// cities, 17 counties and 8 autonomous counties).
func TestEveryCountyOfLiaoning(t *testing.T) {
	perCity := map[string]int{
		"2101": 13, "2102": 10, "2103": 7, "2104": 7, "2105": 6, "2106": 6, "2107": 7,
		"2108": 6, "2109": 7, "2110": 7, "2111": 4, "2112": 7, "2113": 7, "2114": 6,
	}
	got := map[string]int{}
	total := 0
	for code := 210000; code < 220000; code++ {
		c := itoa6(code)
		r, ok := cnid.LookupRegion(c)
		if !ok {
			continue
		}
		total++
		got[r.CityCode]++
		if city, ok := cnid.CityOf(c); !ok || city != c[:4] {
			t.Errorf("CityOf(%s) = %s, %v", c, city, ok)
		}
		if names := cnid.RegionNames(c); !slices.Contains(names, r.Name) || !slices.Contains(names, r.City) {
			t.Errorf("RegionNames(%s) = %v, want it to contain %s and %s", c, names, r.Name, r.City)
		}
	}
	if total != 100 {
		t.Errorf("found %d county-level divisions, want 100", total)
	}
	for city, n := range perCity {
		if got[city] != n {
			t.Errorf("city %s has %d divisions, want %d", city, got[city], n)
		}
	}
}

func TestRegionNames(t *testing.T) {
	got := cnid.RegionNames("210112")
	for _, want := range []string{"浑南区", "浑南", "沈阳市", "沈阳"} {
		if !slices.Contains(got, want) {
			t.Errorf("RegionNames(210112) = %v, missing %s", got, want)
		}
	}
	if slices.Contains(got, "大连") {
		t.Errorf("RegionNames(210112) = %v contains another city", got)
	}
	if cnid.RegionNames("999999") != nil {
		t.Error("RegionNames of an unknown code is not nil")
	}
}

func itoa6(n int) string {
	b := make([]byte, 6)
	for i := 5; i >= 0; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b)
}
