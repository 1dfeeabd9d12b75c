package kaiban_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func agencyForm() kaiban.Form {
	rep := kaiban.Officer{Name: "张伟", IDNumber: "11010519491231002X", Role: "执行董事"}
	return kaiban.Form{
		Company:             kaiban.Company{Name: "沈阳星河科技有限公司", Address: kaiban.Address{RegionCode: "210102", Detail: "南京北街1号"}},
		LegalRepresentative: kaiban.LegalRep{Name: "张伟", IDNumber: "11010519491231002X", Mobile: "13812345678"},
		Shareholders: []kaiban.Shareholder{
			{Kind: kaiban.HolderNaturalPerson, Name: "张伟", IDNumber: "11010519491231002X"},
			{Kind: kaiban.HolderNaturalPerson, Name: "李娜", IDNumber: "34052419800101001X"},
			{Kind: kaiban.HolderEnterprise, Name: "远航投资", CreditCode: "91440300708461136T"},
		},
		Directors:      []kaiban.Officer{rep},
		Manager:        &rep,
		FinanceOfficer: kaiban.Contact{Name: "刘洋", IDNumber: "370101190102039973", Mobile: "13912345678"},
		TaxHandler:     kaiban.Contact{Name: "刘洋", IDNumber: "370101190102039973", Mobile: "13912345678"},
		Liaison:        kaiban.Contact{Name: "李娜", IDNumber: "34052419800101001X", Mobile: "13712345678"},
		Employment:     kaiban.Employment{SocialInsuranceFrom: "2030-07", HousingFundRate: 8},
		Bank:           kaiban.Bank{BankCode: "102", BranchCode: "102221000123", AppointmentDate: "2030-06-03", Slot: "AM"},
	}
}

func TestPersonsVerifiesEachPersonOnce(t *testing.T) {
	f := agencyForm()
	got := f.Persons()
	want := []kaiban.Person{
		{Role: "legalRepresentative", Name: "张伟", IDNumber: "11010519491231002X"},
		{Role: "shareholder", Name: "李娜", IDNumber: "34052419800101001X"},
		{Role: "financeOfficer", Name: "刘洋", IDNumber: "370101190102039973"},
	}
	if len(got) != len(want) {
		t.Fatalf("Persons() = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Persons()[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestRequestBuildersKeyAndRoute(t *testing.T) {
	f := agencyForm()
	tests := []struct {
		name    string
		call    kaiban.AgencyCall
		wantKey string
	}{
		{"identity", kaiban.NewIdentityRequest("a1", &f).Call(), "a1:identity"},
		{"name check", kaiban.NewNameCheckRequest("a1", &f).Call(), "a1:nameCheck"},
		{"reserve", kaiban.NewNameReservationRequest("a1", &f, "att").Call(), "a1:reserve"},
		{"credit code", kaiban.NewCreditCodeRequest("a1", &f, "r").Call(), "a1:creditCode"},
		{"licence", kaiban.NewLicenseRequest("a1", &f, "cc", "att", "r").Call(), "a1:license"},
		{"seal", kaiban.NewSealRequest("a1", &f, "cc", "att").Call(), "a1:seal"},
		{"tax", kaiban.NewTaxRequest("a1", &f, "cc", "att").Call(), "a1:tax"},
		{"social", kaiban.NewEmployerRequest(kaiban.TrackSocialInsurance, "a1", &f, "cc", "att").Call(), "a1:socialInsurance"},
		{"fund", kaiban.NewEmployerRequest(kaiban.TrackHousingFund, "a1", &f, "cc", "att").Call(), "a1:housingFund"},
		{"bank", kaiban.NewBankRequest("a1", &f, "cc", "att").Call(), "a1:bank"},
		{"cancel seal", kaiban.NewCancelRequest("a1", "seal", &f, "", "why").Call(), "a1:seal:cancel"},
	}
	for _, tt := range tests {
		if tt.call.IdempotencyKey != tt.wantKey || tt.call.ApplicationID != "a1" || tt.call.RegionCode != "210102" {
			t.Errorf("%s: call %+v, want key %s, application a1, region 210102", tt.name, tt.call, tt.wantKey)
		}
	}
	if c := kaiban.NewCancelRequest("a1", "seal", &f, "", "why"); c.Of != "a1:seal" {
		t.Errorf("cancel undoes %q, want a1:seal", c.Of)
	}
}

func TestRequestsCarryOnlyWhatTheAgencyNeeds(t *testing.T) {
	f := agencyForm()
	encode := func(v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name      string
		body      string
		forbidden []string
	}{
		{"bank", encode(kaiban.NewBankRequest("a1", &f, "cc", "att")), []string{"11010519491231002X", "34052419800101001X", "370101190102039973", "李娜", "远航投资", "13912345678"}},
		{"seal", encode(kaiban.NewSealRequest("a1", &f, "cc", "att")), []string{"34052419800101001X", "370101190102039973", "李娜", "13812345678"}},
		{"social", encode(kaiban.NewEmployerRequest(kaiban.TrackSocialInsurance, "a1", &f, "cc", "att")), []string{"11010519491231002X", "370101190102039973", "contributionRate", "远航投资"}},
		{"tax", encode(kaiban.NewTaxRequest("a1", &f, "cc", "att")), []string{"34052419800101001X", "远航投资"}},
		{"identity key not in body", encode(kaiban.NewIdentityRequest("a1", &f)), []string{"a1:identity"}},
	}
	for _, tt := range tests {
		for _, s := range tt.forbidden {
			if strings.Contains(tt.body, s) {
				t.Errorf("%s request contains %q: %s", tt.name, s, tt.body)
			}
		}
	}
	if r := kaiban.NewEmployerRequest(kaiban.TrackHousingFund, "a1", &f, "cc", "att"); r.ContributionRate != 8 {
		t.Errorf("fund request rate = %v, want 8", r.ContributionRate)
	}
}

func TestAgencyFor(t *testing.T) {
	seen := map[kaiban.AgencyKind]bool{}
	for _, tr := range kaiban.Tracks {
		k := kaiban.AgencyFor(tr)
		if !k.Valid() || seen[k] {
			t.Errorf("AgencyFor(%s) = %q: want a distinct valid agency", tr, k)
		}
		seen[k] = true
	}
	if kaiban.AgencyFor("name") != "" || kaiban.AgencyKind("police").Valid() {
		t.Error("unknown track or agency accepted")
	}
}
