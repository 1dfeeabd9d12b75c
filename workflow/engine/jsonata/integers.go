package jsonata

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jtypes"
)

// $formatInteger and $parseInteger, which the Go evaluator lacks, as
// JSONata 2.0.6 defines them after XPath's format-integer: a decimal
// digit pattern ("000", "#,##0"), words ("w", "W", "Ww"), Roman numerals
// ("i", "I") and letters ("a", "A"), each optionally ordinal (";o").
func init() {
	if err := blues.RegisterExts(map[string]blues.Extension{
		"formatInteger": {Func: formatInteger, UndefinedHandler: jtypes.ArgUndefined(0)},
		"parseInteger":  {Func: parseInteger, UndefinedHandler: jtypes.ArgUndefined(0)},
	}); err != nil {
		panic(err)
	}
}

// intPicture is a parsed picture string.
type intPicture struct {
	kind    byte // 'd' decimal, 'w' words, 'i' Roman, 'a' letters
	upper   bool // W, I, A
	title   bool // Ww
	ordinal bool
	// The decimal pattern: mandatory digits, the separators by position
	// (digits to their right) and whether they repeat regularly.
	mandatory int
	seps      []intSep
	regular   int  // the repeat interval, 0 if irregular
	zero      rune // the zero of the pattern's digits ('0', '٠', '０', …)
}

type intSep struct {
	pos int
	sep string
}

var errPicture = errors.New("the picture string is not supported")

func parseIntPicture(p string) (intPicture, error) {
	prim, mod, _ := strings.Cut(p, ";")
	pic := intPicture{ordinal: strings.HasPrefix(mod, "o")}
	switch prim {
	case "w":
		pic.kind = 'w'
		return pic, nil
	case "W":
		pic.kind, pic.upper = 'w', true
		return pic, nil
	case "Ww":
		pic.kind, pic.title = 'w', true
		return pic, nil
	case "i", "I":
		pic.kind, pic.upper = 'i', prim == "I"
		return pic, nil
	case "a", "A":
		pic.kind, pic.upper = 'a', prim == "A"
		return pic, nil
	}
	pic.kind, pic.zero = 'd', '0'
	family := false
	runes := []rune(prim)
	digits := 0
	for i := len(runes) - 1; i >= 0; i-- {
		switch r := runes[i]; {
		case unicode.IsDigit(r):
			// any decimal digit family, one per picture
			if z := digitZero(r); !family {
				pic.zero, family = z, true
			} else if z != pic.zero {
				return pic, errPicture
			}
			pic.mandatory++
			digits++
		case r == '#':
			digits++
		case unicode.IsLetter(r):
			return pic, errPicture
		default:
			if digits == 0 || i == 0 {
				return pic, errPicture
			}
			pic.seps = append(pic.seps, intSep{pos: digits, sep: string(r)})
		}
	}
	if pic.mandatory == 0 { // at least one mandatory digit, as XPath requires
		return pic, errPicture
	}
	if n := len(pic.seps); n > 0 {
		first := pic.seps[0]
		regular := true
		for i, s := range pic.seps {
			regular = regular && s.sep == first.sep && s.pos == first.pos*(i+1)
		}
		if regular {
			pic.regular = first.pos
		}
	}
	return pic, nil
}

// formatInteger is $formatInteger(number, picture).
func formatInteger(n float64, picture string) (string, error) {
	pic, err := parseIntPicture(picture)
	if err != nil {
		return "", errors.New("$formatInteger: " + err.Error())
	}
	return formatIntPicture(n, pic)
}

// formatIntPicture formats n with a parsed picture.
func formatIntPicture(n float64, pic intPicture) (string, error) {
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return "", errors.New("$formatInteger: the number is out of range")
	}
	if pic.kind == 'w' {
		// Words name any magnitude ("one thousand trillion"), computed
		// with doubles as jsonata-js does.
		f := math.Floor(n)
		s := numberWords(math.Abs(f), pic.ordinal)
		switch {
		case pic.upper:
			s = strings.ToUpper(s)
		case pic.title:
			s = titleWords(s)
		}
		if f < 0 {
			s = map[bool]string{false: "minus ", true: "MINUS "}[pic.upper] + s
		}
		return s, nil
	}
	if math.Abs(n) >= 1e15 {
		return "", errors.New("$formatInteger: the number is out of range")
	}
	v := int64(math.Floor(n))
	neg := v < 0
	if neg {
		v = -v
	}
	var s string
	switch pic.kind {
	case 'i':
		s = roman(v)
		if !pic.upper {
			s = strings.ToLower(s)
		}
	case 'a':
		s = letters(v, pic.upper)
	default:
		s = decimal(v, pic)
		if pic.ordinal {
			s += ordinalSuffix(v)
		}
	}
	if neg {
		s = "-" + s
	}
	return s, nil
}

