package cnid_test

import (
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/cnid"
)

// Published valid numbers (the examples of GB 11643-1999).
var publishedIDs = []string{
	"11010519491231002X",
	"34052419800101001X",
	"370101190102039973",
}

func TestValidResidentID(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"published 1", publishedIDs[0], true},
		{"published 2", publishedIDs[1], true},
		{"published 3", publishedIDs[2], true},
		{"Liaoning, born 29 Feb 1988", "210102198802290016", true},
		{"lower-case x", "11010519491231002x", false},
		{"wrong check digit", "110105194912310021", false},
		{"30 February", "210102198802300018", false},
		{"29 February of a common year", "210102198702290019", false},
		{"month 13", "210102198813010016", false},
		{"born before 1900", "210102189901010011", false},
		{"unknown province 99", "990102198802290016", false},
		{"15-digit first generation", "110105491231002", false},
		{"17 digits", "11010519491231002", false},
		{"X in the middle", "1101051949123100X2", false},
		{"empty", "", false},
		{"full-width X", "11010519491231002Ｘ", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cnid.ValidResidentID(tt.in); got != tt.want {
				t.Errorf("ValidResidentID(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestValidResidentIDRejectsEverySingleCharacterChange(t *testing.T) {
	for _, id := range append(publishedIDs, "210102198802290016") {
		for i := 0; i < len(id); i++ {
			for j := 0; j < len(candidates); j++ {
				c := candidates[j]
				if c == id[i] {
					continue
				}
				mutated := id[:i] + string(c) + id[i+1:]
				if cnid.ValidResidentID(mutated) {
					t.Errorf("ValidResidentID(%q) = true for a change of position %d of %s", mutated, i+1, id)
				}
			}
		}
	}
}

func TestBirthDate(t *testing.T) {
	got, ok := cnid.BirthDate("11010519491231002X")
	want := time.Date(1949, 12, 31, 0, 0, 0, 0, time.UTC)
	if !ok || !got.Equal(want) {
		t.Errorf("BirthDate = %v, %v; want %v", got, ok, want)
	}
	for _, bad := range []string{"", "1101051949", "110105194913310021", "11010519490230002X"} {
		if _, ok := cnid.BirthDate(bad); ok {
			t.Errorf("BirthDate(%q) ok, want not ok", bad)
		}
	}
}

func TestAge(t *testing.T) {
	cst := time.FixedZone("CST", 8*3600)
	tests := []struct {
		name string
		id   string
		on   time.Time
		want int
		ok   bool
	}{
		{"day before 18th birthday", "210102200811270017", time.Date(2026, 11, 26, 23, 59, 0, 0, cst), 17, true},
		{"on 18th birthday", "210102200811270017", time.Date(2026, 11, 27, 0, 0, 0, 0, cst), 18, true},
		{"leap-day birth, 28 Feb of common year", "210102200802290016", time.Date(2026, 2, 28, 12, 0, 0, 0, cst), 17, true},
		{"leap-day birth, 1 Mar of common year", "210102200802290016", time.Date(2026, 3, 1, 12, 0, 0, 0, cst), 18, true},
		{"born after the date", "210102200811270017", time.Date(2000, 1, 1, 0, 0, 0, 0, cst), 0, false},
		{"no birth date", "abc", time.Date(2026, 1, 1, 0, 0, 0, 0, cst), 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cnid.Age(tt.id, tt.on)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Age(%q, %v) = %d, %v; want %d, %v", tt.id, tt.on, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func BenchmarkValidResidentID(b *testing.B) {
	for b.Loop() {
		cnid.ValidResidentID(publishedIDs[0])
	}
}
