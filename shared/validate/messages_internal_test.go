package validate

import (
	"strings"
	"testing"
	"unicode"
)

// structCodes are the codes the struct-level rules report.
var structCodes = []string{"name_region", "org_form", "company_name", "capital_sum", "capital_due",
	"llc_holders", "unique_holder", "legal_rep_office", "invoice_quantity"}

// Every custom tag and struct-level code has its own message in both
// languages: Chinese text for zh, no Chinese for en.
func TestEveryCustomCodeHasBothMessages(t *testing.T) {
	var all []string
	for tag := range fieldTags {
		all = append(all, tag)
	}
	all = append(all, structCodes...)
	for _, code := range all {
		m, ok := messages[code]
		if !ok {
			t.Errorf("%s has no message", code)
			continue
		}
		if !strings.ContainsFunc(m.zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%s: zh message %q has no Chinese", code, m.zh)
		}
		if m.en == "" || strings.ContainsFunc(m.en, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%s: en message %q", code, m.en)
		}
		if m.zh == m.en {
			t.Errorf("%s: same text in both languages", code)
		}
	}
}