// digitZero is the zero of the decimal digit family of r: Unicode puts
// each family's ten digits together, zero first.
func digitZero(r rune) rune {
	z := r
	for unicode.IsDigit(z - 1) {
		z--
	}
	return z + (r-z)/10*10
}

func decimal(v int64, pic intPicture) string {
	d := strconv.FormatInt(v, 10)
	if len(d) < pic.mandatory {
		d = strings.Repeat("0", pic.mandatory-len(d)) + d
	}

	var b []string
	for i := len(d); i > 0; i-- {
		pos := len(d) - i // digits to the right of this one
		if pos > 0 {
			if pic.regular > 0 && pos%pic.regular == 0 {
				b = append(b, pic.seps[0].sep)
			} else if pic.regular == 0 {
				for _, s := range pic.seps {
					if s.pos == pos {
						b = append(b, s.sep)
					}
				}
			}
		}
		b = append(b, d[i-1:i])
	}
	var out strings.Builder
	for i := len(b) - 1; i >= 0; i-- {
		out.WriteString(b[i])
	}
	if pic.zero != '0' {
		return strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r - '0' + pic.zero
			}
			return r
		}, out.String())
	}
	return out.String()
}

func ordinalSuffix(v int64) string {
	if t := v % 100; t >= 11 && t <= 13 {
		return "th"
	}
	switch v % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

var (
	fewWords    = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	fewOrdinals = []string{"zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth"}
	decadeWords = []string{"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred"}
	magnitudes  = []string{"thousand", "million", "billion", "trillion"}
)

// numberWords writes v in English words as jsonata-js does ("one
// thousand, two hundred and thirty-four"), the last word ordinal if asked.
func numberWords(v float64, ordinal bool) string {
	w := wordsOf(v, false)
	if !ordinal {
		return w
	}
	cut := strings.LastIndexAny(w, " -") + 1
	last := w[cut:]
	for i, f := range fewWords {
		if f == last {
			return w[:cut] + fewOrdinals[i]
		}
	}
	if strings.HasSuffix(last, "y") {
		return w[:cut] + strings.TrimSuffix(last, "y") + "ieth"
	}
	return w + "th"
}

// wordsOf writes v (a whole number) in words; beyond the trillions the
// magnitudes repeat ("ten billion trillion trillion").
func wordsOf(v float64, prev bool) string {
	and := func(s string) string {
		if prev {
			return " and " + s
		}
		return s
	}
	switch {
	case v <= 19:
		return and(fewWords[int(v)])
	case v < 100:
		w := and(decadeWords[int(v)/10-2])
		if r := int(v) % 10; r > 0 {
			w += "-" + fewWords[r]
		}
		return w
	case v < 1000:
		w := fewWords[int(v)/100] + " hundred"
		if prev {
			w = ", " + w
		}
		if r := math.Mod(v, 100); r > 0 {
			w += wordsOf(r, true)
		}
		return w
	}
	mag := int(math.Floor(math.Log10(v) / 3))
	mag = min(mag, len(magnitudes))
	factor := math.Pow(10, float64(mag*3))
	mant := math.Floor(v / factor)
	w := wordsOf(mant, false) + " " + magnitudes[mag-1]
	if prev {
		w = ", " + w
	}
	if r := v - mant*factor; r > 0 {
		w += wordsOf(r, true)
	}
	return w
}

// titleWords capitalises every word but "and", the parts of a
// hyphenated one too ("Fifty-Five").
func titleWords(s string) string {
	var b strings.Builder
	start := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if start && c >= 'a' && c <= 'z' && !strings.HasPrefix(s[i:], "and ") {
			c -= 'a' - 'A'
		}
		start = c == ' ' || c == '-'
		b.WriteByte(c)
	}
	return b.String()
}

