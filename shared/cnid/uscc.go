package cnid

// USCCLen is the length of a unified social credit code.
const USCCLen = 18

// usccAlphabet is the GB 32100-2015 character set; a character's value is
// its position. I, O, S, V and Z are left out so that codes survive being
// read aloud or copied by hand.
const usccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights of positions 1–17 (3^(i-1) mod 31).
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// usccValue maps an ASCII byte to its value, or -1 when it is not in the
// alphabet. A table keeps the check allocation-free and branch-light.
var usccValue = func() [256]int8 {
	var t [256]int8
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(usccAlphabet); i++ {
		t[usccAlphabet[i]] = int8(i)
	}
	return t
}()

// ValidUSCC reports whether s is a unified social credit code whose 18th
// character is the GB 32100-2015 check character of the first 17.
//
// The check is modulo 31 with weights that are all non-zero modulo the
// prime 31, so every single-character substitution is detected.
func ValidUSCC(s string) bool {
	if len(s) != USCCLen {
		return false
	}
	check, ok := usccCheck(s[:17])
	return ok && s[17] == check
}

// usccCheck returns the check character for the first 17 characters of a
// code, and false when one of them is outside the alphabet.
func usccCheck(body string) (byte, bool) {
	sum := 0
	for i := 0; i < 17; i++ {
		v := usccValue[body[i]]
		if v < 0 {
			return 0, false
		}
		sum += int(v) * usccWeights[i]
	}
	c := 31 - sum%31
	if c == 31 {
		c = 0
	}
	return usccAlphabet[c], true
}
