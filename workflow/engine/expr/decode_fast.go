package expr

import (
	"encoding/json"
	"sync"
	"unicode/utf8"
)

// fastDecode is Decode's fast path: task results, inputs and callback
// outputs are decoded on every transition, and encoding/json's Decoder
// allocates a reader and buffer per call and cannot keep member order.
// ok is false for anything unusual (escapes beyond the simple ones,
// invalid UTF-8, any syntax error), which Decode then reads the slow,
// exact way, so results and error messages are the same.
func fastDecode(data []byte) (any, bool) {
	sp := scratchPool.Get().(*[]Member)
	d := decoder{data: data, members: (*sp)[:0]}
	defer func() {
		*sp = d.members[:0]
		scratchPool.Put(sp)
	}()
	d.space()
	v, ok := d.value(0)
	d.space()
	if !ok || d.pos != len(d.data) {
		return nil, false
	}
	return v, true
}

// scratchPool recycles decoders' member scratch between documents.
var scratchPool = sync.Pool{New: func() any { s := make([]Member, 0, 32); return &s }}

// maxDecodeDepth matches encoding/json's nesting limit.
const maxDecodeDepth = 10000

type decoder struct {
	data []byte
	pos  int
	// members is scratch for the objects being read (nested ones stack
	// up behind their parent's), so each object costs one allocation.
	members []Member
}

func (d *decoder) space() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) value(depth int) (any, bool) {
	if d.pos >= len(d.data) || depth > maxDecodeDepth {
		return nil, false
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(depth)
	case c == '[':
		return d.array(depth)
	case c == '"':
		return d.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	}
	return nil, false
}

func (d *decoder) literal(s string) bool {
	if len(d.data)-d.pos < len(s) || string(d.data[d.pos:d.pos+len(s)]) != s {
		return false
	}
	d.pos += len(s)
	return true
}

func (d *decoder) object(depth int) (any, bool) {
	d.pos++ // {
	start := len(d.members)
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return EmptyObject(), true
	}
	for {
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, false
		}
		k, ok := d.str()
		if !ok {
			return nil, false
		}
		d.space()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, false
		}
		d.pos++
		d.space()
		v, ok := d.value(depth + 1)
		if !ok {
			return nil, false
		}
		d.members = append(d.members, Member{Key: k.(string), Value: v})
		d.space()
		if d.pos >= len(d.data) {
			return nil, false
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			o := CopyObject(d.members[start:])
			clear(d.members[start:])
			d.members = d.members[:start]
			return o, true
		default:
			return nil, false
		}
	}
}

func (d *decoder) array(depth int) (any, bool) {
	d.pos++ // [
	a := []any{}
	d.space()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return a, true
	}
	for {
		d.space()
		v, ok := d.value(depth + 1)
		if !ok {
			return nil, false
		}
		a = append(a, v)
		d.space()
		if d.pos >= len(d.data) {
			return nil, false
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return a, true
		default:
			return nil, false
		}
	}
}

// str reads a string without escapes other than \" \\ \/ \n \t \r \b \f;
// anything else makes Decode take its slow path.
func (d *decoder) str() (any, bool) {
	d.pos++ // "
	start := d.pos
	escaped := false
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			s := d.data[start:d.pos]
			d.pos++
			if escaped {
				return unescape(s)
			}
			if !utf8.Valid(s) {
				return nil, false
			}
			_, v := internBytes(s)
			return v, true
		case c == '\\':
			escaped = true
			d.pos += 2
		case c < 0x20:
			return nil, false
		default:
			d.pos++
		}
	}
	return nil, false
}

func unescape(s []byte) (any, bool) {
	if !utf8.Valid(s) {
		return nil, false
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		if i >= len(s) {
			return nil, false
		}
		switch s[i] {
		case '"', '\\', '/':
			out = append(out, s[i])
		case 'n':
			out = append(out, '\n')
		case 't':
			out = append(out, '\t')
		case 'r':
			out = append(out, '\r')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		default: // \u and invalid escapes: left to the slow path
			return nil, false
		}
	}
	return string(out), true
}

// number validates a JSON number and keeps its text as json.Number.
func (d *decoder) number() (any, bool) {
	start := d.pos
	if d.data[d.pos] == '-' {
		d.pos++
	}
	if d.pos >= len(d.data) {
		return nil, false
	}
	if d.data[d.pos] == '0' {
		d.pos++
	} else if !d.digits() {
		return nil, false
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if !d.digits() {
			return nil, false
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if !d.digits() {
			return nil, false
		}
	}
	return json.Number(d.data[start:d.pos]), true
}

func (d *decoder) digits() bool {
	start := d.pos
	for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
		d.pos++
	}
	return d.pos > start
}
