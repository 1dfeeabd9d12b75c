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
		{"ｙｕｎ", false},      // fullwidth Latin
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
