package cnid

// ValidMobile reports whether s is a mainland mobile number: eleven digits,
// ^1[3-9]\d{9}$, with no country code, spaces or dashes.
func ValidMobile(s string) bool {
	return isDigits(s, 11) && s[0] == '1' && s[1] >= '3'
}

// ValidPostcode reports whether s is a six-digit postal code.
func ValidPostcode(s string) bool {
	return isDigits(s, 6)
}
