package simulate

import (
	"bytes"
	"fmt"
)

// founderIDs are the resident ID numbers of the four people in baseForm
// (legal representative, second shareholder, manager, finance officer).
var founderIDs = []string{"210102198503120316", "210103198807260242", "210104197909080535", "210112199204150061"}

// withFounders gives application i's form people of its own: each ID
// number of baseForm is replaced by another valid one (same district and
// sex digit, birth date and sequence drawn from (seed, i)). With one set
// of people for the whole day, every founder after the first application
// would have "verified on Kaiban within 30 days" and never meet the
// identity agency; with a million possible numbers per person, a few
// hundred of the day's 20,000 people recur, as serial founders do.
func withFounders(seed uint64, i int, form []byte) []byte {
	r := rng(seed, i, "founders")
	for _, old := range founderIDs {
		id := fmt.Sprintf("%s%04d%02d%02d%02d%c", old[:6], 1970+r.IntN(30), 1+r.IntN(12), 1+r.IntN(28), r.IntN(100), old[16])
		form = bytes.ReplaceAll(form, []byte(old), []byte(id+string(idCheckChar(id))))
	}
	return form
}

// idCheckChar is the GB 11643-1999 check character of an ID number's
// first 17 digits.
func idCheckChar(first17 string) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k := range 17 {
		sum += int(first17[k]-'0') * weights[k]
	}
	return "10X98765432"[sum%11]
}
