package validate

import "testing"

func TestPersonNameAndPlainText(t *testing.T) {
	names := []struct {
		in   string
		want bool
	}{
		{"张伟", true},
		{"买买提·艾力", true},
		{"欧阳娜娜", true},
		{"Anna-Lena Müller", true},
		{"", false},
		{"张伟1", false},
		{"张\x00伟", false},
		{"张\u202e伟", false}, // right-to-left override
		{"张\u200b伟", false}, // zero-width space
		{"\ufeff张伟", false}, // byte-order mark
		{"张伟😀", false},
		{"<script>", false},
		{"张伟'; DROP TABLE x;--", false},
		{"·张伟", false},
		{"张伟·", false},
		{"张··伟", false},
		{"张\ufffd伟", false}, // what invalid UTF-8 decodes to
		{"云\u0301启", false}, // combining mark
		{"ｙｕｎ", false},      // fullwidth Latin (NFKC makes it "yun" before this check)
		{"\u3164", false},   // Hangul compatibility filler
		{"\u115f\u1160", false},
		{"张\uffa0伟", false}, // halfwidth Hangul filler
		{"\u2800", false},   // braille blank
		{"张\u2f08", false},  // Kangxi radical (NFKC makes it 人 before this check)
		{"张\u2e8c", false},  // CJK radicals supplement: no standard twin
		{"\uf900张", false},  // compatibility ideograph
		{"张伟\ufe00", false}, // variation selector
		{"김민준", false},
		{"陈\U00020087", true}, // extension B
		{"艾\u3400", true},     // extension A
	}
	for _, n := range names {
		if got := isPersonName(n.in); got != n.want {
			t.Errorf("isPersonName(%q) = %v, want %v", n.in, got, n.want)
		}
	}
	texts := []struct {
		in   string
		want bool
	}{
		{"沈阳市浑南区创新路196号2门1203室", true},
		{"沈阳云启投资有限公司（有限合伙）", true},
		{"路\u202e1号", false},
		{"路\x07", false},
		{"\ue000", false}, // private use
	}
	for _, x := range texts {
		if got := isPlainText(x.in); got != x.want {
			t.Errorf("isPlainText(%q) = %v, want %v", x.in, got, x.want)
		}
	}
}
