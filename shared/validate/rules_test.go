package validate_test

import (
	"maps"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// Each case changes the valid example and names the one field (and code)
// an applicant would be told to correct; nil want means still valid.
func TestRules(t *testing.T) {
	const (
		rep          = "210102198503120316" // the legal representative and director
		li           = "210103198807260242" // second shareholder
		born2008     = "210102200811270017" // 18 on 2026-11-27
		born2008Next = "210102200811280012" // 18 on 2026-11-28
		bornTomorrow = "210103202611280013"
	)
	baby := idBorn("20251227", 0) // 11 months old
	for _, id := range []string{born2008, born2008Next, bornTomorrow, baby} {
		if !cnid.ValidResidentID(id) {
			t.Fatalf("fixture %s is not a valid ID number: the case would test the wrong rule", id)
		}
	}
	enterprise, err := cnid.GenerateUSCC("210112", nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(f *kaiban.Form)
		want   map[string]string
	}{
		{"unchanged", func(f *kaiban.Form) {}, nil},

		// company name structure
		{"county name as region", func(f *kaiban.Form) {
			f.Company.NameParts.Region, f.Company.Name = "浑南", "浑南云启软件科技有限公司"
		}, nil},
		{"full city name as region", func(f *kaiban.Form) {
			f.Company.NameParts.Region, f.Company.Name = "沈阳市", "沈阳市云启软件科技有限公司"
		}, nil},
		{"another county's name", func(f *kaiban.Form) {
			f.Company.NameParts.Region, f.Company.Name = "铁西", "铁西云启软件科技有限公司"
		}, map[string]string{"company.nameParts.region": "name_region"}},
		{"one-character trade name", func(f *kaiban.Form) {
			f.Company.NameParts.TradeName, f.Company.Name = "云", "沈阳云软件科技有限公司"
		}, map[string]string{"company.nameParts.tradeName": "trade_name"}},
		{"Latin letters in trade name", func(f *kaiban.Form) {
			f.Company.NameParts.TradeName, f.Company.Name = "Cloud", "沈阳Cloud软件科技有限公司"
		}, map[string]string{"company.nameParts.tradeName": "trade_name"}},
		{"digits in industry", func(f *kaiban.Form) {
			f.Company.NameParts.Industry, f.Company.Name = "5G科技", "沈阳云启5G科技有限公司"
		}, map[string]string{"company.nameParts.industry": "han"}},
		{"name differs from its parts", func(f *kaiban.Form) { f.Company.Name = "沈阳云启科技有限公司" },
			map[string]string{"company.name": "company_name"}},
		{"joint-stock form for an LLC", func(f *kaiban.Form) {
			f.Company.NameParts.OrgForm, f.Company.Name = "股份有限公司", "沈阳云启软件科技股份有限公司"
		}, map[string]string{"company.nameParts.orgForm": "org_form"}},
		{"有限责任公司 for an LLC", func(f *kaiban.Form) {
			f.Company.NameParts.OrgForm, f.Company.Name = "有限责任公司", "沈阳云启软件科技有限责任公司"
		}, nil},

		// invisible and look-alike characters in names (normalised to NFKC first)
		{"Hangul filler in trade name", func(f *kaiban.Form) {
			f.Company.NameParts.TradeName, f.Company.Name = "云\u3164启", "沈阳云\u3164启软件科技有限公司"
		}, map[string]string{"company.nameParts.tradeName": "trade_name", "company.name": "name_text"}},
		{"zero-width space in trade name", func(f *kaiban.Form) {
			f.Company.NameParts.TradeName, f.Company.Name = "云\u200b启", "沈阳云\u200b启软件科技有限公司"
		}, map[string]string{"company.nameParts.tradeName": "trade_name", "company.name": "name_text"}},
		{"radical-supplement look-alike in trade name", func(f *kaiban.Form) {
			f.Company.NameParts.TradeName, f.Company.Name = "\u2ec4云", "沈阳\u2ec4云软件科技有限公司" // ⻘ for 青
		}, map[string]string{"company.nameParts.tradeName": "trade_name", "company.name": "name_text"}},
		{"unified ideograph of the compatibility block in industry", func(f *kaiban.Form) {
			f.Company.NameParts.Industry, f.Company.Name = "软件\ufa11", "沈阳云启软件\ufa11有限公司" // 﨑
		}, map[string]string{"company.nameParts.industry": "han", "company.name": "name_text"}},
		{"Kangxi radicals in the region", func(f *kaiban.Form) {
			f.Company.NameParts.Region, f.Company.Name = "沈\u2f89", "沈阳云启软件科技有限公司" // ⾉ is not 阳
		}, map[string]string{"company.nameParts.region": "name_region", "company.name": "company_name"}},
		{"Hangul fillers as a person's name", func(f *kaiban.Form) { f.LegalRepresentative.Name = "\u115f\u1160" },
			map[string]string{"legalRepresentative.name": "person_name"}},
		{"Hangul compatibility filler as a director's name", func(f *kaiban.Form) { f.Directors[0].Name = "\u3164" },
			map[string]string{"directors[0].name": "person_name"}},
		{"halfwidth Hangul filler in a liaison's name", func(f *kaiban.Form) { f.Liaison.Name = "张\uffa0伟" },
			map[string]string{"liaison.name": "person_name"}},
		{"braille blank as a manager's name", func(f *kaiban.Form) { f.Manager.Name = "\u2800" },
			map[string]string{"manager.name": "person_name"}},
		{"radical in a supervisor's name", func(f *kaiban.Form) { f.Supervisors[0].Name = "李\u2ea3" },
			map[string]string{"supervisors[0].name": "person_name"}},
		{"Hangul filler as a shareholder's name", func(f *kaiban.Form) { f.Shareholders[1].Name = "\u3164" },
			map[string]string{"shareholders[1].name": "name_text"}},
		{"digits in a natural-person shareholder's name", func(f *kaiban.Form) { f.Shareholders[1].Name = "李娜2" },
			map[string]string{"shareholders[1].name": "person_name"}},
		{"Hangul filler in an enterprise shareholder's name", func(f *kaiban.Form) {
			f.Shareholders[1] = kaiban.Shareholder{Kind: kaiban.HolderEnterprise, Name: "沈阳\u3164投资有限公司", CreditCode: enterprise, Representative: holderRep(),
				Contribution: f.Shareholders[1].Contribution}
		}, map[string]string{"shareholders[1].name": "name_text"}},
		{"Hangul filler as the carving shop", func(f *kaiban.Form) { f.Seals.CarvingShop = "\u3164\u3164" },
			map[string]string{"seals.carvingShop": "name_text"}},
		{"rare given name of extension B", func(f *kaiban.Form) { f.FinanceOfficer.Name = "陈\U00020087" }, nil},
		{"minority name with a katakana middle dot", func(f *kaiban.Form) { f.TaxHandler.Name = "买买提・艾力" }, nil},
		{"foreign resident's Latin name", func(f *kaiban.Form) { f.TaxHandler.Name = "Anna-Lena Müller" }, nil},
		{"Korean script name", func(f *kaiban.Form) { f.TaxHandler.Name = "김민준" },
			map[string]string{"taxHandler.name": "person_name"}},

		// address, scope
		{"prefecture code is not county-level", func(f *kaiban.Form) { f.Company.Address.RegionCode = "210100" },
			map[string]string{"company.address.regionCode": "ln_region"}},
		{"region outside Liaoning", func(f *kaiban.Form) { f.Company.Address.RegionCode = "110105" },
			map[string]string{"company.address.regionCode": "ln_region"}},
		{"duplicate scope item", func(f *kaiban.Form) { f.Company.BusinessScope = []string{"I001", "I001"} },
			map[string]string{"company.businessScope": "unique"}},
		{"no scope", func(f *kaiban.Form) { f.Company.BusinessScope = nil },
			map[string]string{"company.businessScope": "required"}},

		// capital
		{"contributions exceed capital", func(f *kaiban.Form) { f.Shareholders[0].Contribution.Amount = 700000 },
			map[string]string{"company.registeredCapital": "capital_sum"}},
		{"contributions overflow int64", func(f *kaiban.Form) {
			f.Shareholders[0].Contribution.Amount = 1<<63 - 1
		}, map[string]string{"company.registeredCapital": "capital_sum"}},
		{"due exactly five years after founding", func(f *kaiban.Form) {
			f.Shareholders[0].Contribution.DueDate = "2031-11-27"
		}, nil},
		{"due a day later", func(f *kaiban.Form) { f.Shareholders[1].Contribution.DueDate = "2031-11-28" },
			map[string]string{"shareholders[1].contribution.dueDate": "capital_due"}},
		{"five-year rule is for LLCs only", func(f *kaiban.Form) {
			f.Company.Type, f.Company.NameParts.OrgForm, f.Company.Name = kaiban.CompanyJointStock, "股份有限公司", "沈阳云启软件科技股份有限公司"
			f.Shareholders[1].Contribution.DueDate = "2035-01-01"
		}, nil},
		{"due date in the past", func(f *kaiban.Form) { f.Shareholders[0].Contribution.DueDate = "2026-11-26" },
			map[string]string{"shareholders[0].contribution.dueDate": "not_past"}},
		{"due date not a date", func(f *kaiban.Form) { f.Shareholders[0].Contribution.DueDate = "2030-02-30" },
			map[string]string{"shareholders[0].contribution.dueDate": "date"}},

		// shareholders
		{"51 shareholders in an LLC", func(f *kaiban.Form) {
			f.Shareholders = manyHolders(51, f.Company.RegisteredCapital)
		}, map[string]string{"shareholders": "llc_holders"}},
		{"50 shareholders in an LLC", func(f *kaiban.Form) {
			f.Shareholders = manyHolders(50, f.Company.RegisteredCapital)
		}, nil},
		{"no shareholders", func(f *kaiban.Form) { f.Shareholders = nil },
			map[string]string{"shareholders": "required"}},
		{"natural person without ID", func(f *kaiban.Form) { f.Shareholders[1].IDNumber = "" },
			map[string]string{"shareholders[1].idNumber": "required_if"}},
		{"enterprise shareholder", func(f *kaiban.Form) {
			f.Shareholders[1] = kaiban.Shareholder{Kind: kaiban.HolderEnterprise, Name: "沈阳浑南科创投资有限公司", CreditCode: enterprise, Representative: holderRep(),
				Contribution: f.Shareholders[1].Contribution}
		}, nil},
		{"enterprise without credit code", func(f *kaiban.Form) {
			f.Shareholders[1] = kaiban.Shareholder{Kind: kaiban.HolderEnterprise, Name: "沈阳浑南科创投资有限公司", Representative: holderRep(),
				Contribution: f.Shareholders[1].Contribution}
		}, map[string]string{"shareholders[1].creditCode": "required_if"}},
		{"same enterprise twice", func(f *kaiban.Form) {
			c := f.Shareholders[1].Contribution
			c.Amount = 200000
			e := kaiban.Shareholder{Kind: kaiban.HolderEnterprise, Name: "甲", CreditCode: enterprise, Representative: holderRep(), Contribution: c}
			f.Shareholders = []kaiban.Shareholder{f.Shareholders[0], e, e}
		}, map[string]string{"shareholders[2].creditCode": "unique_holder"}},
		{"enterprise without its representative", func(f *kaiban.Form) {
			f.Shareholders[1] = kaiban.Shareholder{Kind: kaiban.HolderEnterprise, Name: "沈阳浑南科创投资有限公司", CreditCode: enterprise,
				Contribution: f.Shareholders[1].Contribution}
		}, map[string]string{"shareholders[1].representative": "required"}},
		{"enterprise representative without a mobile", func(f *kaiban.Form) {
			r := holderRep()
			r.Mobile = ""
			f.Shareholders[1] = kaiban.Shareholder{Kind: kaiban.HolderEnterprise, Name: "沈阳浑南科创投资有限公司", CreditCode: enterprise,
				Representative: r, Contribution: f.Shareholders[1].Contribution}
		}, map[string]string{"shareholders[1].representative.mobile": "required"}},
		{"natural person without a mobile", func(f *kaiban.Form) { f.Shareholders[1].Mobile = "" },
			map[string]string{"shareholders[1].mobile": "required_if"}},
		{"shareholder with a bad mobile", func(f *kaiban.Form) { f.Shareholders[1].Mobile = "12840012345" },
			map[string]string{"shareholders[1].mobile": "cn_mobile"}},
		{"director without a mobile", func(f *kaiban.Form) { f.Directors[0].Mobile = "" },
			map[string]string{"directors[0].mobile": "required"}},
		{"manager with a bad email", func(f *kaiban.Form) { f.Manager.Email = "wl@" },
			map[string]string{"manager.email": "email"}},
		{"unknown holder kind", func(f *kaiban.Form) { f.Shareholders[0].Kind = "PERSON" },
			map[string]string{"shareholders[0].kind": "oneof"}},

		// legal representative
		{"18 today", func(f *kaiban.Form) { setRep(f, born2008) }, nil},
		{"18 tomorrow", func(f *kaiban.Form) { setRep(f, born2008Next) },
			map[string]string{"legalRepresentative.idNumber": "adult", "directors[0].idNumber": "adult"}},
		{"manager as legal representative", func(f *kaiban.Form) {
			f.LegalRepresentative.IDNumber = f.Manager.IDNumber
		}, nil},
		{"neither director nor manager", func(f *kaiban.Form) { f.Directors = nil },
			map[string]string{"legalRepresentative": "legal_rep_office"}},
		{"bad mobile", func(f *kaiban.Form) { f.LegalRepresentative.Mobile = "12840012345" },
			map[string]string{"legalRepresentative.mobile": "cn_mobile"}},
		{"bad email", func(f *kaiban.Form) { f.LegalRepresentative.Email = "zhangwei@" },
			map[string]string{"legalRepresentative.email": "email"}},
		{"ID of someone born tomorrow", func(f *kaiban.Form) { f.Supervisors[0].IDNumber = bornTomorrow },
			map[string]string{"supervisors[0].idNumber": "cn_idcard"}},

		// every natural person in a role is an adult (baby: 11 months old)
		{"baby as a second director", func(f *kaiban.Form) {
			f.Directors = append(f.Directors, kaiban.Officer{Name: "张小宝", IDNumber: baby, Mobile: "13800001111", Role: "董事"})
		}, map[string]string{"directors[1].idNumber": "adult"}},
		{"17-year-old supervisor", func(f *kaiban.Form) { f.Supervisors[0].IDNumber = born2008Next },
			map[string]string{"supervisors[0].idNumber": "adult"}},
		{"supervisor 18 today", func(f *kaiban.Form) { f.Supervisors[0].IDNumber = born2008 }, nil},
		{"baby manager", func(f *kaiban.Form) { f.Manager.IDNumber = baby },
			map[string]string{"manager.idNumber": "adult"}},
		{"baby finance officer", func(f *kaiban.Form) { f.FinanceOfficer.IDNumber = baby },
			map[string]string{"financeOfficer.idNumber": "adult"}},
		{"baby tax handler", func(f *kaiban.Form) { f.TaxHandler.IDNumber = baby },
			map[string]string{"taxHandler.idNumber": "adult"}},
		{"baby liaison", func(f *kaiban.Form) { f.Liaison.IDNumber = baby },
			map[string]string{"liaison.idNumber": "adult"}},
		{"baby natural-person shareholder", func(f *kaiban.Form) { f.Shareholders[1].IDNumber = baby },
			map[string]string{"shareholders[1].idNumber": "adult"}},

		// seals, invoices, fund
		{"duplicate seal", func(f *kaiban.Form) {
			f.Seals.Types = []kaiban.SealType{kaiban.SealOfficial, kaiban.SealFinance, kaiban.SealFinance}
		}, map[string]string{"seals.types": "unique"}},
		{"unknown seal", func(f *kaiban.Form) {
			f.Seals.Types = []kaiban.SealType{kaiban.SealOfficial, "ROUND"}
		}, map[string]string{"seals.types[1]": "oneof"}},
		{"special VAT 25 a month", func(f *kaiban.Form) { f.Tax.Invoices[1].MonthlyQuantity = 25 }, nil},
		{"special VAT 26 a month", func(f *kaiban.Form) { f.Tax.Invoices[1].MonthlyQuantity = 26 },
			map[string]string{"tax.invoices[1].monthlyQuantity": "invoice_quantity"}},
		{"ordinary 50 a month", func(f *kaiban.Form) { f.Tax.Invoices[0].MonthlyQuantity = 50 }, nil},
		{"ordinary 51 a month", func(f *kaiban.Form) { f.Tax.Invoices[0].MonthlyQuantity = 51 },
			map[string]string{"tax.invoices[0].monthlyQuantity": "invoice_quantity"}},
		{"invoice limit 100,001", func(f *kaiban.Form) { f.Tax.Invoices[1].MaxAmount = 100001 },
			map[string]string{"tax.invoices[1].maxAmount": "invoice_amount"}},
		{"same invoice kind twice", func(f *kaiban.Form) { f.Tax.Invoices[1].Kind = kaiban.InvoiceOrdinaryVAT },
			map[string]string{"tax.invoices": "unique"}},
		{"fund rate 5", func(f *kaiban.Form) { f.Employment.HousingFundRate = 5 }, nil},
		{"fund rate 4.5", func(f *kaiban.Form) { f.Employment.HousingFundRate = 4.5 },
			map[string]string{"employment.housingFundRate": "fund_rate"}},
		{"fund rate 12.5", func(f *kaiban.Form) { f.Employment.HousingFundRate = 12.5 },
			map[string]string{"employment.housingFundRate": "fund_rate"}},

		// plausible date windows (submitted 2026-11-27)
		{"social insurance from 0000-01-01", func(f *kaiban.Form) { f.Employment.SocialInsuranceFrom = "0000-01-01" },
			map[string]string{"employment.socialInsuranceFrom": "si_window"}},
		{"social insurance from 9999-12-31", func(f *kaiban.Form) { f.Employment.SocialInsuranceFrom = "9999-12-31" },
			map[string]string{"employment.socialInsuranceFrom": "si_window"}},
		{"social insurance from the last day of the previous month", func(f *kaiban.Form) {
			f.Employment.SocialInsuranceFrom = "2026-10-31"
		}, map[string]string{"employment.socialInsuranceFrom": "si_window"}},
		{"social insurance from the first of the submission month", func(f *kaiban.Form) {
			f.Employment.SocialInsuranceFrom = "2026-11-01"
		}, nil},
		{"social insurance from a year ahead", func(f *kaiban.Form) { f.Employment.SocialInsuranceFrom = "2027-11-27" }, nil},
		{"social insurance from a year and a day ahead", func(f *kaiban.Form) {
			f.Employment.SocialInsuranceFrom = "2027-11-28"
		}, map[string]string{"employment.socialInsuranceFrom": "si_window"}},
		{"bank appointment in 9999", func(f *kaiban.Form) { f.Bank.AppointmentDate = "9999-12-31" },
			map[string]string{"bank.appointmentDate": "bank_window"}},
		{"bank appointment 60 days ahead", func(f *kaiban.Form) { f.Bank.AppointmentDate = "2027-01-26" }, nil},
		{"bank appointment 61 days ahead", func(f *kaiban.Form) { f.Bank.AppointmentDate = "2027-01-27" },
			map[string]string{"bank.appointmentDate": "bank_window"}},
		{"joint-stock contribution due 9999-12-31", func(f *kaiban.Form) {
			f.Company.Type, f.Company.NameParts.OrgForm, f.Company.Name = kaiban.CompanyJointStock, "股份有限公司", "沈阳云启软件科技股份有限公司"
			f.Shareholders[1].Contribution.DueDate = "9999-12-31"
		}, map[string]string{"shareholders[1].contribution.dueDate": "due_window"}},
		{"LLC contribution due 9999-12-31 is the five-year rule's", func(f *kaiban.Form) {
			f.Shareholders[1].Contribution.DueDate = "9999-12-31"
		}, map[string]string{"shareholders[1].contribution.dueDate": "capital_due"}},
		{"due after a 3-year operating term", func(f *kaiban.Form) {
			f.Company.OperatingTerm = 3
			f.Shareholders[0].Contribution.DueDate = "2029-11-28"
			f.Shareholders[1].Contribution.DueDate = "2027-06-30"
		}, map[string]string{"shareholders[0].contribution.dueDate": "due_window"}},
		{"due at the end of a 3-year operating term", func(f *kaiban.Form) {
			f.Company.OperatingTerm = 3
			f.Shareholders[0].Contribution.DueDate = "2029-11-27"
			f.Shareholders[1].Contribution.DueDate = "2027-06-30"
		}, nil},

		// bank and branch (CNAPS numbers)
		{"markup as bank code", func(f *kaiban.Form) { f.Bank.BankCode = "<svg/onload=alert(1)>" },
			map[string]string{"bank.bankCode": "bank_code"}},
		{"markup as branch code", func(f *kaiban.Form) { f.Bank.BranchCode = "<svg/onload=alert(1)>" },
			map[string]string{"bank.branchCode": "branch_code"}},
		{"bank name instead of code", func(f *kaiban.Form) { f.Bank.BankCode = "ICBC" },
			map[string]string{"bank.bankCode": "bank_code"}},
		{"4-digit bank code", func(f *kaiban.Form) { f.Bank.BankCode = "1020" },
			map[string]string{"bank.bankCode": "bank_code"}},
		{"11-digit branch", func(f *kaiban.Form) { f.Bank.BranchCode = "10222100001" },
			map[string]string{"bank.branchCode": "branch_code"}},
		{"fullwidth digits in branch", func(f *kaiban.Form) { f.Bank.BranchCode = "１０２２２１０００００１０" },
			map[string]string{"bank.branchCode": "branch_code"}},
		{"branch of another bank", func(f *kaiban.Form) { f.Bank.BankCode = "105" },
			map[string]string{"bank.branchCode": "branch_bank"}},
		{"unavailable-branch trigger still valid", func(f *kaiban.Form) { f.Bank.BranchCode = "102221000999" }, nil},
		{"CCB branch", func(f *kaiban.Form) { f.Bank.BankCode, f.Bank.BranchCode = "105", "105221000128" }, nil},

		// the pickers' lists: branch and engraver of the company's city
		{"branch in Dalian for a Shenyang company", func(f *kaiban.Form) { f.Bank.BranchCode = "102222000010" },
			map[string]string{"bank.branchCode": "branch_city"}},
		{"well-formed branch number in no list", func(f *kaiban.Form) { f.Bank.BranchCode = "102221009990" },
			map[string]string{"bank.branchCode": "branch_city"}},
		{"carving shop typed freely", func(f *kaiban.Form) { f.Seals.CarvingShop = "沈阳市随便刻章店" },
			map[string]string{"seals.carvingShop": "carving_shop"}},
		{"Dalian company with Dalian branch and engraver", inDalian, nil},
		{"Dalian company keeping Shenyang's branch and engraver", func(f *kaiban.Form) {
			inDalian(f)
			f.Bank.BranchCode, f.Seals.CarvingShop = "102221000010", "沈阳市浑南区诚信印章刻制有限公司"
		}, map[string]string{"bank.branchCode": "branch_city", "seals.carvingShop": "carving_shop"}},

		// bank appointment (submitted Friday 2026-11-27)
		{"appointment today", func(f *kaiban.Form) { f.Bank.AppointmentDate = "2026-11-27" }, nil},
		{"appointment yesterday", func(f *kaiban.Form) { f.Bank.AppointmentDate = "2026-11-26" },
			map[string]string{"bank.appointmentDate": "not_past"}},
		{"appointment on a Sunday", func(f *kaiban.Form) { f.Bank.AppointmentDate = "2026-11-29" },
			map[string]string{"bank.appointmentDate": "workday"}},
		{"appointment on New Year's Day 2027 (Friday)", func(f *kaiban.Form) { f.Bank.AppointmentDate = "2027-01-01" },
			map[string]string{"bank.appointmentDate": "workday"}},
		{"appointment on Spring Festival eve 2027 (Friday)", func(f *kaiban.Form) { f.Bank.AppointmentDate = "2027-02-05" },
			map[string]string{"bank.appointmentDate": "workday"}},
		{"appointment date malformed", func(f *kaiban.Form) { f.Bank.AppointmentDate = "2027/01/06" },
			map[string]string{"bank.appointmentDate": "date"}},

		// consent and missing blocks
		{"not truthful", func(f *kaiban.Form) { f.Consent.Truthful = false },
			map[string]string{"consent.truthful": "accepted"}},
		{"no consent at all", func(f *kaiban.Form) { f.Consent = kaiban.Consent{} },
			map[string]string{"consent.truthful": "accepted", "consent.dataSharing": "accepted"}},
		{"no tax block", func(f *kaiban.Form) { f.Tax = kaiban.Tax{} },
			map[string]string{"tax": "required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := validForm(t)
			tt.change(&f)
			for _, lang := range []validate.Lang{validate.LangZH, validate.LangEN} {
				err := shared.Validate(&f, submitted, lang)
				if tt.want == nil {
					if err != nil {
						t.Fatalf("rejected: %v (%v)", err, asError(t, err).Fields)
					}
					continue
				}
				e := asError(t, err)
				if e.Name != kaiban.ErrValidation {
					t.Errorf("name = %s", e.Name)
				}
				if got := codes(e); !maps.Equal(got, tt.want) {
					t.Errorf("%s: fields %v, want %v", lang, got, tt.want)
				}
				assertLanguage(t, e, lang)
			}
		})
	}
}

// setRep makes id the legal representative and sole director.
func setRep(f *kaiban.Form, id string) {
	f.LegalRepresentative.IDNumber = id
	f.Directors[0].IDNumber = id
}

// manyHolders returns n distinct natural-person shareholders whose
// contributions sum to capital.
func manyHolders(n int, capital int64) []kaiban.Shareholder {
	hs := make([]kaiban.Shareholder, n)
	share := capital / int64(n)
	for i := range hs {
		amount := share
		if i == 0 {
			amount += capital - share*int64(n)
		}
		hs[i] = kaiban.Shareholder{
			Kind: kaiban.HolderNaturalPerson, Name: "股东" + string(rune(0x4E00+i)),
			IDNumber:     idWithSequence(i),
			Mobile:       "13800001111",
			Contribution: kaiban.Contribution{Amount: amount, Method: "CURRENCY", DueDate: "2030-12-31"},
		}
	}
	return hs
}

// idWithSequence returns a valid ID number born 1980-01-01 with sequence i.
func idWithSequence(i int) string { return idBorn("19800101", i) }

// idBorn returns a valid Shenyang ID number of someone born on yyyymmdd,
// with sequence i.
func idBorn(yyyymmdd string, i int) string {
	body := "210102" + yyyymmdd + leftPad(strconv.Itoa(100+i), 3)
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k := 0; k < 17; k++ {
		sum += int(body[k]-'0') * w[k]
	}
	return body + string("10X98765432"[sum%11])
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}

// Names are stored in their normalised form: look-alikes with a standard
// twin become that twin, and the company name still equals its parts.
func TestNamesAreStoredNormalised(t *testing.T) {
	body := strings.NewReplacer(
		`"name": "沈阳云启软件科技有限公司"`, `"name": "沈阳\u2f47启软件科技有限公司"`, // Kangxi radical ⽇ → 日
		`"tradeName": "云启"`, `"tradeName": "\u2f47启"`,
		`"name": "王磊"`, `"name": "\uf9d0磊"`, // 類 compatibility ideograph → 類
		`"carvingShop": "沈阳市浑南区诚信印章刻制有限公司"`, `"carvingShop": "沈阳市浑南区诚信印章刻制(普通合伙)"`,
	).Replace(string(mustExample(t, "valid-llc.json")))
	f, err := shared.Check([]byte(body), submitted, validate.LangZH)
	if err != nil {
		t.Fatalf("rejected: %v (%+v)", err, asError(t, err).Fields)
	}
	for _, c := range []struct{ field, got, want string }{
		{"company.nameParts.tradeName", f.Company.NameParts.TradeName, "日启"},
		{"company.name", f.Company.Name, "沈阳日启软件科技有限公司"},
		{"manager.name", f.Manager.Name, "類磊"},
		{"seals.carvingShop", f.Seals.CarvingShop, "沈阳市浑南区诚信印章刻制（普通合伙）"},
	} {
		if c.got != c.want {
			t.Errorf("%s stored as %q, want %q", c.field, c.got, c.want)
		}
	}
	g := validForm(t)
	g.TaxHandler.Name = "买买提・艾力"
	g.Liaison.Name = "\u3000张伟 "
	if err := shared.Validate(&g, submitted, validate.LangEN); err != nil || g.TaxHandler.Name != "买买提·艾力" || g.Liaison.Name != "张伟" {
		t.Errorf("%v: stored %q and %q, want the ID card's middle dot U+00B7 and no surrounding spaces", err, g.TaxHandler.Name, g.Liaison.Name)
	}
	g.Liaison.Name = "\u3000 "
	if got := codes(asError(t, shared.Validate(&g, submitted, validate.LangEN))); got["liaison.name"] != "required" {
		t.Errorf("a name of spaces: %v, want liaison.name required", got)
	}
}

// A window's message names both bounds in the request's language.
func TestDateWindowMessages(t *testing.T) {
	f := validForm(t)
	f.Employment.SocialInsuranceFrom = "0000-01-01"
	for lang, want := range map[validate.Lang]string{
		validate.LangZH: "社会保险参保起始日期须在2026-11-01至2027-11-27之间",
		validate.LangEN: "between 2026-11-01 and 2027-11-27",
	} {
		e := asError(t, shared.Validate(&f, submitted, lang))
		if len(e.Fields) != 1 || !strings.Contains(e.Fields[0].Message, want) {
			t.Errorf("%s: %+v, want a message with %q", lang, e.Fields, want)
		}
	}
}

func TestValidateNilForm(t *testing.T) {
	e := asError(t, shared.Validate(nil, submitted, validate.LangEN))
	if e.Name != kaiban.ErrValidation || len(e.Fields) != 1 {
		t.Errorf("Validate(nil) = %+v", e)
	}
}

// The submission time, not the wall clock, decides date rules: the same
// form is valid when submitted in 2026 and not when submitted in 2027.
func TestValidateUsesSubmissionTime(t *testing.T) {
	f := validForm(t)
	if err := shared.Validate(&f, submitted, validate.LangZH); err != nil {
		t.Fatalf("valid at submission: %v", err)
	}
	later := time.Date(2027, 1, 7, 9, 0, 0, 0, validate.CST)
	e := asError(t, shared.Validate(&f, later, validate.LangZH))
	if got := codes(e); got["bank.appointmentDate"] != "not_past" {
		t.Errorf("a week later: %v, want bank.appointmentDate not_past", got)
	}
	// 23:30 UTC on 26 Nov is already 27 Nov in Shenyang.
	utc := time.Date(2026, 11, 26, 23, 30, 0, 0, time.UTC)
	f.Bank.AppointmentDate = "2026-11-27"
	if err := shared.Validate(&f, utc, validate.LangZH); err != nil {
		t.Errorf("today in CST rejected when now is given in UTC: %v", err)
	}
}

func TestValidatorIsSafeForConcurrentUse(t *testing.T) {
	v := validate.New()
	body := mustExample(t, "invalid-five-faults.json")
	done := make(chan int, 8)
	for g := 0; g < 8; g++ {
		go func() {
			n := 0
			for i := 0; i < 50; i++ {
				lang := validate.LangZH
				if i%2 == 1 {
					lang = validate.LangEN
				}
				_, err := v.Check(body, submitted, lang)
				var e *kaiban.Error
				if ok := asErrorNoFail(err, &e); ok {
					n += len(e.Fields)
				}
			}
			done <- n
		}()
	}
	for g := 0; g < 8; g++ {
		if n := <-done; n != 50*5 {
			t.Errorf("goroutine saw %d field errors, want %d", n, 50*5)
		}
	}
}

func asErrorNoFail(err error, e **kaiban.Error) bool {
	ke, ok := err.(*kaiban.Error)
	*e = ke
	return ok
}

// Validate writes only names that change, so one normalised form can be
// validated from several goroutines (run with -race).
func TestValidateSharedFormConcurrently(t *testing.T) {
	f := validForm(t)
	done := make(chan error, 4)
	for range 4 {
		go func() { done <- shared.Validate(&f, submitted, validate.LangZH) }()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// inDalian moves the valid example's company to Zhongshan district of
// Dalian, with a Dalian branch and engraver.
func inDalian(f *kaiban.Form) {
	f.Company.Address.RegionCode, f.Company.Address.PostalCode = "210202", "116001"
	f.Company.NameParts.Region = "大连"
	f.Company.Name = "大连" + f.Company.NameParts.TradeName + f.Company.NameParts.Industry + f.Company.NameParts.OrgForm
	f.Bank.BranchCode = "102222000010"
	f.Seals.CarvingShop = "大连市中山区鑫诚印章刻制有限公司"
}

// The picker errors say which city's list applies.
func TestPickerMessagesNameTheCity(t *testing.T) {
	f := validForm(t)
	f.Bank.BranchCode = "102222000010"
	for _, tt := range []struct {
		lang validate.Lang
		want string
	}{{validate.LangZH, "沈阳市"}, {validate.LangEN, "branches in the city of the registered address"}} {
		err := shared.Validate(&f, submitted, tt.lang)
		e := asError(t, err)
		if len(e.Fields) != 1 || e.Fields[0].Field != "bank.branchCode" || !strings.Contains(e.Fields[0].Message, tt.want) {
			t.Errorf("%s: %+v, want bank.branchCode naming %q", tt.lang, e.Fields, tt.want)
		}
	}
}

// holderRep is an enterprise shareholder's legal representative.
func holderRep() *kaiban.Representative {
	return &kaiban.Representative{Name: "刘洋", IDNumber: "21010519800101001X", Mobile: "13609876543"}
}
