package validate

import (
	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/refdata"
)

// pickerRules: the bank branch and the seal engraver are ones the portal's
// pickers offer for the company's city (shared/refdata): an account is
// opened and seals are carved where the company is registered. Each is
// checked only once its own format rules pass and the address names a
// Liaoning county, so one mistake is reported once; the message names
// the city the lists were taken from.
func pickerRules(sl *structLevel, f *kaiban.Form) {
	city, ok := cnid.CityOf(f.Company.Address.RegionCode)
	if !ok {
		return // ln_region reports the address
	}
	cityName := cityName(city)
	b := f.Bank
	if len(b.BankCode) == BankCodeDigits && allDigits(b.BankCode) &&
		len(b.BranchCode) == BranchCodeDigits && allDigits(b.BranchCode) &&
		b.BranchCode[:BankCodeDigits] == b.BankCode {
		if br, found := refdata.LookupBranch(b.BranchCode); !found || br.CityCode != city {
			sl.report("bank.branchCode", "branch_city", cityName)
		}
	}
	if shop := f.Seals.CarvingShop; shop != "" {
		if _, found := refdata.LookupEngraver(city, shop); !found {
			sl.report("seals.carvingShop", "carving_shop", cityName)
		}
	}
}

// cityName returns the name of the city with the four-digit code.
func cityName(code string) string {
	for _, c := range cnid.Cities() {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}
