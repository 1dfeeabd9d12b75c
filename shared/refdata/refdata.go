package refdata

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/kaiban/kaiban/shared/cnid"
)

// City is a prefecture-level city of Liaoning with its county-level
// divisions, the cascade the address picker shows.
type City struct {
	Code      string     `json:"code"` // four digits, e.g. 2101
	Name      string     `json:"name"`
	Districts []District `json:"districts"`
}

// District is a county-level division with the postal code the portal
// suggests for it.
type District struct {
	Code       string `json:"code"` // six digits, e.g. 210112
	Name       string `json:"name"`
	PostalCode string `json:"postalCode"`
	// PostalSimulated says the postal code is the city's head-office code
	// standing in for one not at hand.
	PostalSimulated bool `json:"postalSimulated,omitempty"`
}

// Bank is a bank the account-opening picker offers.
type Bank struct {
	Code string `json:"code"` // three-digit CNAPS bank code
	Zh   string `json:"zh"`
	En   string `json:"en"`
}

// Branch is a bank branch (开户网点) in a city.
type Branch struct {
	Code     string `json:"code"` // 12-digit CNAPS branch number (联行号)
	BankCode string `json:"bankCode"`
	CityCode string `json:"cityCode"`
	Name     string `json:"name"`
}

// Engraver is a seal engraver (印章刻制企业) licensed in a city.
type Engraver struct {
	CityCode string `json:"cityCode"`
	Name     string `json:"name"`
	Licence  string `json:"licence"`
	Address  string `json:"address"`
}

var (
	//go:embed postcodes.tsv
	postcodesTSV string
	//go:embed banks.tsv
	banksTSV string
	//go:embed branches.tsv
	branchesTSV string
	//go:embed engravers.tsv
	engraversTSV string
)

// tables holds the parsed lists.
type tables struct {
	cities    []City
	banks     []Bank
	branches  map[string]Branch     // by branch number
	byCity    map[string][]Branch   // branches by city code, in file order
	engravers map[string][]Engraver // by city code, in file order
}

var data = mustLoad()

// mustLoad parses the embedded files. A malformed file is a build defect
// that every test of this package reports, not client input.
func mustLoad() *tables {
	t, err := load(postcodesTSV, banksTSV, branchesTSV, engraversTSV)
	if err != nil {
		panic(err)
	}
	return t
}

func load(postcodes, banks, branches, engravers string) (*tables, error) {
	t := &tables{branches: map[string]Branch{}, byCity: map[string][]Branch{}, engravers: map[string][]Engraver{}}
	postal := map[string][]string{}
	if err := rows("postcodes.tsv", postcodes, 3, func(c []string) error {
		if _, ok := cnid.LookupRegion(c[0]); !ok {
			return fmt.Errorf("unknown county %s", c[0])
		}
		if !digits(c[1], 6) || (c[2] != "published" && c[2] != "simulated") {
			return fmt.Errorf("bad postal code line for %s", c[0])
		}
		if postal[c[0]] != nil {
			return fmt.Errorf("county %s twice", c[0])
		}
		postal[c[0]] = c[1:]
		return nil
	}); err != nil {
		return nil, err
	}
	for _, c := range cnid.Cities() {
		city := City{Code: c.Code, Name: c.Name}
		for n := 1; n < 100; n++ {
			r, ok := cnid.LookupRegion(fmt.Sprintf("%s%02d", c.Code, n))
			if !ok {
				continue
			}
			p := postal[r.Code]
			if p == nil {
				return nil, fmt.Errorf("refdata: postcodes.tsv: no postal code for %s %s", r.Code, r.Name)
			}
			city.Districts = append(city.Districts, District{Code: r.Code, Name: r.Name, PostalCode: p[0], PostalSimulated: p[1] == "simulated"})
		}
		t.cities = append(t.cities, city)
	}
	bankCodes := map[string]bool{}
	if err := rows("banks.tsv", banks, 3, func(c []string) error {
		if !digits(c[0], 3) || bankCodes[c[0]] {
			return fmt.Errorf("bad or repeated bank code %q", c[0])
		}
		bankCodes[c[0]] = true
		t.banks = append(t.banks, Bank{Code: c[0], Zh: c[1], En: c[2]})
		return nil
	}); err != nil {
		return nil, err
	}
	if err := rows("branches.tsv", branches, 4, func(c []string) error {
		b := Branch{Code: c[0], BankCode: c[1], CityCode: c[2], Name: c[3]}
		switch {
		case !digits(b.Code, 12) || !strings.HasPrefix(b.Code, b.BankCode):
			return fmt.Errorf("bad branch number %q", b.Code)
		case !bankCodes[b.BankCode]:
			return fmt.Errorf("branch %s of unknown bank %s", b.Code, b.BankCode)
		case !isCity(b.CityCode):
			return fmt.Errorf("branch %s in unknown city %s", b.Code, b.CityCode)
		case t.branches[b.Code] != Branch{}:
			return fmt.Errorf("branch %s twice", b.Code)
		}
		t.branches[b.Code] = b
		t.byCity[b.CityCode] = append(t.byCity[b.CityCode], b)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := rows("engravers.tsv", engravers, 4, func(c []string) error {
		e := Engraver{CityCode: c[0], Name: c[1], Licence: c[2], Address: c[3]}
		if !isCity(e.CityCode) {
			return fmt.Errorf("engraver %s in unknown city %s", e.Name, e.CityCode)
		}
		t.engravers[e.CityCode] = append(t.engravers[e.CityCode], e)
		return nil
	}); err != nil {
		return nil, err
	}
	return t, nil
}

// rows calls fn with the columns of each data line of a TSV file.
func rows(file, src string, cols int, fn func([]string) error) error {
	for n, line := range strings.Split(src, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != cols {
			return fmt.Errorf("refdata: %s line %d: want %d columns, got %d", file, n+1, cols, len(c))
		}
		if err := fn(c); err != nil {
			return fmt.Errorf("refdata: %s line %d: %w", file, n+1, err)
		}
	}
	return nil
}

func isCity(code string) bool {
	for _, c := range cnid.Cities() {
		if c.Code == code {
			return true
		}
	}
	return false
}

func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
