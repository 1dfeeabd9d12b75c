// Package refdata is the reference data the one form's pickers offer
// instead of typed codes: Liaoning's cities with their districts and
// counties (from shared/cnid's GB/T 2260 table) and a postal code for
// each, the bank branches of each city and the seal engravers registered
// in each city. The validator checks a form's choices against the same
// lists, so the portal cannot offer what the form would refuse.
//
// Everything is embedded and parsed once at start-up; the lists are
// read-only afterwards and need no locking. The branch and engraver lists
// are simulated (see their files' headers); gen.go writes them.
package refdata

//go:generate go run gen.go
