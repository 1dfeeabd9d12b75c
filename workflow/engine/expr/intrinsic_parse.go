package expr

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// intrParser parses the intrinsic function grammar:
//
//	call := "States." name "(" [arg {"," arg}] ")"
//	arg  := call | 'string' | number | true | false | null | path
type intrParser struct {
	s string
	i int
}

func (ip *intrParser) skipSpaces() {
	for ip.i < len(ip.s) && isSpace(ip.s[ip.i]) {
		ip.i++
	}
}

func (ip *intrParser) rest() string { return ip.s[ip.i:] }

func (ip *intrParser) call(depth int) (*call, error) {
	if depth > maxNesting {
		return nil, fmt.Errorf("intrinsic functions nested deeper than %d", maxNesting)
	}
	if !strings.HasPrefix(ip.rest(), "States.") {
		return nil, fmt.Errorf("expected a States.* function at offset %d", ip.i)
	}
	start := ip.i
	ip.i += len("States.")
	for ip.i < len(ip.s) && isIdentByte(ip.s[ip.i]) {
		ip.i++
	}
	name := ip.s[start:ip.i]
	spec := funcs[name]
	if spec == nil {
		return nil, fmt.Errorf("unknown intrinsic function %s", name)
	}
	ip.skipSpaces()
	if ip.i >= len(ip.s) || ip.s[ip.i] != '(' {
		return nil, fmt.Errorf("expected '(' after %s", name)
	}
	ip.i++
	c := &call{spec: spec}
	ip.skipSpaces()
	if ip.i < len(ip.s) && ip.s[ip.i] == ')' {
		ip.i++
	} else {
		for {
			a, err := ip.arg(depth)
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, a)
			ip.skipSpaces()
			if ip.i >= len(ip.s) {
				return nil, fmt.Errorf("missing ')' closing %s", name)
			}
			if ip.s[ip.i] == ')' {
				ip.i++
				break
			}
			if ip.s[ip.i] != ',' {
				return nil, fmt.Errorf("expected ',' or ')' in %s at offset %d, found %q", name, ip.i, ip.s[ip.i])
			}
			ip.i++
		}
	}
	if err := spec.check(c); err != nil {
		return nil, err
	}
	return c, nil
}

func (ip *intrParser) arg(depth int) (arg, error) {
	ip.skipSpaces()
	if ip.i >= len(ip.s) {
		return arg{}, errors.New("unexpected end of the call")
	}
	switch c := ip.s[ip.i]; {
	case c == '\'':
		val, raw, err := ip.stringLit()
		return arg{kind: argLiteral, lit: val, raw: raw}, err
	case c == '$':
		return ip.pathArg()
	case c == '-' || (c >= '0' && c <= '9'):
		start := ip.i
		for ip.i < len(ip.s) && strings.IndexByte("-+.eE0123456789", ip.s[ip.i]) >= 0 {
			ip.i++
		}
		n := ip.s[start:ip.i]
		if !isJSONNumber(n) {
			return arg{}, fmt.Errorf("invalid number %q", n)
		}
		return arg{kind: argLiteral, lit: json.Number(n)}, nil
	case strings.HasPrefix(ip.rest(), "States."):
		sub, err := ip.call(depth + 1)
		return arg{kind: argCall, call: sub}, err
	}
	for _, kw := range []struct {
		word string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(ip.rest(), kw.word) {
			ip.i += len(kw.word)
			return arg{kind: argLiteral, lit: kw.v}, nil
		}
	}
	return arg{}, fmt.Errorf("unexpected %q at offset %d (expected a string, number, boolean, null, path or States.* call)", ip.s[ip.i], ip.i)
}

// stringLit parses '...'. AWS escapes with a backslash: \' and \\ stand
// for ' and \, \{ and \} for braces that are not a States.Format
// placeholder. val has every escape resolved; raw keeps \{ and \} (and
// \\ before them) for the States.Format template. Any other escape is
// malformed, and AWS refuses the definition.
func (ip *intrParser) stringLit() (val, raw string, err error) {
	ip.i++ // opening quote
	var v, r strings.Builder
	for ip.i < len(ip.s) {
		c := ip.s[ip.i]
		switch {
		case c == '\'':
			ip.i++
			return v.String(), r.String(), nil
		case c == '\\' && ip.i+1 < len(ip.s):
			n := ip.s[ip.i+1]
			switch n {
			case '\'':
				v.WriteByte(n)
				r.WriteByte(n)
			case '{', '}', '\\':
				v.WriteByte(n)
				r.WriteByte('\\')
				r.WriteByte(n)
			default:
				return "", "", fmt.Errorf("malformed escape sequence '\\%c' at offset %d in a string literal (only \\', \\{, \\} and \\\\ may follow a backslash)", n, ip.i)
			}
			ip.i += 2
		default:
			v.WriteByte(c)
			r.WriteByte(c)
			ip.i++
		}
	}
	return "", "", errors.New("unterminated string literal")
}

// pathArg scans a path up to the ',' or ')' that ends the argument
// (brackets, quotes and filter parentheses may contain either) and
// compiles it.
func (ip *intrParser) pathArg() (arg, error) {
	start := ip.i
	depth := 0
	var quote byte
scan:
	for ; ip.i < len(ip.s); ip.i++ {
		c := ip.s[ip.i]
		switch {
		case quote != 0:
			if c == '\\' {
				ip.i++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '[' || c == '(':
			depth++
		case c == ']' || (c == ')' && depth > 0):
			depth--
		case depth == 0 && (c == ',' || c == ')' || isSpace(c)):
			break scan
		}
	}
	p, err := CompilePath(ip.s[start:ip.i])
	if err != nil {
		return arg{}, err
	}
	return arg{kind: argPath, path: p}, nil
}
