package refdata_test

import (
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/refdata"
)

// Every county of the region table is in the cascade, under its city,
// with a six-digit postal code.
func TestRegionsCoverEveryCounty(t *testing.T) {
	cities := refdata.Regions()
	if len(cities) != 14 {
		t.Fatalf("%d cities, want 14", len(cities))
	}
	n := 0
	for _, c := range cities {
		for _, d := range c.Districts {
			n++
			r, ok := cnid.LookupRegion(d.Code)
			if !ok || r.CityCode != c.Code || r.Name != d.Name {
				t.Errorf("%s %s under %s: region table says %+v", d.Code, d.Name, c.Code, r)
			}
			if len(d.PostalCode) != 6 {
				t.Errorf("%s: postal code %q", d.Code, d.PostalCode)
			}
		}
	}
	if n != 100 {
		t.Errorf("%d districts, want 100", n)
	}
}

func TestPostalCode(t *testing.T) {
	for _, tt := range []struct{ county, want string }{
		{"210112", "110179"}, {"210102", "110001"}, {"210202", "116001"}, {"210100", ""}, {"110105", ""},
	} {
		if got, _ := refdata.PostalCode(tt.county); got != tt.want {
			t.Errorf("PostalCode(%s) = %q, want %q", tt.county, got, tt.want)
		}
	}
}

// Every city has branches of every bank and at least three engravers;
// every branch number starts with its bank's code.
func TestEveryCityHasBranchesAndEngravers(t *testing.T) {
	for _, c := range cnid.Cities() {
		banks := map[string]bool{}
		for _, b := range refdata.Branches(c.Code) {
			banks[b.BankCode] = true
			if !strings.HasPrefix(b.Code, b.BankCode) || b.CityCode != c.Code {
				t.Errorf("%s: branch %+v", c.Name, b)
			}
			if got, ok := refdata.LookupBranch(b.Code); !ok || got != b {
				t.Errorf("LookupBranch(%s) = %+v, %v", b.Code, got, ok)
			}
		}
		if len(banks) != len(refdata.Banks()) {
			t.Errorf("%s: branches of %d banks, want %d", c.Name, len(banks), len(refdata.Banks()))
		}
		if es := refdata.Engravers(c.Code); len(es) < 3 {
			t.Errorf("%s: %d engravers", c.Name, len(es))
		}
	}
	if refdata.Branches("2199") != nil || refdata.Engravers("2199") != nil {
		t.Error("an unknown city has branches or engravers")
	}
}

// The example forms, the tests and the bank simulator's unavailable-branch
// trigger use these entries; they must stay in the lists.
func TestPinnedEntries(t *testing.T) {
	for _, code := range []string{"102221000010", "102221000123", "102221000999", "105221000128"} {
		if b, ok := refdata.LookupBranch(code); !ok || b.CityCode != "2101" {
			t.Errorf("branch %s: %+v, %v", code, b, ok)
		}
	}
	for _, name := range []string{"沈阳市浑南区诚信印章刻制有限公司", "沈阳市浑南区诚信印章刻制（普通合伙）", "沈阳市和平区诚信刻章社"} {
		if _, ok := refdata.LookupEngraver("2101", name); !ok {
			t.Errorf("engraver %s missing in Shenyang", name)
		}
		if _, ok := refdata.LookupEngraver("2102", name); ok {
			t.Errorf("engraver %s found in Dalian", name)
		}
	}
}

// Results are copies: a caller's change does not reach the next caller.
func TestResultsAreCopies(t *testing.T) {
	refdata.Regions()[0].Districts[0].Name = "x"
	refdata.Branches("2101")[0].Name = "x"
	if refdata.Regions()[0].Districts[0].Name == "x" || refdata.Branches("2101")[0].Name == "x" {
		t.Error("the lists were changed through a result")
	}
}
