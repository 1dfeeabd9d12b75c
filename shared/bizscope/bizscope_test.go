package bizscope_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/kaiban/kaiban/shared/bizscope"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		code   string
		zh     string
		permit bool
		ok     bool
	}{
		{"I001", "软件开发", false, true},
		{"I013", "互联网信息服务", true, true},
		{"H001", "餐饮服务", true, true},
		{"M001", "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广", false, true},
		{"软件开发", "", false, false}, // free text is not a code
		{"i001", "", false, false},
		{"", "", false, false},
	}
	for _, tt := range tests {
		it, ok := bizscope.Lookup(tt.code)
		if ok != tt.ok || it.Zh != tt.zh || it.PermitRequired != tt.permit {
			t.Errorf("Lookup(%q) = %+v, %v; want zh %q permit %v ok %v", tt.code, it, ok, tt.zh, tt.permit, tt.ok)
		}
		if bizscope.Valid(tt.code) != tt.ok {
			t.Errorf("Valid(%q) = %v, want %v", tt.code, !tt.ok, tt.ok)
		}
	}
}

func TestItemsAreCompleteAndWellFormed(t *testing.T) {
	items := bizscope.Items()
	if len(items) < 60 {
		t.Fatalf("%d items, want at least 60", len(items))
	}
	permits, prev := 0, ""
	for _, it := range items {
		if it.Code <= prev {
			t.Errorf("code %s out of order after %s", it.Code, prev)
		}
		prev = it.Code
		if len(it.Code) != 4 || it.Code[0] < 'A' || it.Code[0] > 'T' {
			t.Errorf("code %q is not a GB/T 4754 section letter and three digits", it.Code)
		}
		if !hasHan(it.Zh) {
			t.Errorf("%s: Chinese wording %q has no Chinese", it.Code, it.Zh)
		}
		if it.En == "" || hasHan(it.En) {
			t.Errorf("%s: English wording %q", it.Code, it.En)
		}
		if it.PermitRequired {
			permits++
		}
		if it.Wording("en") != it.En || it.Wording("zh") != it.Zh {
			t.Errorf("%s: Wording does not pick the language", it.Code)
		}
	}
	if permits == 0 || permits == len(items) {
		t.Errorf("%d of %d items need a permit; want a mix", permits, len(items))
	}
	items[0].Zh = "changed"
	if strings.Contains(bizscope.Items()[0].Zh, "changed") {
		t.Error("Items() exposes the package's list")
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// Every permit item names its permit and authority in both languages; a
// general item has none.
func TestPermitItemsNameTheirPermit(t *testing.T) {
	for _, it := range bizscope.Items() {
		switch {
		case it.PermitRequired && (it.Permit == nil || it.Permit.Zh == "" || it.Permit.En == "" || it.Permit.AuthorityZh == "" || it.Permit.AuthorityEn == ""):
			t.Errorf("%s %s: permit %+v", it.Code, it.Zh, it.Permit)
		case !it.PermitRequired && it.Permit != nil:
			t.Errorf("%s %s: general item with permit %+v", it.Code, it.Zh, it.Permit)
		}
	}
}

func TestPermits(t *testing.T) {
	for _, tt := range []struct {
		name  string
		codes []string
		want  []string // permit names, zh
	}{
		{"general items need none", []string{"I001", "F001"}, nil},
		{"food sale and catering share one permit", []string{"F014", "I001", "H001", "G004"}, []string{"食品经营许可证", "道路运输经营许可证"}},
		{"unknown code ignored", []string{"Z999", "G004"}, []string{"道路运输经营许可证"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range bizscope.Permits(tt.codes) {
				got = append(got, p.Zh)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("Permits(%v) = %v, want %v", tt.codes, got, tt.want)
			}
		})
	}
	if p := bizscope.Permits([]string{"G004"}); p[0].Authority("en") != "Transport Bureau" || p[0].Authority("zh") != "交通运输局" {
		t.Errorf("G004 authority: %+v", p[0])
	}
}
