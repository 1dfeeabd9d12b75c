package validate

import (
	"context"
	"fmt"
	"net/mail"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// builtins are the generic rules the form's tags use, by name, each made
// from its parameter when a tag is compiled (so a bad parameter fails
// New, not a request). Their texts are in builtinTags.
var builtins = map[string]func(param string) (check, error){
	"required":    noParam(func(fl fieldLevel) bool { return hasValue(fl.value, fl.pointer) }),
	"required_if": requiredIf,
	"email":       noParam(func(fl fieldLevel) bool { return isEmail(fl.value.String()) }),
	"oneof":       oneOf,
	"min":         limit(func(n, p float64) bool { return n >= p }),
	"max":         limit(func(n, p float64) bool { return n <= p }),
	"gt":          limit(func(n, p float64) bool { return n > p }),
	"unique":      unique,
}

func noParam(ok func(fieldLevel) bool) func(string) (check, error) {
	return func(param string) (check, error) {
		if param != "" {
			return nil, fmt.Errorf("takes no parameter")
		}
		return func(_ context.Context, fl fieldLevel) bool { return ok(fl) }, nil
	}
}

// requiredIf ("Kind NATURAL_PERSON") requires a value when the sibling
// field Kind holds NATURAL_PERSON.
func requiredIf(param string) (check, error) {
	sibling, want, ok := strings.Cut(param, " ")
	if !ok || sibling == "" {
		return nil, fmt.Errorf("want \"Field value\"")
	}
	return func(_ context.Context, fl fieldLevel) bool {
		other := fl.parent.FieldByName(sibling)
		if !other.IsValid() || fmt.Sprint(other.Interface()) != want {
			return true
		}
		return hasValue(fl.value, fl.pointer)
	}, nil
}

// oneOf ("AM PM") accepts a string or a number among the listed values.
func oneOf(param string) (check, error) {
	vals := strings.Fields(param)
	if len(vals) == 0 {
		return nil, fmt.Errorf("no values")
	}
	return func(_ context.Context, fl fieldLevel) bool {
		var s string
		switch fl.value.Kind() {
		case reflect.String:
			s = fl.value.String()
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			s = strconv.FormatInt(fl.value.Int(), 10)
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			s = strconv.FormatUint(fl.value.Uint(), 10)
		default:
			return false
		}
		return slices.Contains(vals, s)
	}, nil
}

// limit compares the size that matters for the field's kind with the
// parameter: a string's length in characters, a list's number of items,
// a number's value.
func limit(ok func(n, p float64) bool) func(string) (check, error) {
	return func(param string) (check, error) {
		p, err := strconv.ParseFloat(param, 64)
		if err != nil {
			return nil, err
		}
		return func(_ context.Context, fl fieldLevel) bool {
			v := fl.value
			switch v.Kind() {
			case reflect.String:
				return ok(float64(utf8.RuneCountInString(v.String())), p)
			case reflect.Slice, reflect.Array, reflect.Map:
				return ok(float64(v.Len()), p)
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
				return ok(float64(v.Int()), p)
			case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
				return ok(float64(v.Uint()), p)
			case reflect.Float32, reflect.Float64:
				return ok(v.Float(), p)
			}
			return false
		}, nil
	}
}

// unique accepts a list without repeated items or, with a parameter
// ("Kind"), without two items whose field of that name is equal.
func unique(param string) (check, error) {
	return func(_ context.Context, fl fieldLevel) bool {
		v := fl.value
		if v.Kind() != reflect.Slice && v.Kind() != reflect.Array {
			return false
		}
		seen := make(map[any]bool, v.Len())
		for i := range v.Len() {
			e := reflect.Indirect(v.Index(i))
			if param != "" {
				if e.Kind() != reflect.Struct {
					return false
				}
				e = e.FieldByName(param)
			}
			if !e.IsValid() || !e.Comparable() {
				return false
			}
			key := e.Interface()
			if seen[key] {
				return false
			}
			seen[key] = true
		}
		return true
	}, nil
}

// isEmail accepts a bare address (no display name, no comments) that
// net/mail parses, at a domain of two or more labels of letters, digits
// and inner hyphens, ending in a label that starts and ends with a letter.
func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	labels := strings.Split(strings.TrimSuffix(s[at+1:], "."), ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || strings.HasPrefix(l, "-") || strings.HasSuffix(l, "-") {
			return false
		}
		for _, r := range l {
			if r != '-' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	first, _ := utf8.DecodeRuneInString(tld)
	last, _ := utf8.DecodeLastRuneInString(tld)
	return unicode.IsLetter(first) && unicode.IsLetter(last)
}
