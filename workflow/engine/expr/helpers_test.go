package expr

import (
	"errors"
	"testing"
)

// mustDecode decodes JSON test data or fails the test.
func mustDecode(tb testing.TB, s string) any {
	tb.Helper()
	v, err := Decode([]byte(s))
	if err != nil {
		tb.Fatalf("Decode(%s): %v", s, err)
	}
	return v
}

// mustEncode encodes a value for comparison in tests.
func mustEncode(tb testing.TB, v any) string {
	tb.Helper()
	b, err := Encode(v)
	if err != nil {
		tb.Fatalf("Encode: %v", err)
	}
	return string(b)
}

// wantJSON fails unless got encodes to the same JSON as want.
func wantJSON(tb testing.TB, got any, want string) {
	tb.Helper()
	if g, w := mustEncode(tb, got), mustEncode(tb, mustDecode(tb, want)); g != w {
		tb.Errorf("got %s, want %s", g, w)
	}
}

// errName returns the Step Functions error name of err, or "" if err is
// not an *Error.
func errName(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Name
	}
	return ""
}
