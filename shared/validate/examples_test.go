package validate_test

import (
	"maps"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// exampleCases lists what each example in infra/examples must produce;
// infra/examples/README.md describes the same files for people.
var exampleCases = []struct {
	file string
	name string            // error name, "" for valid
	want map[string]string // field → code
}{
	{"valid-llc.json", "", nil},
	{"invalid-five-faults.json", kaiban.ErrValidation, map[string]string{
		"company.address.postalCode": "cn_postcode",
		"company.businessScope[2]":   "scope_item",
		"shareholders[1].idNumber":   "cn_idcard",
		"liaison.mobile":             "cn_mobile",
		"consent.dataSharing":        "accepted",
	}},
	{"invalid-bad-checkdigits.json", kaiban.ErrValidation, map[string]string{
		"shareholders[1].creditCode": "uscc",
		"financeOfficer.idNumber":    "cn_idcard",
		"taxHandler.idNumber":        "cn_idcard",
	}},
	{"invalid-name-mismatch.json", kaiban.ErrValidation, map[string]string{
		"company.nameParts.tradeName": "trade_name",
		"company.nameParts.region":    "name_region",
		"company.nameParts.orgForm":   "org_form",
		"company.name":                "company_name",
	}},
	{"invalid-capital-sum.json", kaiban.ErrValidation, map[string]string{
		"company.registeredCapital":            "capital_sum",
		"shareholders[0].contribution.dueDate": "capital_due",
	}},
	{"invalid-invoice-limits.json", kaiban.ErrValidation, map[string]string{
		"tax.invoices[0].monthlyQuantity": "invoice_quantity",
		"tax.invoices[1].maxAmount":       "invoice_amount",
	}},
	{"invalid-minors.json", kaiban.ErrValidation, map[string]string{
		"legalRepresentative.idNumber": "adult",
		"directors[0].idNumber":        "adult",
	}},
	{"invalid-holders.json", kaiban.ErrValidation, map[string]string{
		"shareholders[1].idNumber": "unique_holder",
		"legalRepresentative":      "legal_rep_office",
	}},
	{"invalid-seals-bank-fund.json", kaiban.ErrValidation, map[string]string{
		"seals.types":                "official_seal",
		"employment.housingFundRate": "fund_rate",
		"bank.appointmentDate":       "workday",
	}},
	{"invalid-names-bank-dates.json", kaiban.ErrValidation, map[string]string{
		"company.name":                   "name_text",
		"company.nameParts.tradeName":    "trade_name",
		"supervisors[0].name":            "person_name",
		"liaison.idNumber":               "adult",
		"employment.socialInsuranceFrom": "si_window",
		"bank.branchCode":                "branch_code",
	}},
	{"invalid-malformed.json", kaiban.ErrMalformed, map[string]string{
		"compnay":                             "malformed",
		"company.registeredCapital":           "malformed",
		"shareholders[0].contribution.amount": "malformed",
		"consent.truthful":                    "malformed",
	}},
}

func TestExamples(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.json"))
	if err != nil || len(files) != len(exampleCases) {
		t.Fatalf("infra/examples has %d JSON files, the table covers %d: keep them in step", len(files), len(exampleCases))
	}
	for _, tc := range exampleCases {
		for _, lang := range []validate.Lang{validate.LangZH, validate.LangEN} {
			t.Run(tc.file+"/"+string(lang), func(t *testing.T) {
				_, err := shared.Check(mustExample(t, tc.file), submitted, lang)
				if tc.name == "" {
					if err != nil {
						t.Fatalf("valid example rejected: %v", err)
					}
					return
				}
				e := asError(t, err)
				if e.Name != tc.name {
					t.Errorf("error name = %s, want %s", e.Name, tc.name)
				}
				if got := codes(e); !maps.Equal(got, tc.want) {
					t.Errorf("fields = %v\nwant     %v", got, tc.want)
				}
				if len(e.Fields) != len(tc.want) {
					t.Errorf("%d fields reported, want %d (a field reported twice?)", len(e.Fields), len(tc.want))
				}
				assertLanguage(t, e, lang)
			})
		}
	}
}

// assertLanguage checks that every message is in the language asked for:
// Chinese messages contain Chinese; English ones contain none outside
// quoted values (the company name or region a message suggests).
func assertLanguage(t *testing.T, e *kaiban.Error, lang validate.Lang) {
	t.Helper()
	msgs := []string{e.Message}
	for _, f := range e.Fields {
		if f.Field == "" || f.Code == "" || f.Message == "" {
			t.Errorf("incomplete field error %+v", f)
		}
		msgs = append(msgs, f.Message)
	}
	for _, m := range msgs {
		switch lang {
		case validate.LangZH:
			if !hasHan(m) {
				t.Errorf("zh message %q has no Chinese", m)
			}
		case validate.LangEN:
			if hasHan(unquoted(m)) {
				t.Errorf("en message %q is not English", m)
			}
		}
		if strings.Contains(m, "Key: '") || strings.Contains(m, "Form.") {
			t.Errorf("message %q leaks validator internals", m)
		}
	}
}

// unquoted drops quoted parts and the list after "use one of:", which
// carry form values or official Chinese wording.
func unquoted(s string) string {
	if i := strings.Index(s, "use one of:"); i >= 0 {
		s = s[:i]
	}
	var b strings.Builder
	in := false
	for _, r := range s {
		if r == '"' {
			in = !in
			continue
		}
		if !in {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// The README promises that the five-fault example gives exactly these
// five corrections, in this order (form order), in both languages.
func TestFiveFaultsInFormOrder(t *testing.T) {
	want := []string{"company.address.postalCode", "company.businessScope[2]", "shareholders[1].idNumber", "liaison.mobile", "consent.dataSharing"}
	for _, lang := range []validate.Lang{validate.LangZH, validate.LangEN} {
		_, err := shared.Check(mustExample(t, "invalid-five-faults.json"), submitted, lang)
		e := asError(t, err)
		var got []string
		for _, f := range e.Fields {
			got = append(got, f.Field)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: fields %v, want %v", lang, got, want)
		}
		if kaiban.HTTPStatus(err) != 400 {
			t.Errorf("HTTPStatus = %d, want 400", kaiban.HTTPStatus(err))
		}
	}
}
