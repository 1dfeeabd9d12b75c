package expr

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
)

// typeName names a value's JSON type for error messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case *Object:
		return "object"
	case []any:
		return "array"
	}
	if _, ok := toFloat(v); ok {
		return "number"
	}
	return "unknown"
}

// isNumber reports whether v is a JSON number. Besides json.Number it
// accepts Go's numeric types, so values built by Go code (handlers, tests)
// behave like decoded ones.
func isNumber(v any) bool {
	_, ok := toFloat(v)
	return ok
}

// toFloat returns v as float64 when v is a number.
func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil && !isRangeErr(err) {
			return 0, false
		}
		return f, true
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}

func isRangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// toInt64 returns v as an int64 when v is a number with an exact integer
// value (1 and 1.0 both qualify, 1.5 does not).
func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i, true
		}
	case int:
		return int64(x), true
	case int64:
		return x, true
	case int32:
		return int64(x), true
	}
	f, ok := toFloat(v)
	if !ok || f != math.Trunc(f) || f < -(1<<63) || f >= 1<<63 {
		return 0, false
	}
	return int64(f), true
}

// number is a parsed JSON number, ready for comparison. Integers that
// fit in int64 compare exactly; larger integer literals keep their digits
// (big) so they compare exactly too; anything else compares as float64.
type number struct {
	i     int64
	f     float64
	exact bool   // i holds the value
	big   string // integer literal too large for int64
}

// toNumber parses v when it is a number.
func toNumber(v any) (number, bool) {
	if x, ok := v.(json.Number); ok {
		s := string(x)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return number{i: i, f: float64(i), exact: true}, true
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !isRangeErr(err) {
			return number{}, false
		}
		n := number{f: f}
		if isIntLiteral(s) {
			n.big = s
		}
		return n, true
	}
	if i, ok := exactInt(v); ok {
		return number{i: i, f: float64(i), exact: true}, true
	}
	f, ok := toFloat(v)
	return number{f: f}, ok
}

// cmp orders a and b; ok is false when either is NaN.
func (a number) cmp(b number) (int, bool) {
	switch {
	case a.exact && b.exact:
		return cmpOrdered(a.i, b.i), true
	case (a.big != "" || a.exact) && (b.big != "" || b.exact):
		return compareIntLiterals(a.literal(), b.literal()), true
	case math.IsNaN(a.f) || math.IsNaN(b.f):
		return 0, false
	}
	return cmpOrdered(a.f, b.f), true
}

func (a number) literal() string {
	if a.big != "" {
		return a.big
	}
	return strconv.FormatInt(a.i, 10)
}

// compareNumbers orders two numbers: -1, 0 or 1, by value, so 1 == 1.0 as
// AWS has it. ok is false unless both are numbers.
func compareNumbers(a, b any) (int, bool) {
	na, ok := toNumber(a)
	if !ok {
		return 0, false
	}
	nb, ok := toNumber(b)
	if !ok {
		return 0, false
	}
	return na.cmp(nb)
}

// exactInt returns v as int64 when it is written as an integer that fits,
// the cheap case that needs no float conversion.
func exactInt(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		i, err := strconv.ParseInt(string(x), 10, 64)
		return i, err == nil
	case int:
		return int64(x), true
	case int64:
		return x, true
	case int32:
		return int64(x), true
	}
	return 0, false
}

func cmpOrdered[T int64 | float64 | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// intNumber makes a JSON number from an integer.
func intNumber(i int64) json.Number { return json.Number(strconv.FormatInt(i, 10)) }

// equal is deep JSON equality: numbers compare by value, objects by their
// members regardless of order. ArrayContains and ArrayUnique use it.
func equal(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case *Object:
		y, ok := b.(*Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, m := range x.Members() {
			yv, ok := y.Get(m.Key)
			if !ok || !equal(m.Value, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !equal(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	if !isNumber(a) || !isNumber(b) {
		return false
	}
	c, ok := compareNumbers(a, b)
	return ok && c == 0
}

// isIntLiteral reports whether a JSON number is written as an integer
// (no fraction or exponent).
func isIntLiteral(s string) bool { return !strings.ContainsAny(s, ".eE") }

// compareIntLiterals orders two JSON integer literals of any size exactly
// (JSON integers have no leading zeros, so length orders magnitude).
func compareIntLiterals(a, b string) int {
	negA, negB := strings.HasPrefix(a, "-"), strings.HasPrefix(b, "-")
	if a == "-0" {
		a, negA = "0", false
	}
	if b == "-0" {
		b, negB = "0", false
	}
	if negA != negB {
		if negA {
			return -1
		}
		return 1
	}
	mag := cmpOrdered(int64(len(a)), int64(len(b)))
	if mag == 0 {
		mag = strings.Compare(a, b)
	}
	if negA {
		return -mag
	}
	return mag
}
