package refdata

import "slices"

// Regions returns Liaoning's cities in code order, each with its
// county-level divisions and their postal codes. The result is a deep
// copy; callers may modify it.
func Regions() []City {
	out := make([]City, len(data.cities))
	for i, c := range data.cities {
		c.Districts = slices.Clone(c.Districts)
		out[i] = c
	}
	return out
}

// IsCity reports whether code is the four-digit code of a Liaoning city.
func IsCity(code string) bool { return isCity(code) }

// PostalCode returns the postal code suggested for a county-level code.
func PostalCode(county string) (string, bool) {
	for _, c := range data.cities {
		for _, d := range c.Districts {
			if d.Code == county {
				return d.PostalCode, true
			}
		}
	}
	return "", false
}

// Banks returns the banks the picker offers, in bank-code order.
func Banks() []Bank { return slices.Clone(data.banks) }

// Branches returns the branches in the city with the four-digit code, of
// every bank, or nil for an unknown city.
func Branches(city string) []Branch { return slices.Clone(data.byCity[city]) }

// LookupBranch returns the branch with the 12-digit number.
func LookupBranch(code string) (Branch, bool) {
	b, ok := data.branches[code]
	return b, ok
}

// Engravers returns the seal engravers licensed in the city with the
// four-digit code, or nil for an unknown city.
func Engravers(city string) []Engraver { return slices.Clone(data.engravers[city]) }

// LookupEngraver returns the engraver of the city with exactly the name.
func LookupEngraver(city, name string) (Engraver, bool) {
	for _, e := range data.engravers[city] {
		if e.Name == name {
			return e, true
		}
	}
	return Engraver{}, false
}
