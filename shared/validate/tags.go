package validate

import (
	"context"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kaiban/kaiban/shared/bizscope"
	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// Invoice limits of a first-time grant (首次申领).
const (
	MaxSpecialVATPerMonth  = 25
	MaxOrdinaryVATPerMonth = 50
	MaxInvoiceAmount       = 100_000 // yuan per invoice
	MinHousingFundRate     = 5.0     // percent
	MaxHousingFundRate     = 12.0
	AdultAge               = 18
	MaxLLCShareholders     = 50
	CapitalDueYears        = 5 // Company Law 2023, art. 47
	BankCodeDigits         = 3
	BranchCodeDigits       = 12
)

// nowKey carries the submission time through the engine's context to the
// tags and rules that depend on it.
type nowKey struct{}

// nowFrom returns the submission time put in ctx by Validate.
func nowFrom(ctx context.Context) time.Time {
	if t, ok := ctx.Value(nowKey{}).(time.Time); ok {
		return t
	}
	return time.Time{}
}

// fieldTags are the custom field-level tags. Each has its own zh and en
// message in messages.go.
var fieldTags = map[string]check{
	"uscc":           str(cnid.ValidUSCC),
	"cn_idcard":      validIDCard,
	"cn_mobile":      str(cnid.ValidMobile),
	"cn_postcode":    str(cnid.ValidPostcode),
	"ln_region":      str(func(s string) bool { _, ok := cnid.LookupRegion(s); return ok }),
	"scope_item":     str(bizscope.Valid),
	"date":           str(func(s string) bool { _, ok := parseDate(s); return ok }),
	"not_past":       notPast,
	"workday":        workday,
	"adult":          adult,
	"trade_name":     str(func(s string) bool { return isHan(s) && utf8.RuneCountInString(s) >= 2 }),
	"han":            str(isHan),
	"official_seal":  officialSeal,
	"invoice_amount": func(_ context.Context, fl fieldLevel) bool { return fl.value.Int() <= MaxInvoiceAmount },
	"fund_rate": func(_ context.Context, fl fieldLevel) bool {
		r := fl.value.Float()
		return r >= MinHousingFundRate && r <= MaxHousingFundRate
	},
	"accepted":    func(_ context.Context, fl fieldLevel) bool { return fl.value.Bool() },
	"person_name": str(isPersonName),
	"bank_code":   str(func(s string) bool { return len(s) == BankCodeDigits && allDigits(s) }),
	"branch_code": str(func(s string) bool { return len(s) == BranchCodeDigits && allDigits(s) }),
	"plain_text":  str(isPlainText),
	"name_text":   str(isNameText),
}

// isPersonName accepts a name as an ID card prints it, after NFKC (see
// charset.go): CJK unified ideographs or Latin letters (no combining marks
// or fullwidth forms, which only disguise a name; no other scripts, no
// Hangul fillers), joined by the middle dot 「·」 or single spaces and
// hyphens; no digits, symbols, emoji, control or invisible formatting
// characters.
func isPersonName(s string) bool {
	if s == "" || !isNameText(s) {
		return false
	}
	prevSep := true // no separator first
	for _, r := range s {
		switch {
		case isUnifiedHan(r) || unicode.Is(unicode.Latin, r) && unicode.IsLetter(r) && !(r >= 0xFF00 && r <= 0xFFEF): // no fullwidth/halfwidth forms
			prevSep = false
		case r == '·' || r == ' ' || r == '-':
			if prevSep {
				return false
			}
			prevSep = true
		default:
			return false
		}
	}
	return !prevSep
}

// isPlainText rejects what has no place in a form's free text: control
// characters, invisible formatting (bidirectional overrides, zero-width
// characters, byte-order marks), private-use code points and the
// replacement character left by invalid UTF-8.
func isPlainText(s string) bool {
	for _, r := range s {
		if !plainRune(r) {
			return false
		}
	}
	return true
}

func plainRune(r rune) bool {
	return r != utf8.RuneError && !unicode.IsControl(r) && !unicode.In(r, unicode.Cf, unicode.Co, unicode.Cs)
}

// str adapts a string predicate to a rule.
func str(ok func(string) bool) check {
	return func(_ context.Context, fl fieldLevel) bool { return ok(fl.value.String()) }
}

// validIDCard accepts a valid resident ID number whose holder was born on
// or before the submission date.
func validIDCard(ctx context.Context, fl fieldLevel) bool {
	id := fl.value.String()
	if !cnid.ValidResidentID(id) {
		return false
	}
	_, born := cnid.Age(id, today(nowFrom(ctx)))
	return born
}

// adult accepts the ID number of a person who is 18 or older on the
// submission date. Every natural person the form names carries it: the
// legal representative, natural-person shareholders, directors,
// supervisors, the manager, the finance officer, the tax handler and the
// liaison. A minor may hold shares by law, but only through a guardian,
// and the one form has no guardian block: such an application is made at
// the counter.
func adult(ctx context.Context, fl fieldLevel) bool {
	age, ok := cnid.Age(fl.value.String(), today(nowFrom(ctx)))
	return ok && age >= AdultAge
}

// notPast accepts a date (already checked by the date tag) that is the
// submission day or later.
func notPast(ctx context.Context, fl fieldLevel) bool {
	d, ok := parseDate(fl.value.String())
	return ok && !d.Before(today(nowFrom(ctx)))
}

func workday(_ context.Context, fl fieldLevel) bool {
	d, ok := parseDate(fl.value.String())
	return ok && WorkingDay(d)
}

func officialSeal(_ context.Context, fl fieldLevel) bool {
	types, ok := fl.value.Interface().([]kaiban.SealType)
	if !ok {
		return false
	}
	for _, t := range types {
		if t == kaiban.SealOfficial {
			return true
		}
	}
	return false
}

// isHan reports whether s is non-empty and every rune is a standard
// Chinese character (a CJK unified ideograph of the basic block, see
// charset.go), so Latin letters, digits, spaces, punctuation, radicals,
// compatibility ideographs and invisible fillers are all rejected.
func isHan(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isStandardHan(r) {
			return false
		}
	}
	return true
}

// allDigits reports whether s is made of ASCII digits only.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
