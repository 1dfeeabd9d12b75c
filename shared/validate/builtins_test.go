package validate_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The built-in rules as an applicant meets them: which fields fail with
// which code, for the edge cases of each rule (an empty list against a
// missing one, a limit counted in characters, a duplicate, an optional
// pointer, an address with a display name).
func TestBuiltinRules(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*kaiban.Form)
		want map[string]string
	}{
		{"email with a name", func(f *kaiban.Form) { f.LegalRepresentative.Email = "Zhang Wei <zw@example.cn>" },
			map[string]string{"legalRepresentative.email": "email"}},
		{"email without a dot in the domain", func(f *kaiban.Form) { f.LegalRepresentative.Email = "zw@localhost" },
			map[string]string{"legalRepresentative.email": "email"}},
		{"email with a numeric top-level domain", func(f *kaiban.Form) { f.LegalRepresentative.Email = "zw@example.123" },
			map[string]string{"legalRepresentative.email": "email"}},
		{"email with spaces", func(f *kaiban.Form) { f.LegalRepresentative.Email = "zw @example.cn" },
			map[string]string{"legalRepresentative.email": "email"}},
		{"email plain", func(f *kaiban.Form) { f.LegalRepresentative.Email = "zhang.wei+kb@mail.example.com.cn" }, nil},
		{"email left out", func(f *kaiban.Form) { f.LegalRepresentative.Email = "" }, nil},
		{"email of 255 characters", func(f *kaiban.Form) {
			f.LegalRepresentative.Email = strings.Repeat("a", 64) + "@" + strings.Repeat("b", 63) + "." + strings.Repeat("c", 63) + "." + strings.Repeat("d", 59) + ".cn"
		}, map[string]string{"legalRepresentative.email": "max"}},
		{"shareholders missing", func(f *kaiban.Form) { f.Shareholders = nil },
			map[string]string{"shareholders": "required"}},
		{"shareholders empty", func(f *kaiban.Form) { f.Shareholders = []kaiban.Shareholder{} },
			map[string]string{"shareholders": "min"}},
		{"trade name of 20 Chinese characters", func(f *kaiban.Form) {
			f.Company.NameParts.TradeName = strings.Repeat("华", 20)
			f.Company.Name = f.Company.NameParts.Region + f.Company.NameParts.TradeName + f.Company.NameParts.Industry + f.Company.NameParts.OrgForm
		}, nil},
		{"trade name of 21 Chinese characters", func(f *kaiban.Form) {
			f.Company.NameParts.TradeName = strings.Repeat("华", 21)
			f.Company.Name = f.Company.NameParts.Region + f.Company.NameParts.TradeName + f.Company.NameParts.Industry + f.Company.NameParts.OrgForm
		}, map[string]string{"company.nameParts.tradeName": "max"}},
		{"seal type twice", func(f *kaiban.Form) { f.Seals.Types = []kaiban.SealType{kaiban.SealOfficial, kaiban.SealOfficial} },
			map[string]string{"seals.types": "unique"}},
		{"unknown seal type", func(f *kaiban.Form) { f.Seals.Types = []kaiban.SealType{kaiban.SealOfficial, "STAMP"} },
			map[string]string{"seals.types[1]": "oneof"}},
		{"invoice kind twice", func(f *kaiban.Form) {
			f.Tax.Invoices = []kaiban.Invoice{
				{Kind: kaiban.InvoiceOrdinaryVAT, MonthlyQuantity: 1, MaxAmount: 1},
				{Kind: kaiban.InvoiceOrdinaryVAT, MonthlyQuantity: 1, MaxAmount: 1}}
		}, map[string]string{"tax.invoices": "unique"}},
		{"invoice with zero quantity", func(f *kaiban.Form) {
			f.Tax.Invoices = []kaiban.Invoice{{Kind: kaiban.InvoiceOrdinaryVAT, MaxAmount: 1}}
		}, map[string]string{"tax.invoices[0].monthlyQuantity": "gt"}},
		{"no manager", func(f *kaiban.Form) {
			f.Manager = nil
			f.LegalRepresentative.IDNumber = f.Directors[0].IDNumber
		}, nil},
		{"manager without a name", func(f *kaiban.Form) { f.Manager.Name = "" },
			map[string]string{"manager.name": "required"}},
		{"enterprise shareholder without a credit code", func(f *kaiban.Form) {
			f.Shareholders[0].Kind = kaiban.HolderEnterprise
			f.Shareholders[0].IDNumber = ""
		}, map[string]string{"shareholders[0].creditCode": "required_if", "shareholders[0].representative": "required"}},
		{"operating term over 100 years", func(f *kaiban.Form) { f.Company.OperatingTerm = 101 },
			map[string]string{"company.operatingTerm": "max"}},
		{"company block missing", func(f *kaiban.Form) { f.Company = kaiban.Company{} },
			map[string]string{"company": "required"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := validForm(t)
			tc.edit(&f)
			err := shared.Validate(&f, submitted, "en")
			got := map[string]string{}
			if err != nil {
				got = codes(asError(t, err))
			}
			if len(tc.want) == 0 && len(got) == 0 {
				return
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("errors %v, want %v", got, tc.want)
			}
		})
	}
}
