package jsonata

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jlib"
	"github.com/blues/jsonata-go/jtypes"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// Functions of the language whose Go implementation answers differently
// from JSONata 2.0.6 (jsonata-js, which AWS runs), replaced by ones that
// answer as it does: $string of a number rounds to 15 significant
// digits (in an object or array too, whose keys keep their order), $encodeUrlComponent and $encodeUrl escape as JavaScript's
// encodeURIComponent and encodeURI, and $uppercase / $lowercase use
// Unicode's full case mapping as JavaScript does (ß → SS, a final Σ → ς).
func init() {
	std := func(f any) blues.Extension {
		return blues.Extension{Func: f, UndefinedHandler: jtypes.ArgUndefined(0), EvalContextHandler: jtypes.ArgCountEquals(0)}
	}
	if err := blues.RegisterExts(map[string]blues.Extension{
		"string":             std(jsString),
		"encodeUrlComponent": std(encodeURIComponent),
		"encodeUrl":          std(encodeURI),
		"uppercase":          std(func(s string) string { return cases.Upper(language.Und).String(s) }),
		"lowercase":          std(func(s string) string { return cases.Lower(language.Und).String(s) }),
	}); err != nil {
		panic(err)
	}
}

// jsString is $string: a number as jsonata-js writes it (rounded to 15
// significant digits, then JavaScript's shortest form), an object or
// array as JSON (laid out with an indent of two spaces when prettify is
// true), anything else as the language's own $string.
//
// prettify is read by hand: $map, $filter and the like pass a function
// as many arguments as it has parameters, so $map(a, $string) passes the
// index (a Go int) where jsonata-js, counting only $string's required
// parameter, passes nothing; that index is ignored.
func jsString(v any, prettify jtypes.OptionalValue) (string, error) {
	switch v.(type) {
	case map[string]any, []any:
		indent := ""
		if pretty, err := prettyArg(prettify); err != nil {
			return "", err
		} else if pretty {
			indent = "  "
		}
		var b bytes.Buffer
		if err := writeJSON(&b, v, indent, ""); err != nil {
			return "", err
		}
		return b.String(), nil
	}
	if _, err := prettyArg(prettify); err != nil {
		return "", err
	}
	f, ok := v.(float64)
	if !ok {
		return jlib.String(v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "", errors.New("$string: cannot convert an infinite or NaN number to a string")
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	return jsNumber(r), nil
}

// prettyArg reads $string's prettify argument: a boolean, or the index a
// higher-order function passes (ignored).
func prettyArg(arg jtypes.OptionalValue) (bool, error) {
	if !arg.IsSet() {
		return false, nil
	}
	v := jtypes.Resolve(arg.Value)
	if b, ok := jtypes.AsBool(v); ok {
		return b, nil
	}
	if v.IsValid() && v.Kind() == reflect.Int {
		return false, nil
	}
	return false, errors.New("$string: the prettify argument must be a boolean")
}

// jsNumber writes f as JavaScript's Number.prototype.toString does: the
// shortest digits that read back as f, in positional notation from 1e-6
// up to 1e21 and in exponent notation (e+21, e-7) outside.
func jsNumber(f float64) string {
	if f == 0 {
		return "0"
	}
	if a := math.Abs(f); a >= 1e-6 && a < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	sign, digits := exp[:1], strings.TrimLeft(exp[1:], "0")
	return mant + "e" + sign + digits
}

// uriUnreserved are the characters encodeURIComponent leaves as they are;
// encodeURI also leaves uriReserved.
const (
	uriUnreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()"
	uriReserved   = ";,/?:@&=+$#"
)

func encodeURIComponent(s string) (string, error) { return percentEncode(s, uriUnreserved) }

func encodeURI(s string) (string, error) { return percentEncode(s, uriUnreserved+uriReserved) }

// percentEncode escapes every byte of s's UTF-8 outside keep, as
// JavaScript does; a lone surrogate (invalid UTF-8 here) is refused, as
// JavaScript throws a URIError.
func percentEncode(s, keep string) (string, error) {
	if strings.ContainsRune(s, '\uFFFD') {
		return "", errors.New("$encodeUrl: malformed URI sequence")
	}
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String(), nil
}
