package validate_test

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

func TestDecodeForm(t *testing.T) {
	valid := string(mustExample(t, "valid-llc.json"))
	// withCompany replaces the company block's opening with s.
	withCompany := func(s string) string { return strings.Replace(valid, `"company": {`, s, 1) }
	tests := []struct {
		name string
		body string
		err  string            // error name
		want map[string]string // field → code
	}{
		{"unknown top-level field", withCompany(`"extra": 1, "company": {`), kaiban.ErrMalformed, map[string]string{"extra": "malformed"}},
		{"unknown nested field", withCompany(`"company": {"nickname": "x",`), kaiban.ErrMalformed, map[string]string{"company.nickname": "malformed"}},
		{"key in another case", strings.Replace(valid, `"tradeName"`, `"TradeName"`, 1), kaiban.ErrMalformed,
			map[string]string{"company.nameParts.TradeName": "malformed"}},
		{"duplicate key", withCompany(`"company": {"type": "LLC",`), kaiban.ErrMalformed, map[string]string{"company.type": "malformed"}},
		{"string for a number", strings.Replace(valid, `"registeredCapital": 1000000`, `"registeredCapital": "1000000"`, 1), kaiban.ErrMalformed,
			map[string]string{"company.registeredCapital": "malformed"}},
		{"fraction for whole yuan", strings.Replace(valid, `"amount": 600000`, `"amount": 600000.5`, 1), kaiban.ErrMalformed,
			map[string]string{"shareholders[0].contribution.amount": "malformed"}},
		{"number beyond int64", strings.Replace(valid, `"amount": 600000`, `"amount": 99999999999999999999`, 1), kaiban.ErrMalformed,
			map[string]string{"shareholders[0].contribution.amount": "malformed"}},
		{"object for an array", strings.Replace(valid, `"businessScope": [`, `"businessScope": {"a":[`, 1) + "}", kaiban.ErrMalformed, nil},
		{"number in a string array", strings.Replace(valid, `"I001"`, `1`, 1), kaiban.ErrMalformed,
			map[string]string{"company.businessScope[0]": "malformed"}},
		{"trailing object", valid + `{}`, kaiban.ErrMalformed, map[string]string{"body": "malformed"}},
		{"trailing garbage", valid + ` x`, kaiban.ErrMalformed, map[string]string{"body": "malformed"}},
		{"truncated", valid[:len(valid)/2], kaiban.ErrMalformed, map[string]string{"body": "malformed"}},
		{"invalid UTF-8", strings.Replace(valid, "张伟", "\xff\xfe", 1), kaiban.ErrMalformed, map[string]string{"body": "malformed"}},
		{"empty body", "", kaiban.ErrMalformed, map[string]string{"body": "malformed"}},
		{"whitespace body", " \n", kaiban.ErrMalformed, map[string]string{"body": "malformed"}},
		{"null body", "null", kaiban.ErrMalformed, map[string]string{"body": "malformed"}},
		{"array body", "[]", kaiban.ErrMalformed, map[string]string{"body": "malformed"}},
		{"string body", `"form"`, kaiban.ErrMalformed, map[string]string{"body": "malformed"}},
		{"over 64 KiB", withCompany(`"company": {"pad": "` + strings.Repeat("a", validate.MaxBodyBytes) + `",`), kaiban.ErrTooLarge,
			map[string]string{"body": "malformed"}},
		{"null block decodes, then validation asks for it", strings.Replace(valid, `"consent": {"truthful": true, "dataSharing": true}`, `"consent": null`, 1), "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lang := range []validate.Lang{validate.LangZH, validate.LangEN} {
				_, err := shared.DecodeForm([]byte(tt.body), lang)
				if tt.err == "" {
					if err != nil {
						t.Fatalf("rejected: %v", err)
					}
					continue
				}
				e := asError(t, err)
				if e.Name != tt.err {
					t.Fatalf("name = %s, want %s (%v)", e.Name, tt.err, e.Fields)
				}
				if len(e.Fields) == 0 {
					t.Fatal("no fields")
				}
				if tt.want != nil && !maps.Equal(codes(e), tt.want) {
					t.Errorf("fields = %v, want %v", codes(e), tt.want)
				}
				assertLanguage(t, e, lang)
			}
		})
	}
}

func TestDecodeReportsEveryProblemAtOnce(t *testing.T) {
	_, err := shared.DecodeForm([]byte(`{"a":1,"b":2,"company":{"type":3,"registeredCapital":"x"}}`), validate.LangEN)
	want := map[string]string{"a": "malformed", "b": "malformed", "company.type": "malformed", "company.registeredCapital": "malformed"}
	if got := codes(asError(t, err)); !maps.Equal(got, want) {
		t.Errorf("fields = %v, want %v", got, want)
	}
}

func TestDecodeTooLargeStatus(t *testing.T) {
	_, err := shared.DecodeForm(make([]byte, validate.MaxBodyBytes+1), validate.LangZH)
	if kaiban.HTTPStatus(err) != 413 {
		t.Errorf("status = %d, want 413", kaiban.HTTPStatus(err))
	}
	_, err = shared.DecodeForm([]byte(`{"x":1}`), validate.LangZH)
	if kaiban.HTTPStatus(err) != 400 {
		t.Errorf("status = %d, want 400", kaiban.HTTPStatus(err))
	}
}

// StrictUnmarshal serves other handlers' inputs, so it must follow
// encoding/json's rules for the types they use.
func TestStrictUnmarshal(t *testing.T) {
	type Base struct {
		ID string `json:"id"`
	}
	type input struct {
		Base
		Decision kaiban.Decision `json:"decision"`
		Note     *string         `json:"note,omitempty"`
		Data     json.RawMessage `json:"data,omitempty"`
		At       time.Time       `json:"at"`
		Tags     map[string]int  `json:"tags"`
		Any      any             `json:"any"`
		Skip     string          `json:"-"`
		Untagged int
		hidden   int
	}
	tests := []struct {
		name  string
		body  string
		field string // "" means accepted
	}{
		{"all kinds", `{"id":"a","decision":"retry","note":"n","data":{"x":[1,{"y":2}]},"at":"2026-11-27T09:00:00+08:00","tags":{"k":1},"any":[1,"a",null],"Untagged":3}`, ""},
		{"embedded field", `{"id":"a"}`, ""},
		{"raw message takes anything", `{"data":[[[[]]]]}`, ""},
		{"skipped field is unknown", `{"Skip":"x"}`, "Skip"},
		{"unexported field is unknown", `{"hidden":1}`, "hidden"},
		{"map value type", `{"tags":{"k":"v"}}`, "tags.k"},
		{"duplicate map key", `{"tags":{"k":1,"k":2}}`, "tags.k"},
		{"time must be a string", `{"at":5}`, "body"}, // reported by encoding/json after the walk
		{"bad time", `{"at":"yesterday"}`, "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in input
			err := validate.StrictUnmarshal([]byte(tt.body), &in)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("rejected: %v", err)
				}
				return
			}
			e := asError(t, err)
			if e.Name != kaiban.ErrMalformed || e.Fields[0].Field != tt.field {
				t.Errorf("got %s %v, want field %s", e.Name, e.Fields, tt.field)
			}
		})
	}
	if err := validate.StrictUnmarshal([]byte(`{}`), input{}); kaiban.ErrorName(err) != kaiban.ErrInternal {
		t.Errorf("non-pointer target: %v, want an internal error", err)
	}
}
