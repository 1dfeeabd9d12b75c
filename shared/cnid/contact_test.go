package cnid_test

import (
	"testing"

	"github.com/kaiban/kaiban/shared/cnid"
)

func TestValidMobile(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"13812345678", true},
		{"19912345678", true},
		{"15004001234", true},
		{"12812345678", false}, // second digit must be 3–9
		{"23812345678", false},
		{"1381234567", false},
		{"138123456789", false},
		{"+8613812345678", false},
		{"138-1234-5678", false},
		{"1381234567a", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := cnid.ValidMobile(tt.in); got != tt.want {
			t.Errorf("ValidMobile(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestValidPostcode(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"110000", true},
		{"116001", true},
		{"11000", false},
		{"1100000", false},
		{"11000a", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := cnid.ValidPostcode(tt.in); got != tt.want {
			t.Errorf("ValidPostcode(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}
