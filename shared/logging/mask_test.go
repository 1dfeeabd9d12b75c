package logging_test

import (
	"testing"
	"unicode/utf8"

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
		// Numbers as people write them: broken by spaces or hyphens.
		{"tel 138 4001 2345.", "tel 138 **** 2345."},
		{"tel 138-4001-2345", "tel 138-****-2345"},
		{"+86 138 4001 2345", "+86 138 **** 2345"},
		{"id 210102 19850312 0316", "id 210*** ******** **16"},
		{"id 110105 19491231 002X", "id 110*** ******** **2X"},
		// Full-width digits, as a Chinese input method types them.
		{"手机１３８４００１２３４５", "手机１３８＊＊＊＊２３４５"},
		{"２１０１０２１９８５０３１２０３１６", "２１０＊＊＊＊＊＊＊＊＊＊＊＊＊１６"},
		// Two numbers a space apart are two numbers, both masked.
		{"13840012345 13998765432", "138****2345 139****5432"},
		{"13840012345 13998765432 13700001111 15012345678", "138****2345 139****5432 137****1111 150****5678"},
		{"2 13840012345", "2 138****2345"},
		// Dates, times, amounts and codes stay readable.
		{"2026-11-27 09:00:00", "2026-11-27 09:00:00"},
		{"deadline 2026-11-27T13:00:00.123+08:00", "deadline 2026-11-27T13:00:00.123+08:00"},
		{"capital 1 000 000 yuan", "capital 1 000 000 yuan"},
		{"KB20261127ABCDEFGHIJKLMNOP", "KB20261127ABCDEFGHIJKLMNOP"},
		{"138--4001--2345", "138--4001--2345"}, // not how a number is written
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

// Masking keeps the length in bytes (JSON lines keep their structure),
// keeps valid UTF-8 valid, and masking twice changes nothing more.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"13840012345", "tel 138 4001 2345", "２１０１０２１９８５０３１２０３１６", "11010519491231002X", "a 1-2-3", "\xef\xbc\x90"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := logging.Mask(s)
		if len(m) != len(s) {
			t.Fatalf("Mask(%q) = %q: length %d, want %d", s, m, len(m), len(s))
		}
		if utf8.ValidString(s) && !utf8.ValidString(m) {
			t.Fatalf("Mask(%q) = %q is not valid UTF-8", s, m)
		}
		if again := logging.Mask(m); again != m {
			t.Fatalf("Mask is not idempotent: %q -> %q -> %q", s, m, again)
		}
	})
}
