package cnid_test

import (
	"math/rand/v2"
	"testing"

	"github.com/kaiban/kaiban/shared/cnid"
)

// Published valid codes (from public GB 32100-2015 examples).
var publishedUSCC = []string{
	"91440300708461136T",
	"914403001922038216",
	"91330100716105852F",
	"91110108551385082Q",
}

func TestValidUSCC(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"published 1", publishedUSCC[0], true},
		{"published 2", publishedUSCC[1], true},
		{"published 3", publishedUSCC[2], true},
		{"published 4", publishedUSCC[3], true},
		{"wrong check character", "91440300708461136A", false},
		{"lower-case check letter", "91440300708461136t", false},
		{"too short", "91440300708461136", false},
		{"too long", "91440300708461136TT", false},
		{"letter I is not in the alphabet", "91440300708461I36T", false},
		{"letter O is not in the alphabet", "9144030070846113OT", false},
		{"empty", "", false},
		{"spaces", "91440300 708461136", false},
		{"full-width digits", "９１440300708461136T", false},
		{"non-ASCII", "91440300708461136\u00e9", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cnid.ValidUSCC(tt.in); got != tt.want {
				t.Errorf("ValidUSCC(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// candidates are the characters a mistyped code might contain: the whole
// GB 32100 alphabet, the letters it leaves out, lower case and punctuation.
const candidates = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz -_.*"

// Every single-character change of a valid code must be rejected: a clerk
// who mistypes one character must never land on another valid code.
func TestValidUSCCRejectsEverySingleCharacterChange(t *testing.T) {
	for _, code := range publishedUSCC {
		changes := 0
		for i := 0; i < len(code); i++ {
			for j := 0; j < len(candidates); j++ {
				c := candidates[j]
				if c == code[i] {
					continue
				}
				mutated := code[:i] + string(c) + code[i+1:]
				changes++
				if cnid.ValidUSCC(mutated) {
					t.Errorf("ValidUSCC(%q) = true for a change of position %d of %s", mutated, i+1, code)
				}
			}
		}
		if changes < 18*60 {
			t.Fatalf("only %d changes tried for %s", changes, code)
		}
	}
}

func TestGenerateUSCCAlwaysValidates(t *testing.T) {
	regions := []string{"210106", "210112", "211481", "440300"}
	seen := map[string]bool{}
	for seed := uint64(0); seed < 200; seed++ {
		r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		for _, region := range regions {
			for k := 0; k < 10; k++ {
				code, err := cnid.GenerateUSCC(region, r)
				if err != nil {
					t.Fatalf("GenerateUSCC(%q): %v", region, err)
				}
				if !cnid.ValidUSCC(code) {
					t.Fatalf("GenerateUSCC(%q) = %q, which ValidUSCC rejects", region, code)
				}
				if code[:2] != "91" || code[2:8] != region {
					t.Fatalf("GenerateUSCC(%q) = %q: want prefix 91%s", region, code, region)
				}
				if !validOrgCode(code[8:17]) {
					t.Fatalf("GenerateUSCC(%q) = %q: organisation code %s fails GB 11714", region, code, code[8:17])
				}
				seen[code] = true
			}
		}
	}
	if len(seen) < 7900 { // 8000 draws from 10^8 bodies: collisions are rare
		t.Errorf("only %d distinct codes in 8000 draws", len(seen))
	}
}

func TestGenerateUSCCNilSource(t *testing.T) {
	code, err := cnid.GenerateUSCC("210102", nil)
	if err != nil || !cnid.ValidUSCC(code) {
		t.Fatalf("GenerateUSCC with nil source = %q, %v", code, err)
	}
}

func TestGenerateUSCCRejectsBadRegion(t *testing.T) {
	for _, region := range []string{"", "2101", "21010A", "2101066", "２１０１０６"} {
		if code, err := cnid.GenerateUSCC(region, nil); err == nil {
			t.Errorf("GenerateUSCC(%q) = %q, want an error", region, code)
		}
	}
}

// validOrgCode checks a nine-character organisation code against
// GB 11714-1997, independently of the generator.
func validOrgCode(s string) bool {
	w := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(s[i]-'0') * w[i]
	}
	want := "0123456789X0"[11-sum%11]
	return s[8] == want
}

func BenchmarkValidUSCC(b *testing.B) {
	for b.Loop() {
		cnid.ValidUSCC(publishedUSCC[0])
	}
}
