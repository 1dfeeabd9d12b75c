package engine

import (
	"errors"
	"strconv"
	"strings"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// splitPointer splits a JSON Pointer (RFC 6901) into its unescaped
// reference tokens; "" points to the whole document.
func splitPointer(ptr string) ([]string, error) {
	if ptr == "" {
		return nil, nil
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil, errors.New("must be a JSON Pointer starting with /, got " + strconv.Quote(ptr))
	}
	tokens := strings.Split(ptr[1:], "/")
	for i, t := range tokens {
		if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(t, "~0", ""), "~1", ""), "~") {
			return nil, errors.New("must escape ~ as ~0 and / as ~1, got " + strconv.Quote(ptr))
		}
		tokens[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return tokens, nil
}

// pointerIn resolves a JSON Pointer in v: object members by name, array
// elements by index.
func pointerIn(v any, ptr string) (any, error) {
	tokens, err := splitPointer(ptr)
	if err != nil {
		return nil, err
	}
	for _, t := range tokens {
		switch c := v.(type) {
		case *expr.Object:
			m, ok := c.Get(t)
			if !ok {
				return nil, errors.New("no member " + strconv.Quote(t))
			}
			v = m
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(c) || (len(t) > 1 && t[0] == '0') {
				return nil, errors.New("no element " + strconv.Quote(t))
			}
			v = c[i]
		default:
			return nil, errors.New("cannot step into " + string(mustEncode(v)) + " with " + strconv.Quote(t))
		}
	}
	return v, nil
}
