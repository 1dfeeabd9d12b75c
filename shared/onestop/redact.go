package onestop

import (
	"encoding/json"
	"strings"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// personalData lists the resident ID numbers and mobile numbers in a form:
// what the applicant view must never show, even if an agency echoes one
// in a result.
func personalData(f *kaiban.Form) []string {
	var out []string
	add := func(s string) {
		if len(s) >= 6 {
			out = append(out, s)
		}
	}
	add(f.LegalRepresentative.IDNumber)
	add(f.LegalRepresentative.Mobile)
	for _, h := range f.Shareholders {
		add(h.IDNumber)
		add(h.Mobile)
		if r := h.Representative; r != nil {
			add(r.IDNumber)
			add(r.Mobile)
		}
	}
	for _, o := range append(append([]kaiban.Officer{}, f.Directors...), f.Supervisors...) {
		add(o.IDNumber)
		add(o.Mobile)
	}
	if f.Manager != nil {
		add(f.Manager.IDNumber)
		add(f.Manager.Mobile)
	}
	for _, c := range []kaiban.Contact{f.FinanceOfficer, f.TaxHandler, f.Liaison} {
		add(c.IDNumber)
		add(c.Mobile)
	}
	return out
}

// redact masks every occurrence of a secret in s, keeping its first three
// and last two characters.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, mask(sec))
		}
	}
	return s
}

func mask(s string) string {
	if len(s) <= 5 {
		return strings.Repeat("*", len(s))
	}
	return s[:3] + strings.Repeat("*", len(s)-5) + s[len(s)-2:]
}

// redactJSON masks secrets inside the string values of a JSON document
// (decoding first, so escaped spellings are caught too). A result that does
// not parse is dropped rather than shown unchecked.
func redactJSON(raw json.RawMessage, secrets []string) json.RawMessage {
	if len(raw) == 0 {
		return nil
	}
	if len(secrets) == 0 {
		return raw
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil
	}
	b, err := json.Marshal(redactValue(v, secrets))
	if err != nil {
		return nil
	}
	return b
}

func redactValue(v any, secrets []string) any {
	switch x := v.(type) {
	case string:
		return redact(x, secrets)
	case []any:
		for i := range x {
			x[i] = redactValue(x[i], secrets)
		}
		return x
	case map[string]any:
		for k, e := range x {
			x[k] = redactValue(e, secrets)
		}
		return x
	}
	return v
}
