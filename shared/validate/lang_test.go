package validate_test

import (
	"testing"

	"github.com/kaiban/kaiban/shared/validate"
)

func TestLangFromHeader(t *testing.T) {
	tests := []struct {
		header string
		want   validate.Lang
	}{
		{"", validate.LangZH},
		{"en", validate.LangEN},
		{"en-US,en;q=0.9", validate.LangEN},
		{"EN-gb", validate.LangEN},
		{"zh-CN,zh;q=0.9,en;q=0.8", validate.LangZH},
		{"fr-FR, en;q=0.5", validate.LangEN},
		{"de", validate.LangZH},
		{"zh;q=0.3, en;q=0.7", validate.LangEN},
		{"en;q=0", validate.LangZH},
		{"en;q=abc", validate.LangZH},
		{"english", validate.LangZH},
		{"*", validate.LangZH},
	}
	for _, tt := range tests {
		if got := validate.LangFromHeader(tt.header); got != tt.want {
			t.Errorf("LangFromHeader(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}