var romanTable = []struct {
	v int64
	s string
}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}}

func roman(v int64) string {
	var b strings.Builder
	for _, r := range romanTable {
		for ; v >= r.v; v -= r.v {
			b.WriteString(r.s)
		}
	}
	return b.String()
}

func letters(v int64, upper bool) string {
	base := byte('a')
	if upper {
		base = 'A'
	}
	var out []byte
	for v > 0 {
		v--
		out = append([]byte{base + byte(v%26)}, out...)
		v /= 26
	}
	return string(out)
}

// parseInteger is $parseInteger(string, picture), the inverse of
// $formatInteger.
func parseInteger(s, picture string) (float64, error) {
	pic, err := parseIntPicture(picture)
	if err != nil {
		return 0, errors.New("$parseInteger: " + err.Error())
	}
	bad := errors.New("$parseInteger: the string does not match the picture")
	switch pic.kind {
	case 'w':
		v, ok := parseWords(strings.ToLower(s))
		if !ok {
			return 0, bad
		}
		return v, nil
	case 'i':
		if s == "" {
			return 0, nil
		}
		return parseRoman(strings.ToUpper(s))
	case 'a':
		var v int64
		for _, r := range strings.ToLower(s) {
			if r < 'a' || r > 'z' {
				return 0, bad
			}
			v = v*26 + int64(r-'a'+1)
		}
		return float64(v), nil
	}
	neg := strings.HasPrefix(s, "-")
	digits := strings.Map(func(r rune) rune {
		if r >= pic.zero && r <= pic.zero+9 {
			return r - pic.zero + '0'
		}
		for _, sep := range pic.seps {
			if string(r) == sep.sep {
				return -1
			}
		}
		return 'x'
	}, strings.TrimPrefix(s, "-"))
	if pic.ordinal {
		digits = strings.TrimRight(digits, "x")
	}
	v, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || digits == "" {
		return 0, bad
	}
	if neg {
		v = -v
	}
	return float64(v), nil
}

// parseWords reads English number words: each value under a hundred is
// added to the group being read, "hundred" and the magnitudes multiply
// it, and a group of a thousand or more starts a new one, so that
// "one thousand trillion" is 10^15.
func parseWords(s string) (float64, bool) {
	neg := strings.HasPrefix(s, "minus ")
	s = strings.TrimPrefix(s, "minus ")
	words := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' || r == '-' })
	groups := []float64{0}
	n := 0
	for _, w := range words {
		if w == "and" {
			continue
		}
		n++
		top := len(groups) - 1
		if v, ok := wordValue(w); ok {
			if groups[top] >= 1000 {
				groups = append(groups, v)
			} else {
				groups[top] += v
			}
			continue
		}
		m, ok := magnitudeValue(w)
		if !ok {
			return 0, false
		}
		groups[top] *= m
	}
	var v float64
	for _, g := range groups {
		v += g
	}
	if neg {
		v = -v
	}
	return v, n > 0
}

// magnitudeValue is the value of "hundred", "thousand", … "trillion"
// (or their ordinals).
func magnitudeValue(w string) (float64, bool) {
	if w == "hundred" || w == "hundredth" {
		return 100, true
	}
	for i, m := range magnitudes {
		if w == m || w == m+"th" {
			return math.Pow(1000, float64(i+1)), true
		}
	}
	return 0, false
}

func wordValue(w string) (float64, bool) {
	for i := range fewWords {
		if w == fewWords[i] || w == fewOrdinals[i] {
			return float64(i), true
		}
	}
	for i, d := range decadeWords[:8] {
		if w == d || w == strings.TrimSuffix(d, "y")+"ieth" {
			return float64(i+2) * 10, true
		}
	}
	return 0, false
}

func parseRoman(s string) (float64, error) {
	var v int64
	rest := s
	for _, r := range romanTable {
		for strings.HasPrefix(rest, r.s) {
			v += r.v
			rest = rest[len(r.s):]
		}
	}
	if rest != "" || s == "" {
		return 0, errors.New("$parseInteger: the string does not match the picture")
	}
	return float64(v), nil
}
