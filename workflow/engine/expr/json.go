package expr

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Decode parses one JSON value the way the engine represents it (objects
// as *Object in input order, numbers as json.Number, so integers keep
// their exact digits) and rejects any trailing data after it, as Step
// Functions rejects such an input.
//
// Most documents take a fast path (fastDecode); the rest are read by
// encoding/json, which checks the text and words the errors, and a second
// pass over its tokens builds the ordered value.
func Decode(data []byte) (any, error) {
	if v, ok := fastDecode(data); ok {
		return v, nil
	}
	return slowDecode(data)
}

// slowDecode is Decode by encoding/json, for any text.
func slowDecode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty JSON text")
		}
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("invalid JSON: trailing data after the value at offset %d", dec.InputOffset())
	}
	toks := json.NewDecoder(bytes.NewReader(raw))
	toks.UseNumber()
	return decodeTokens(toks)
}

// decodeTokens builds one value from a token stream known to be valid.
func decodeTokens(dec *json.Decoder) (any, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch d := t.(type) {
	case json.Delim:
		if d == '[' {
			arr := []any{}
			for dec.More() {
				v, err := decodeTokens(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		}
		var ms []Member
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeTokens(dec)
			if err != nil {
				return nil, err
			}
			ms = append(ms, Member{Key: k.(string), Value: v})
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		return NewObject(ms), nil
	}
	return t, nil
}

// Encode renders v as compact JSON without HTML escaping (AWS does not
// escape <, > and &). Objects keep their members' order; a Go map (from
// code outside the engine) has its keys sorted. Values other than the
// decoded JSON types fall back to encoding/json.
func Encode(v any) ([]byte, error) {
	return appendJSON(make([]byte, 0, 128), v)
}

// encodeString is Encode for error messages, which must never fail.
func encodeString(v any) string {
	b, err := Encode(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func appendJSON(buf []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(buf, "null"...), nil
	case bool:
		return strconv.AppendBool(buf, x), nil
	case string:
		return AppendString(buf, x), nil
	case json.Number:
		if !isJSONNumber(string(x)) {
			return buf, fmt.Errorf("invalid number literal %q", string(x))
		}
		return append(buf, x...), nil
	case *Object:
		buf = append(buf, '{')
		for i, m := range x.Members() {
			if i > 0 {
				buf = append(buf, ',')
			}
			buf = AppendString(buf, m.Key)
			buf = append(buf, ':')
			var err error
			if buf, err = appendJSON(buf, m.Value); err != nil {
				return buf, err
			}
		}
		return append(buf, '}'), nil
	case map[string]any:
		return appendObject(buf, x)
	case []any:
		buf = append(buf, '[')
		for i, e := range x {
			if i > 0 {
				buf = append(buf, ',')
			}
			var err error
			if buf, err = appendJSON(buf, e); err != nil {
				return buf, err
			}
		}
		return append(buf, ']'), nil
	default:
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(v); err != nil {
			return buf, err
		}
		return append(buf, bytes.TrimRight(b.Bytes(), "\n")...), nil
	}
}

func appendObject(buf []byte, m map[string]any) ([]byte, error) {
	var small [16]string
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	buf = append(buf, '{')
	for i, k := range keys {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = AppendString(buf, k)
		buf = append(buf, ':')
		var err error
		if buf, err = appendJSON(buf, m[k]); err != nil {
			return buf, err
		}
	}
	return append(buf, '}'), nil
}

const hexDigits = "0123456789abcdef"

// AppendString writes s as a JSON string the way state data is written:
// only ", \ and control characters are escaped; invalid UTF-8 becomes
// U+FFFD like encoding/json does.
func AppendString(buf []byte, s string) []byte { return appendString(buf, s, false) }

// AppendStringEscapingLS is AppendString that also escapes U+2028 and
// U+2029, as encoding/json does; the engine's history writer uses it.
func AppendStringEscapingLS(buf []byte, s string) []byte { return appendString(buf, s, true) }

func appendString(buf []byte, s string, escapeLS bool) []byte {
	buf = append(buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			buf = append(buf, s[start:i]...)
			switch c {
			case '"', '\\':
				buf = append(buf, '\\', c)
			case '\n':
				buf = append(buf, '\\', 'n')
			case '\r':
				buf = append(buf, '\\', 'r')
			case '\t':
				buf = append(buf, '\\', 't')
			default:
				buf = append(buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			buf = append(buf, s[start:i]...)
			buf = append(buf, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if escapeLS && (r == '\u2028' || r == '\u2029') {
			buf = append(buf, s[start:i]...)
			buf = append(buf, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	buf = append(buf, s[start:]...)
	return append(buf, '"')
}

// isJSONNumber reports whether s is a number in JSON's grammar.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	if i >= len(s) {
		return false
	}
	switch {
	case s[i] == '0':
		i++
	case s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	return i == len(s)
}
