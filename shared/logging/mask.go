package logging

// Mask returns s with every resident ID number and mobile number masked:
// ID numbers (18 characters, or the 15-digit first generation) keep their
// first 3 and last 2 characters (210*************16); mainland mobile
// numbers keep their first 3 and last 4 digits (138****5678), also after a
// "+86"/"86" prefix.
//
// A number is a run of digits — ASCII or full-width (０–９, as a Chinese
// input method types them) — that may be broken by single spaces or
// hyphens the way people write numbers (138 4001 2345, 138-4001-2345,
// 210102 19850312 0316), plus a trailing X for an ID. If a broken run as
// a whole is not a number of those lengths, each unbroken part is judged
// on its own, so two numbers a space apart are both masked. The check is
// deliberately loose — any 18-digit run is masked whether or not its
// check digit is right — because a mistyped ID is still personal data.
// Masking never changes the length in bytes (a full-width digit becomes
// a full-width ＊), so masked JSON lines keep their structure.
func Mask(s string) string {
	if !scan(s, nil) {
		return s
	}
	b := []byte(s)
	maskBytes(b)
	return string(b)
}

// maskBytes masks b in place.
func maskBytes(b []byte) {
	scan(b, func(off, width int) {
		if width == 1 {
			b[off] = '*'
			return
		}
		copy(b[off:off+width], fullWidthStar)
	})
}

// fullWidthStar is ＊ (U+FF0A), three bytes like a full-width digit.
const fullWidthStar = "\uFF0A"

// maxDigits bounds the digits remembered per run; a longer run is no ID
// or mobile number as a whole, and its parts are looked at on their own.
const maxDigits = 24

// digitRun is one run of digits: where each digit is, and where the run
// was broken by a separator.
type digitRun struct {
	off    [maxDigits]int // byte offset of each digit
	width  [maxDigits]int // 1 (ASCII) or 3 (full-width)
	val    [maxDigits]byte
	n      int            // digits seen (may exceed maxDigits)
	breaks [maxDigits]int // digit indexes where a separator came before
	nBreak int
}

// scan finds the numbers to mask in s and calls mask for each digit to
// hide (mask may be nil: scan then stops at the first). It reports
// whether s holds any.
func scan[T ~string | ~[]byte](s T, mask func(off, width int)) bool {
	return scanSpan(s, 0, len(s), true, mask)
}

// scanSpan is scan over s[start:end]; join lets separators join digits
// into one run.
func scanSpan[T ~string | ~[]byte](s T, start, end int, join bool, mask func(off, width int)) bool {
	found := false
	var r digitRun
	for i := start; i < end; {
		if digitWidth(s, i) == 0 {
			i++
			continue
		}
		r.n, r.nBreak = 0, 0
		j := i
		for {
			w := digitWidth(s, j)
			if w == 0 {
				break
			}
			if r.n < maxDigits {
				r.off[r.n], r.width[r.n], r.val[r.n] = j, w, digitValue(s, j, w)
			}
			r.n++
			j += w
			if join && j+1 < len(s) && (s[j] == ' ' || s[j] == '-') && digitWidth(s, j+1) > 0 {
				if r.nBreak < maxDigits {
					r.breaks[r.nBreak] = r.n
					r.nBreak++
				}
				j++
			}
		}
		x := isX(s, j)
		switch {
		case r.n > maxDigits:
			// Too long to be one number: look at its unbroken parts.
			if join && scanSpan(s, i, j, false, mask) {
				found = true
			}
		case r.judge(0, r.n, x, mask):
			found = true
		case r.nBreak > 0:
			// Judge each unbroken part; only the last can end in X.
			from := 0
			for k := 0; k <= r.nBreak; k++ {
				to := r.n
				if k < r.nBreak {
					to = r.breaks[k]
				}
				if r.judge(from, to, x && to == r.n, mask) {
					found = true
				}
				from = to
			}
		}
		if found && mask == nil {
			return true
		}
		i = j
	}
	return found
}

// judge masks digits [from, to) of r if they are an ID or mobile number
// (trailingX: an X follows them) and reports whether they were.
func (r *digitRun) judge(from, to int, trailingX bool, mask func(off, width int)) bool {
	n := to - from
	if to > maxDigits {
		return false
	}
	d := r.val[from:to]
	var hide [2]int // digit indexes [hide[0], hide[1]) to mask
	switch {
	case n == 17 && trailingX:
		hide = [2]int{3, 16} // keep 3 digits, then the last digit and the X
	case n == 15 || n == 18:
		hide = [2]int{3, n - 2}
	case n == 11 && isMobile(d):
		hide = [2]int{3, 7}
	case n == 13 && d[0] == 8 && d[1] == 6 && isMobile(d[2:]):
		hide = [2]int{5, 9}
	default:
		return false
	}
	if mask != nil {
		for k := from + hide[0]; k < from+hide[1]; k++ {
			mask(r.off[k], r.width[k])
		}
	}
	return true
}

func isMobile(d []byte) bool { return d[0] == 1 && d[1] >= 3 && d[1] <= 9 }

// digitWidth is 1 for an ASCII digit at s[i], 3 for a full-width one
// (U+FF10–U+FF19, EF BC 90–99 in UTF-8), else 0.
func digitWidth[T ~string | ~[]byte](s T, i int) int {
	if i >= len(s) {
		return 0
	}
	if c := s[i]; c >= '0' && c <= '9' {
		return 1
	}
	if i+2 < len(s) && s[i] == 0xEF && s[i+1] == 0xBC && s[i+2] >= 0x90 && s[i+2] <= 0x99 {
		return 3
	}
	return 0
}

func digitValue[T ~string | ~[]byte](s T, i, width int) byte {
	if width == 1 {
		return s[i] - '0'
	}
	return s[i+2] - 0x90
}

// isX reports an ID's check character at s[i]: X or x, ASCII or
// full-width (Ｘ EF BC B8, ｘ EF BD 98).
func isX[T ~string | ~[]byte](s T, i int) bool {
	if i >= len(s) {
		return false
	}
	if s[i] == 'X' || s[i] == 'x' {
		return true
	}
	return i+2 < len(s) && s[i] == 0xEF && ((s[i+1] == 0xBC && s[i+2] == 0xB8) || (s[i+1] == 0xBD && s[i+2] == 0x98))
}
