package validate

import (
	"strings"
	"testing"
)

// A tag that does not compile is an error, never a rule that silently
// passes: a typo in the form's tags fails New (and so every test run).
func TestBadTagsDoNotCompile(t *testing.T) {
	type unknownRule struct {
		Name string `json:"name" validate:"required,chinese_name"`
	}
	type badLimit struct {
		Name string `json:"name" validate:"max=ten"`
	}
	type diveOnString struct {
		Name string `json:"name" validate:"dive,required"`
	}
	type emptyOneOf struct {
		Kind string `json:"kind" validate:"oneof="`
	}
	v := New()
	for _, tc := range []struct {
		in   any
		want string
	}{
		{unknownRule{}, `unknown rule "chinese_name"`},
		{badLimit{}, "max=ten"},
		{diveOnString{}, "not a list"},
		{emptyOneOf{}, "no values"},
	} {
		_, err := v.e.validate(t.Context(), tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%T: error %v, want one saying %q", tc.in, err, tc.want)
		}
	}
}
