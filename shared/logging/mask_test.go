package logging_test

import (
	"testing"

	"github.com/kaiban/kaiban/shared/logging"
)

func TestMask(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"210102198503120316", "210*************16"},
		{"11010519491231002X", "110*************2X"},
		{"11010519491231002x", "110*************2x"},
		{"id=210102198503120316, ok", "id=210*************16, ok"},
		{"old ID 110105491231002", "old ID 110**********02"},
		{"13840012345", "138****2345"},
		{"call +8613840012345 now", "call +86138****2345 now"},
		{"手机13840012345，身份证210102198503120316。", "手机138****2345，身份证210*************16。"},
		{"two: 13840012345 and 13998765432", "two: 138****2345 and 139****5432"},
		{"12840012345", "12840012345"},   // not a mobile: second digit 2
		{"1384001234", "1384001234"},     // 10 digits
		{"138400123456", "138400123456"}, // 12 digits
		{"2026-11-27T09:00:00+08:00", "2026-11-27T09:00:00+08:00"},
		{"91210112MA0T4B7X1A", "91210112MA0T4B7X1A"}, // credit codes are public
		{"", ""},
		{"no digits", "no digits"},
	}
	for _, tt := range tests {
		if got := logging.Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func BenchmarkMaskClean(b *testing.B) {
	for b.Loop() {
		logging.Mask("application submitted for 沈阳云启软件科技有限公司, request 7f3a")
	}
}
