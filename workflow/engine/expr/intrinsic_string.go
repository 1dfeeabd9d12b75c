package expr

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"
	"unicode/utf8"
)

// maxStringInput is AWS's limit on the input of States.Hash,
// States.Base64Encode and States.Base64Decode, in characters.
const maxStringInput = 10000

// checkFormat checks, for a literal template, that the number of {}
// placeholders matches the number of values, and splits the template.
func checkFormat(c *call) error {
	if c.args[0].kind != argLiteral {
		return nil
	}
	c.format = splitFormat(c.args[0].raw, true)
	if want := len(c.format) - 1; want != len(c.args)-1 {
		return fmt.Errorf("States.Format template has %d {} placeholder(s) but %d value(s) were given", want, len(c.args)-1)
	}
	return nil
}

// splitFormat splits a template around its {} placeholders. With escapes,
// \{ \} and \\ stand for literal characters (a literal template in the
// definition); a template read from the input is taken as is.
func splitFormat(t string, escapes bool) []string {
	var parts []string
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		switch c := t[i]; {
		case escapes && c == '\\' && i+1 < len(t):
			b.WriteByte(t[i+1])
			i++
		case c == '{' && i+1 < len(t) && t[i+1] == '}':
			parts = append(parts, b.String())
			b.Reset()
			i++
		default:
			b.WriteByte(c)
		}
	}
	return append(parts, b.String())
}

func fnFormat(c *call, args []any) (any, error) {
	parts := c.format
	if parts == nil {
		parts = splitFormat(args[0].(string), false)
	}
	if len(parts)-1 != len(args)-1 {
		return nil, c.fail("the number of arguments does not match the occurrences of {} (%d placeholder(s), %d value(s))", len(parts)-1, len(args)-1)
	}
	var b strings.Builder
	size := 16 * (len(parts) - 1)
	for _, p := range parts {
		size += len(p)
	}
	b.Grow(size)
	for i, p := range parts {
		b.WriteString(p)
		if i+1 < len(parts) {
			writeFormatValue(&b, args[i+1])
		}
	}
	return b.String(), nil
}

// writeFormatValue renders a value the way Step Functions does inside
// States.Format: strings bare, numbers as written (so integers have no
// ".0"), and objects and arrays in Java's Map/List notation
// ({a=1, b=[x, y]}), members in their order.
func writeFormatValue(b *strings.Builder, v any) {
	switch x := v.(type) {
	case string:
		b.WriteString(x)
	case *Object:
		b.WriteByte('{')
		for i, m := range x.Members() {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(m.Key)
			b.WriteByte('=')
			writeFormatValue(b, m.Value)
		}
		b.WriteByte('}')
	case []any:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeFormatValue(b, e)
		}
		b.WriteByte(']')
	default:
		b.WriteString(encodeString(x))
	}
}

// fnStringToJSON parses a string as JSON; an empty or blank string is
// null, as AWS has it.
func fnStringToJSON(c *call, args []any) (any, error) {
	s := args[0].(string)
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, err := Decode([]byte(s))
	if err != nil {
		return nil, c.fail("the string is not valid JSON: %s", encodeString(s))
	}
	return v, nil
}

func fnJSONToString(c *call, args []any) (any, error) {
	b, err := Encode(args[0])
	if err != nil {
		return nil, c.fail("the value cannot be rendered as JSON")
	}
	return string(b), nil
}

// fnStringSplit splits on every character of the delimiter string, and
// drops empty pieces, as Step Functions does ("a.b+c" split on ".+" is
// ["a","b","c"]).
func fnStringSplit(c *call, args []any) (any, error) {
	s, delims := args[0].(string), args[1].(string)
	out := []any{}
	if delims == "" {
		if s != "" {
			out = append(out, s)
		}
		return out, nil
	}
	for _, piece := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) }) {
		out = append(out, piece)
	}
	return out, nil
}

func checkLength(c *call, s string) error {
	if n := utf8.RuneCountInString(s); n > maxStringInput {
		return c.fail("the input string has %d characters; the maximum is %d", n, maxStringInput)
	}
	return nil
}

func fnBase64Encode(c *call, args []any) (any, error) {
	s := args[0].(string)
	if err := checkLength(c, s); err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func fnBase64Decode(c *call, args []any) (any, error) {
	s := args[0].(string)
	if err := checkLength(c, s); err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, c.fail("the string is not valid base64")
	}
	return string(b), nil
}

// hashes maps the algorithm names States.Hash accepts to constructors.
var hashes = map[string]func() hash.Hash{
	"MD5": md5.New, "SHA-1": sha1.New, "SHA-256": sha256.New, "SHA-384": sha512.New384, "SHA-512": sha512.New,
}

const hashNames = "MD5, SHA-1, SHA-256, SHA-384, SHA-512"

func checkHash(c *call) error {
	if a := c.args[1]; a.kind == argLiteral {
		if _, ok := hashes[a.lit.(string)]; !ok {
			return fmt.Errorf("States.Hash algorithm %q is not supported; use one of %s", a.lit, hashNames)
		}
	}
	return nil
}

func fnHash(c *call, args []any) (any, error) {
	s, alg := args[0].(string), args[1].(string)
	newHash, ok := hashes[alg]
	if !ok {
		return nil, c.fail("unsupported hashing algorithm %q; supported: %s", alg, hashNames)
	}
	if err := checkLength(c, s); err != nil {
		return nil, err
	}
	h := newHash()
	h.Write([]byte(s))
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fnUUID returns a random version 4 UUID.
func fnUUID(*call, []any) (any, error) {
	var u [16]byte
	rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:]), nil
}
