package validate

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Names are what agencies print on a licence, a seal and an ID check, so
// they are held to a character set, after normalisation:
//
//  1. Validate rewrites every name in the form before any rule runs, and
//     the normalised form is what is stored and sent on. Look-alikes that
//     have a standard twin become that twin, as Unicode NFKC has it
//     (foldTable):
//     Kangxi radicals (U+2F00–2FDF, ⼭ → 山), CJK compatibility ideographs
//     (U+F900–FAFF, 豈 → 豈), fullwidth Latin and digits, the ideographic
//     space. Company names then write parentheses fullwidth again
//     (（有限合伙）), as the name rules do; person names write every
//     middle-dot look-alike (・ ‧ • ∙ ⋅) as U+00B7 「·」, as ID cards do.
//     Surrounding spaces are dropped. The company name and its parts are
//     normalised alike, so the name still equals the concatenation of its
//     parts.
//  2. What remains is checked:
//     - company name parts (trade name, industry, region): CJK unified
//       ideographs of the basic block U+4E00–9FFF only, which hold GB 2312,
//       GBK and all but a few hundred rare characters of the 通用规范汉字表;
//       a name with one of those is registered at the counter.
//     - person names: CJK unified ideographs of every block (the basic
//       block and extensions A–I: rare characters are common in given
//       names and ID cards print them) or Latin letters (transcribed
//       names of foreign permanent residents), joined by 「·」, single
//       spaces or hyphens. Other scripts are refused: residents' legal
//       names are registered in Chinese characters.
//     - every name (company, enterprise shareholder, carving shop): no
//       control or invisible characters (zero-width characters, Hangul
//       fillers U+115F U+1160 U+3164 U+FFA0 and other default-ignorable
//       code points, variation selectors, combining marks left over), no
//       radicals (U+2E80–2FDF), ideographic description characters,
//       strokes or compatibility ideographs that NFKC left in place (the
//       CJK radicals supplement has no standard twin).

// normalizeNames rewrites the form's names to their normalised form. A
// name already normalised is not written, so validating a form that is
// shared read-only stays free of data races.
func normalizeNames(f *kaiban.Form) {
	c := &f.Company
	for _, p := range []*string{&c.Name, &c.NameParts.Region, &c.NameParts.TradeName, &c.NameParts.Industry, &c.NameParts.OrgForm, &f.Seals.CarvingShop} {
		set(p, orgName)
	}
	set(&f.LegalRepresentative.Name, personName)
	for i := range f.Shareholders {
		if s := &f.Shareholders[i]; s.Kind == kaiban.HolderNaturalPerson {
			set(&s.Name, personName)
		} else {
			set(&s.Name, orgName)
		}
	}
	for i := range f.Directors {
		set(&f.Directors[i].Name, personName)
	}
	for i := range f.Supervisors {
		set(&f.Supervisors[i].Name, personName)
	}
	if f.Manager != nil {
		set(&f.Manager.Name, personName)
	}
	set(&f.FinanceOfficer.Name, personName)
	set(&f.TaxHandler.Name, personName)
	set(&f.Liaison.Name, personName)
}

// set replaces *p by norm(*p) when that differs.
func set(p *string, norm func(string) string) {
	if n := norm(*p); n != *p {
		*p = n
	}
}

//go:generate go run ./internal/genfold

// nfkc folds the compatibility characters a look-alike name is made of
// to their NFKC forms (foldTable, generated from golang.org/x/text's NFKC
// by internal/genfold), without allocating when there are none. Other
// compatibility characters stay as they are, and the character-set checks
// refuse them.
func nfkc(s string) string {
	if plainASCIIOrHan(s) {
		return s
	}
	var b strings.Builder
	folded := false
	for i, r := range s {
		f, ok := fold(r)
		switch {
		case ok && !folded:
			folded = true
			b.Grow(len(s))
			b.WriteString(s[:i])
			b.WriteRune(f)
		case ok:
			b.WriteRune(f)
		case folded:
			b.WriteRune(r)
		}
	}
	if !folded {
		return s
	}
	return b.String()
}

// foldRecord is the size of one foldTable record.
const foldRecord = 6

// fold returns r's NFKC form when foldTable has it.
func fold(r rune) (rune, bool) {
	lo, hi := 0, len(foldTable)/foldRecord
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch from := foldRune(m * foldRecord); {
		case from < r:
			lo = m + 1
		case from > r:
			hi = m
		default:
			return foldRune(m*foldRecord + 3), true
		}
	}
	return 0, false
}

// foldRune reads the 3-byte code point at foldTable[i:].
func foldRune(i int) rune {
	return rune(foldTable[i])<<16 | rune(foldTable[i+1])<<8 | rune(foldTable[i+2])
}

// plainASCIIOrHan is the common case of a name, checked cheaply: ASCII and
// basic-block ideographs only, which NFKC leaves as they are (none
// decomposes or combines).
func plainASCIIOrHan(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && !isStandardHan(r) {
			return false
		}
	}
	return true
}

// orgParens writes parentheses fullwidth, as Chinese enterprise names do.
var orgParens = strings.NewReplacer("(", "（", ")", "）")

// orgName normalises an enterprise's name: NFKC, no surrounding spaces,
// fullwidth parentheses.
func orgName(s string) string {
	s = strings.TrimSpace(nfkc(s))
	if strings.ContainsAny(s, "()") {
		s = orgParens.Replace(s)
	}
	return s
}

// personDots are the middle-dot look-alikes people type between the parts
// of a minority name; ID cards print U+00B7.
var personDots = strings.NewReplacer("・", "·", "‧", "·", "•", "·", "∙", "·", "⋅", "·")

// personName normalises a person's name: NFKC, no surrounding spaces,
// U+00B7 between the parts of a minority name.
func personName(s string) string {
	s = strings.TrimSpace(nfkc(s))
	if strings.ContainsAny(s, "・‧•∙⋅") {
		s = personDots.Replace(s)
	}
	return s
}

// isStandardHan reports whether r is a CJK unified ideograph of the basic
// block.
func isStandardHan(r rune) bool { return r >= 0x4E00 && r <= 0x9FFF }

// isUnifiedHan reports whether r is a CJK unified ideograph of any block.
func isUnifiedHan(r rune) bool {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF, // basic block
		r >= 0x3400 && r <= 0x4DBF,   // extension A
		r >= 0x20000 && r <= 0x2A6DF, // B
		r >= 0x2A700 && r <= 0x2EE5F, // C, D, E, F, I
		r >= 0x30000 && r <= 0x323AF: // G, H
		return true
	}
	return false
}

// isLookAlike reports the characters no name may keep after NFKC:
// radicals, description characters, strokes and compatibility ideographs.
func isLookAlike(r rune) bool {
	switch {
	case r >= 0x2E80 && r <= 0x2FFF, // radicals supplement, Kangxi radicals, description characters
		r >= 0x31C0 && r <= 0x31EF,   // strokes
		r >= 0xF900 && r <= 0xFAFF,   // compatibility ideographs
		r >= 0x2F800 && r <= 0x2FA1F: // compatibility ideographs supplement
		return true
	}
	return false
}

// isNameText accepts plain text fit for a name: see the package comment
// above for what it refuses.
func isNameText(s string) bool {
	for _, r := range s {
		if isStandardHan(r) || r >= 0x20 && r < 0x7f {
			continue // the common case, fit for a name
		}
		if !plainRune(r) || isLookAlike(r) || r == 0x2800 || // braille blank, another "empty" letter
			unicode.In(r, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector, unicode.Mn, unicode.Me) {
			return false
		}
	}
	return true
}
