package validate_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// submitted is the submission time the examples are written against:
// Friday 27 November 2026, 09:00 in Shenyang.
var submitted = time.Date(2026, 11, 27, 9, 0, 0, 0, validate.CST)

// shared is one validator for all tests, as handlers share one.
var shared = validate.New()

const examplesDir = "../../infra/examples"

// mustExample returns the bytes of infra/examples/<name>.
func mustExample(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(examplesDir, name))
	if err != nil {
		tb.Fatalf("read example: %v", err)
	}
	return b
}

// validForm decodes the valid example.
func validForm(tb testing.TB) kaiban.Form {
	tb.Helper()
	f, err := shared.DecodeForm(mustExample(tb, "valid-llc.json"), validate.LangZH)
	if err != nil {
		tb.Fatalf("decode valid example: %v", err)
	}
	return f
}

// asError returns err as *kaiban.Error or fails the test.
func asError(tb testing.TB, err error) *kaiban.Error {
	tb.Helper()
	var e *kaiban.Error
	if !errors.As(err, &e) {
		tb.Fatalf("error %v (%T) is not a *kaiban.Error", err, err)
	}
	return e
}

// codes maps each failing field to its code.
func codes(e *kaiban.Error) map[string]string {
	m := make(map[string]string, len(e.Fields))
	for _, f := range e.Fields {
		m[f.Field] = f.Code
	}
	return m
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
