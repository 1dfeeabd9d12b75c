package cnid

import (
	"fmt"
	"math/rand/v2"
)

// Prefix of codes issued to enterprises: registering department 9
// (market regulation) and entity class 1 (enterprise).
const enterprisePrefix = "91"

// orgWeights are the GB 11714-1997 weights of the organisation code's
// eight body characters.
var orgWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// GenerateUSCC returns a new enterprise credit code for a GB/T 2260 region:
// "91" + regionCode + a nine-character organisation code (eight random
// digits and their GB 11714 check character) + the GB 32100 check
// character. The result always passes ValidUSCC.
//
// r supplies the randomness (math/rand/v2, so tests can seed it); nil uses
// the goroutine-safe global source. Uniqueness is not promised: the
// registration track must still reserve the code in its store.
func GenerateUSCC(regionCode string, r *rand.Rand) (string, error) {
	if !isDigits(regionCode, 6) {
		return "", fmt.Errorf("cnid: region code %q is not six digits", regionCode)
	}
	intN := rand.IntN
	if r != nil {
		intN = r.IntN
	}
	var b [USCCLen]byte
	copy(b[:], enterprisePrefix)
	copy(b[2:], regionCode)
	sum := 0
	for i := 0; i < 8; i++ {
		d := intN(10)
		b[8+i] = byte('0' + d)
		sum += d * orgWeights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		b[16] = 'X'
	case 11:
		b[16] = '0'
	default:
		b[16] = byte('0' + c)
	}
	check, _ := usccCheck(string(b[:17])) // every byte above is in the alphabet
	b[17] = check
	return string(b[:]), nil
}

// isDigits reports whether s is exactly n ASCII digits.
func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
