package validate

import (
	"reflect"
	"strings"
	"testing"
	"unicode"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// structCodes are the codes the struct-level rules report.
var structCodes = []string{"name_region", "org_form", "company_name", "capital_sum", "capital_due",
	"llc_holders", "unique_holder", "legal_rep_office", "invoice_quantity", "branch_bank",
	"si_window", "bank_window", "due_window"}

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

// Every tag on the form has Kaiban's own message: a built-in
// tag added to a struct without a text here would show only "invalid
// value".
func TestEveryFormTagHasItsOwnMessage(t *testing.T) {
	notRules := map[string]bool{"omitempty": true, "dive": true, "keys": true, "endkeys": true}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice || typ.Kind() == reflect.Array || typ.Kind() == reflect.Map {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] {
			return
		}
		seen[typ] = true
		for i := range typ.NumField() {
			f := typ.Field(i)
			for _, rule := range strings.Split(f.Tag.Get("validate"), ",") {
				tag, _, _ := strings.Cut(rule, "=")
				if tag == "" || notRules[tag] {
					continue
				}
				_, custom := messages[tag]
				_, builtin := builtinTags[tag]
				if !custom && !builtin {
					t.Errorf("%s.%s: tag %q has no message of its own", typ.Name(), f.Name, tag)
				}
			}
			walk(f.Type)
		}
	}
	walk(reflect.TypeOf(kaiban.Form{}))
	if len(seen) < 5 {
		t.Fatalf("walked only %d struct types of the form", len(seen))
	}
	han := func(s string) bool {
		return strings.ContainsFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) })
	}
	for tag, m := range builtinTags {
		for _, msg := range []message{m.plain, m.text, m.items, m.number} {
			if msg == (message{}) {
				continue
			}
			if !han(msg.zh) || msg.en == "" || han(msg.en) {
				t.Errorf("%s: zh %q, en %q", tag, msg.zh, msg.en)
			}
		}
	}
}

// Built-in tags read as Kaiban's messages, by the kind of value they limit.
func TestBuiltinMessagesByKind(t *testing.T) {
	type probe struct {
		Name   string   `json:"name" validate:"required,max=3"`
		Items  []string `json:"items" validate:"min=2"`
		Amount int      `json:"amount" validate:"gt=0"`
		Kind   string   `json:"kind" validate:"oneof=LLC SOLE"`
	}
	v := New()
	for _, tc := range []struct {
		lang Lang
		in   probe
		want map[string]string
	}{
		{LangZH, probe{Name: "", Items: []string{"a"}, Amount: 0, Kind: "X"},
			map[string]string{"name": "此项为必填项", "items": "至少需要2项", "amount": "须大于0", "kind": "须为以下之一：LLC、SOLE"}},
		{LangEN, probe{Name: "abcd", Items: []string{"a", "b"}, Amount: 1, Kind: "LLC"},
			map[string]string{"name": "must be at most 3 characters long"}},
	} {
		errs, err := v.e.validate(t.Context(), tc.in)
		if err != nil || len(errs) == 0 {
			t.Fatalf("%s: errors %v, %v", tc.lang, errs, err)
		}
		got := map[string]string{}
		for _, f := range toError(errs, tc.lang).Fields {
			got[f.Field] = f.Message
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: messages %v, want %v", tc.lang, got, tc.want)
		}
	}
}
