package expr

import (
	"encoding/json"
	"math"
	"unicode/utf8"
)

// JSONSize returns the length of v encoded as JSON, counting no further
// than limit (it returns a value > limit as soon as it knows). It walks
// the value instead of encoding it, so checking the payload quota on
// every state transition costs no allocation, and it remembers each
// object's length, so an object carried from state to state is walked
// once.
func JSONSize(v any, limit int) int {
	n := 0
	sizeOf(v, &n, limit)
	return n
}

func sizeOf(v any, n *int, limit int) {
	if *n > limit {
		return
	}
	switch x := v.(type) {
	case nil:
		*n += 4
	case bool:
		if x {
			*n += 4
		} else {
			*n += 5
		}
	case json.Number:
		*n += len(x)
	case string:
		*n += stringSize(x)
	case json.RawMessage:
		*n += len(x)
	case []any:
		*n += 2 + max(len(x)-1, 0)
		for _, it := range x {
			sizeOf(it, n, limit)
			if *n > limit {
				return
			}
		}
	case *Object:
		*n += objectSize(x, limit-*n)
	default:
		b, err := Encode(v)
		if err != nil {
			*n += len(encodeString(v))
			return
		}
		*n += len(b)
	}
}

// objectSize is o's JSON length, or a value > limit once it exceeds
// limit. A length that was counted to the end is kept in the object.
func objectSize(o *Object, limit int) int {
	if o == nil {
		return 2 // encodes as {}
	}
	if c := o.size.Load(); c > 0 {
		return int(c - 1)
	}
	n := 2 + max(len(o.members)-1, 0)
	for _, m := range o.members {
		n += stringSize(m.Key) + 1
		sizeOf(m.Value, &n, limit)
		if n > limit {
			return n
		}
	}
	if n < math.MaxInt32 {
		o.size.Store(int32(n + 1))
	}
	return n
}

func stringSize(s string) int {
	n := 2
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
				n += 2
			case c < 0x20:
				n += 6
			default:
				n++
			}
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		n += size
		i += size
	}
	return n
}
