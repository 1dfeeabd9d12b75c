package validate_test

import (
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// FuzzCheck feeds arbitrary bodies to decode + validate. Whatever arrives,
// the answer is nil, with an accepted form that passes again unchanged (it
// is stored as returned, names normalised), or the one error shape: a
// *kaiban.Error named
// Request.Malformed, Request.TooLarge or Validation.Failed with at least
// one complete field error. Never a panic, never a bare Go error.
//
// Seeds: every example form (added here) and the committed corpus in
// testdata/fuzz/FuzzCheck. Run with: go test -run '^$' -fuzz FuzzCheck ./shared/validate
func FuzzCheck(f *testing.F) {
	files, err := filepath.Glob(filepath.Join(examplesDir, "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no examples to seed from: %v", err)
	}
	for _, file := range files {
		f.Add(mustExample(f, filepath.Base(file)))
	}
	// Accepted after normalisation: Kangxi radical ⽇ for 日, a
	// compatibility ideograph for 類, a katakana middle dot.
	f.Add([]byte(strings.NewReplacer("云启", "\u2f47启", "王磊", "\uf9d0磊", "陈静", "买买提・艾力").
		Replace(string(mustExample(f, "valid-llc.json")))))
	v := validate.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, lang := range []validate.Lang{validate.LangZH, validate.LangEN} {
			f, err := v.Check(body, submitted, lang)
			if err == nil {
				// The accepted form is stored as returned, names normalised:
				// it must stay valid and unchanged when checked again.
				again := f
				if err := v.Validate(&again, submitted, lang); err != nil || !reflect.DeepEqual(again, f) {
					t.Fatalf("%s: the accepted form does not pass again unchanged: %v", lang, err)
				}
				continue
			}
			var e *kaiban.Error
			if !errors.As(err, &e) {
				t.Fatalf("%s: error %v (%T) is not a *kaiban.Error", lang, err, err)
			}
			switch e.Name {
			case kaiban.ErrMalformed, kaiban.ErrTooLarge, kaiban.ErrValidation:
			default:
				t.Fatalf("%s: error name %q", lang, e.Name)
			}
			if len(e.Fields) == 0 || e.Message == "" {
				t.Fatalf("%s: %s without fields or message", lang, e.Name)
			}
			for _, fe := range e.Fields {
				if fe.Field == "" || fe.Code == "" || fe.Message == "" {
					t.Fatalf("%s: incomplete field error %+v", lang, fe)
				}
			}
		}
	})
}
