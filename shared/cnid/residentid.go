package cnid

import "time"

// ResidentIDLen is the length of a second-generation resident ID number.
const ResidentIDLen = 18

// idWeights are the GB 11643-1999 weights of positions 1–17 (2^(18-i) mod 11).
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheck maps Σ mod 11 to the check character.
const idCheck = "10X98765432"

// provinces are the first two digits GB/T 2260 gives to provincial-level
// divisions, plus 81–83, which residence permits for Hong Kong, Macao and
// Taiwan residents carry in the same format.
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"81": true, "82": true, "83": true,
}

// ValidResidentID reports whether s is an 18-character resident ID number
// with a known province, a birth date that exists on the calendar (1900 or
// later) and the GB 11643-1999 check character (upper-case X for 10).
//
// It cannot know today's date; callers that need "not born in the future"
// compare BirthDate with their own clock.
func ValidResidentID(s string) bool {
	if len(s) != ResidentIDLen || !isDigits(s[:17], 17) || !provinces[s[:2]] {
		return false
	}
	if _, ok := BirthDate(s); !ok {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(s[i]-'0') * idWeights[i]
	}
	return s[17] == idCheck[sum%11]
}

// BirthDate returns the birth date encoded in positions 7–14 of an ID
// number as midnight UTC (a calendar date, not an instant), and false when
// the digits are not a real date from 1900 to 2199. It does not check the
// rest of the number.
func BirthDate(id string) (time.Time, bool) {
	if len(id) < 14 || !isDigits(id[6:14], 8) {
		return time.Time{}, false
	}
	y := atoi(id[6:10])
	m := atoi(id[10:12])
	d := atoi(id[12:14])
	if y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31 April, 29 February of a common year, ...
		return time.Time{}, false
	}
	return t, true
}

// Age returns the age in completed years on the calendar date of on (in
// on's location) of the holder of id, and false when id has no valid birth
// date or on is before it. A person born on 29 February comes of age on
// 1 March in common years.
func Age(id string, on time.Time) (int, bool) {
	birth, ok := BirthDate(id)
	if !ok {
		return 0, false
	}
	y, m, d := on.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if day.Before(birth) {
		return 0, false
	}
	age := y - birth.Year()
	if day.Before(birth.AddDate(age, 0, 0)) {
		age--
	}
	return age, true
}

// atoi converts a string of ASCII digits already checked by isDigits.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
