package logging

// Mask returns s with every resident ID number and mobile number masked:
// ID numbers (18 characters, or the 15-digit first generation) keep their
// first 3 and last 2 characters (210*************16); mainland mobile
// numbers keep their first 3 and last 4 digits (138****5678), also after a
// "+86"/"86" prefix. A number is a maximal run of ASCII digits (plus a
// trailing X for an ID); runs of other lengths are left alone. The check
// is deliberately loose — any 18-digit run is masked whether or not its
// check digit is right — because a mistyped ID is still personal data.
func Mask(s string) string {
	if !needsMask(s) {
		return s
	}
	b := []byte(s)
	maskBytes(b)
	return string(b)
}

// needsMask is Mask's allocation-free fast path.
func needsMask(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			run++
			continue
		}
		if sensitive(run, s[i-run:i], s[i]) {
			return true
		}
		run = 0
	}
	return sensitive(run, s[len(s)-run:], 0)
}

// sensitive reports whether a run of digits, followed by next (0 at the
// end), is an ID number or a mobile number.
func sensitive(run int, digits string, next byte) bool {
	switch run {
	case 17:
		return next == 'X' || next == 'x'
	case 15, 18:
		return true
	case 11:
		return isMobile(digits)
	case 13:
		return digits[:2] == "86" && isMobile(digits[2:])
	}
	return false
}

func isMobile(d string) bool { return d[0] == '1' && d[1] >= '3' && d[1] <= '9' }

// maskBytes masks b in place; masking never changes the length, so JSON
// lines keep their structure.
func maskBytes(b []byte) {
	i := 0
	for i < len(b) {
		if !isDigit(b[i]) {
			i++
			continue
		}
		start := i
		for i < len(b) && isDigit(b[i]) {
			i++
		}
		run := i - start
		var next byte
		if i < len(b) {
			next = b[i]
		}
		if !sensitive(run, string(b[start:i]), next) {
			continue
		}
		switch run {
		case 17: // 17 digits + X
			i++
			stars(b[start+3 : i-2])
		case 15, 18:
			stars(b[start+3 : i-2])
		case 11:
			stars(b[start+3 : i-4])
		case 13:
			stars(b[start+5 : i-4])
		}
	}
}

func stars(b []byte) {
	for i := range b {
		b[i] = '*'
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
