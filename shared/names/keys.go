package names

import "strings"

// The index keys of a name. Every record carries its three keys; a check
// looks up its own similar and homophone keys and the similar keys of each
// shorter piece of its trade name (containment), so nothing is scanned.
//
//	I|registry|trade name|industry words   identical (the reservation lock)
//	S|registry|trade name|division         same trade name, same industry
//	H|registry|pinyin|division             same sound, same industry
//
// A name whose industry words are not in the table has the division "="
// plus its words, so only the same words meet.

func (n Name) division() string {
	if n.Division != "" {
		return n.Division
	}
	return "=" + n.Industry
}

// IdenticalKey is the key on which reservations are exclusive.
func (n Name) IdenticalKey() string {
	return "I|" + n.Registry + "|" + n.TradeName + "|" + n.Industry
}

func (n Name) similarKey(trade string) string {
	return "S|" + n.Registry + "|" + trade + "|" + n.division()
}

func (n Name) homophoneKey() string {
	return "H|" + n.Registry + "|" + toneless(n.TradeName) + "|" + n.division()
}

// Keys are the keys a record of n carries, the identical key first.
func (n Name) Keys() []string {
	return []string{n.IdenticalKey(), n.similarKey(n.TradeName), n.homophoneKey()}
}

// lookupKeys are the keys a check of n looks up.
func (n Name) lookupKeys() []string {
	keys := []string{n.similarKey(n.TradeName), n.homophoneKey()}
	r := []rune(n.TradeName)
	seen := map[string]bool{}
	for l := len(r) - 1; l >= 2; l-- {
		for i := 0; i+l <= len(r); i++ {
			if sub := string(r[i : i+l]); !seen[sub] {
				seen[sub] = true
				keys = append(keys, n.similarKey(sub))
			}
		}
	}
	return keys
}

// toneless is the pinyin of s without tones, syllables joined by spaces;
// a character outside the table stands for itself.
func toneless(s string) string {
	var parts []string
	for _, r := range s {
		if p, ok := tab.pinyin[r]; ok {
			parts = append(parts, p)
		} else {
			parts = append(parts, string(r))
		}
	}
	return strings.Join(parts, " ")
}
