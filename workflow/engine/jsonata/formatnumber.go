package jsonata

import (
	"math"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jlib"
	"github.com/blues/jsonata-go/jtypes"
)

// $formatNumber, replaced for a picture with an exponent ("0.0e0") and a
// number that is zero or negative: the Go function never returns then (it
// scales the mantissa until it is at least 1, which zero and a negative
// number never are), and as evaluations take turns that would stop every
// JSONata evaluation of the engine. XPath's format-number, which JSONata
// follows, gives zero the mantissa 0 and the exponent 0, and a negative
// number the digits of its absolute value with the negative subpicture's
// prefix and suffix, or a minus sign. Any other call goes to the Go
// function as it is.
func init() {
	if err := blues.RegisterExts(map[string]blues.Extension{
		"formatNumber": {Func: formatNumber, UndefinedHandler: jtypes.ArgUndefined(0), EvalContextHandler: formatNumberContext},
	}); err != nil {
		panic(err)
	}
}

// formatNumberContext passes the context as the number when the first
// of one or two arguments is a string (the picture), as the language's
// own $formatNumber does.
func formatNumberContext(argv []reflect.Value) bool {
	return (len(argv) == 1 || len(argv) == 2) && jtypes.IsString(argv[0])
}

// numberFormat is the part of a decimal format the replacement needs.
type numberFormat struct {
	minus, zero, digit, decimal, group, exponent, pattern rune
}

func formatNumber(v float64, picture string, options jtypes.OptionalValue) (string, error) {
	if v > 0 || math.IsNaN(v) {
		return jlib.FormatNumber(v, picture, options)
	}
	f := numberFormat{minus: '-', zero: '0', digit: '#', decimal: '.', group: ',', exponent: 'e', pattern: ';'}
	if options.IsSet() {
		f.read(jtypes.Resolve(options.Value))
	}
	pos, neg, hasNeg := strings.Cut(picture, string(f.pattern))
	if !f.hasExponent(pos) || math.IsInf(v, 0) || strings.ContainsRune(neg, f.pattern) {
		return jlib.FormatNumber(v, picture, options)
	}
	if v == 0 {
		return f.zeroWithExponent(pos, options)
	}
	s, err := jlib.FormatNumber(-v, pos, options)
	if err != nil || !hasNeg {
		return string(f.minus) + s, err
	}
	pp, ps := f.affixes(pos)
	np, ns := f.affixes(neg)
	return np + strings.TrimSuffix(strings.TrimPrefix(s, pp), ps) + ns, nil
}

// read takes the characters an options object sets; anything it cannot
// read is left to the language's own function, which reports it.
func (f *numberFormat) read(opts reflect.Value) {
	if !jtypes.IsMap(opts) {
		return
	}
	for _, k := range opts.MapKeys() {
		name, _ := jtypes.AsString(k)
		val, _ := jtypes.AsString(opts.MapIndex(k))
		r, w := utf8.DecodeRuneInString(val)
		if w == 0 || w != len(val) {
			continue
		}
		switch name {
		case "minus-sign":
			f.minus = r
		case "zero-digit":
			f.zero = r
		case "digit":
			f.digit = r
		case "decimal-separator":
			f.decimal = r
		case "grouping-separator":
			f.group = r
		case "exponent-separator":
			f.exponent = r
		case "pattern-separator":
			f.pattern = r
		}
	}
}

func (f *numberFormat) isDigit(r rune) bool {
	return r == f.digit || (r >= f.zero && r <= f.zero+9) || unicode.IsDigit(r)
}

// active reports whether r is a character of a picture's number part
// (the exponent separator counts only between digits).
func (f *numberFormat) active(r rune) bool {
	return f.isDigit(r) || r == f.decimal || r == f.group
}

// affixes are a subpicture's literal prefix and suffix.
func (f *numberFormat) affixes(sub string) (prefix, suffix string) {
	i := strings.IndexFunc(sub, f.active)
	if i < 0 {
		return sub, ""
	}
	j := strings.LastIndexFunc(sub, f.active)
	_, w := utf8.DecodeRuneInString(sub[j:])
	return sub[:i], sub[j+w:]
}

// hasExponent reports whether a subpicture has an exponent part: the
// exponent separator between its digits.
func (f *numberFormat) hasExponent(sub string) bool {
	i := strings.IndexFunc(sub, f.active)
	if i < 0 {
		return false
	}
	j := strings.LastIndexFunc(sub, f.active)
	return strings.ContainsRune(sub[i:j], f.exponent)
}

// zeroWithExponent formats zero with an exponent subpicture: the
// subpicture's smallest mantissa with exponent 0 (10 to the power of
// one less than the integer digits it asks for), its one non-zero digit
// then written as zero.
func (f *numberFormat) zeroWithExponent(sub string, options jtypes.OptionalValue) (string, error) {
	prefix, _ := f.affixes(sub)
	body := sub[len(prefix):]
	mantissa := body[:strings.IndexRune(body, f.exponent)]
	intPart, _, _ := strings.Cut(mantissa, string(f.decimal))
	scale := 0
	for _, r := range intPart {
		if r != f.digit && f.isDigit(r) {
			scale++
		}
	}
	s, err := jlib.FormatNumber(math.Pow(10, float64(scale-1)), sub, options)
	if err != nil {
		return s, err
	}
	rest := s[len(prefix):]
	one := f.zero + 1
	i := strings.IndexRune(rest, one)
	if i < 0 {
		return s, nil
	}
	return prefix + rest[:i] + string(f.zero) + rest[i+utf8.RuneLen(one):], nil
}
