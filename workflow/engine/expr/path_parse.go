package expr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// pathParser is a recursive-descent parser over a JSONPath string. It is
// shared by top-level paths and the relative (@) paths inside filters.
type pathParser struct {
	s     string
	i     int
	depth int // filter nesting, bounded so hostile input cannot recurse deeply
}

const maxFilterDepth = 32

func (ps *pathParser) peek() byte {
	if ps.i < len(ps.s) {
		return ps.s[ps.i]
	}
	return 0
}

func (ps *pathParser) skipSpaces() {
	for ps.i < len(ps.s) && isSpace(ps.s[ps.i]) {
		ps.i++
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// segments parses selectors until the end of the string or, inside a
// filter, until a character that cannot continue a path.
func (ps *pathParser) segments(inFilter bool) ([]segment, error) {
	var segs []segment
	for ps.i < len(ps.s) {
		switch ps.s[ps.i] {
		case '.':
			ps.i++
			deep := false
			if ps.peek() == '.' {
				deep = true
				ps.i++
				if ps.peek() == '[' {
					ps.i++
					seg, err := ps.bracket()
					if err != nil {
						return nil, err
					}
					seg.deep = true
					segs = append(segs, seg)
					continue
				}
			}
			seg, err := ps.dotName(inFilter)
			if err != nil {
				return nil, err
			}
			seg.deep = deep
			segs = append(segs, seg)
		case '[':
			ps.i++
			seg, err := ps.bracket()
			if err != nil {
				return nil, err
			}
			segs = append(segs, seg)
		default:
			if inFilter {
				return segs, nil
			}
			return nil, fmt.Errorf("unexpected %q at offset %d (expected '.' or '[')", ps.s[ps.i], ps.i)
		}
	}
	return segs, nil
}

// dotName parses the member name after '.', or '*'.
func (ps *pathParser) dotName(inFilter bool) (segment, error) {
	if ps.peek() == '*' {
		ps.i++
		return segment{kind: selWildcard}, nil
	}
	start := ps.i
	for ps.i < len(ps.s) && !nameStops(ps.s[ps.i], inFilter) {
		ps.i++
	}
	if ps.i == start {
		if ps.i >= len(ps.s) {
			return segment{}, errEndOfPath
		}
		return segment{}, fmt.Errorf("expected a member name at offset %d, found %q", ps.i, ps.s[ps.i])
	}
	return segment{kind: selName, name: ps.s[start:ps.i]}, nil
}

// nameStops reports the characters that end a dot-notation member name.
// Names with any of them must use the bracket notation ['...'].
func nameStops(c byte, inFilter bool) bool {
	switch c {
	case '.', '[', ']', '(', ')', '\'', '"', ',', '*', '?', ' ', '\t', '\n', '\r':
		return true
	case '=', '<', '>', '!', '&', '|':
		return inFilter
	}
	return false
}

// bracket parses a selector after '[' up to and including its ']'.
func (ps *pathParser) bracket() (segment, error) {
	ps.skipSpaces()
	var seg segment
	switch c := ps.peek(); {
	case c == 0:
		return seg, errEndOfPath
	case c == '*':
		ps.i++
		seg.kind = selWildcard
	case c == '?':
		ps.i++
		ps.skipSpaces()
		if ps.peek() != '(' {
			return seg, fmt.Errorf("expected '(' after '?' at offset %d", ps.i)
		}
		ps.i++
		f, err := ps.filter()
		if err != nil {
			return seg, err
		}
		ps.skipSpaces()
		if ps.peek() != ')' {
			return seg, fmt.Errorf("expected ')' closing the filter at offset %d", ps.i)
		}
		ps.i++
		seg.kind, seg.filter = selFilter, f
	case c == '\'' || c == '"':
		names, err := ps.quotedList()
		if err != nil {
			return seg, err
		}
		if len(names) == 1 {
			seg.kind, seg.name = selName, names[0]
		} else {
			seg.kind, seg.names = selNames, names
		}
	case c == '-' || c == ':' || (c >= '0' && c <= '9'):
		var err error
		if seg, err = ps.indexes(); err != nil {
			return seg, err
		}
	default:
		return seg, fmt.Errorf("unexpected %q in brackets at offset %d", c, ps.i)
	}
	ps.skipSpaces()
	if ps.peek() != ']' {
		if ps.i >= len(ps.s) {
			return seg, errEndOfPath
		}
		return seg, fmt.Errorf("expected ']' at offset %d, found %q", ps.i, ps.s[ps.i])
	}
	ps.i++
	return seg, nil
}

// quotedList parses 'a' or 'a','b' (either quote style).
func (ps *pathParser) quotedList() ([]string, error) {
	var names []string
	for {
		s, err := ps.quoted()
		if err != nil {
			return nil, err
		}
		names = append(names, s)
		ps.skipSpaces()
		if ps.peek() != ',' {
			return names, nil
		}
		ps.i++
		ps.skipSpaces()
	}
}

// quoted parses a quoted name; a backslash escapes the next character.
func (ps *pathParser) quoted() (string, error) {
	q := ps.peek()
	if q != '\'' && q != '"' {
		return "", fmt.Errorf("expected a quoted name at offset %d", ps.i)
	}
	ps.i++
	var b strings.Builder
	for ps.i < len(ps.s) {
		c := ps.s[ps.i]
		switch {
		case c == q:
			ps.i++
			return b.String(), nil
		case c == '\\' && ps.i+1 < len(ps.s):
			b.WriteByte(ps.s[ps.i+1])
			ps.i += 2
		default:
			b.WriteByte(c)
			ps.i++
		}
	}
	return "", errors.New("unterminated quoted name")
}

// indexes parses [n], [n,m,...] or a slice [a:b].
func (ps *pathParser) indexes() (segment, error) {
	var seg segment
	first, hasFirst, err := ps.optInt()
	if err != nil {
		return seg, err
	}
	ps.skipSpaces()
	switch ps.peek() {
	case ':':
		ps.i++
		ps.skipSpaces()
		end, hasEnd, err := ps.optInt()
		if err != nil {
			return seg, err
		}
		ps.skipSpaces()
		if ps.peek() == ':' {
			return seg, fmt.Errorf("slice steps are not supported (offset %d)", ps.i)
		}
		return segment{kind: selSlice, start: first, hasStart: hasFirst, end: end, hasEnd: hasEnd}, nil
	case ',':
		if !hasFirst {
			return seg, fmt.Errorf("expected an index at offset %d", ps.i)
		}
		idx := []int{first}
		for ps.peek() == ',' {
			ps.i++
			ps.skipSpaces()
			n, ok, err := ps.optInt()
			if err != nil {
				return seg, err
			}
			if !ok {
				return seg, fmt.Errorf("expected an index at offset %d", ps.i)
			}
			idx = append(idx, n)
			ps.skipSpaces()
		}
		return segment{kind: selIndexes, indexes: idx}, nil
	}
	if !hasFirst {
		return seg, fmt.Errorf("expected an index at offset %d", ps.i)
	}
	return segment{kind: selIndex, index: first}, nil
}

// optInt parses an optional integer (with an optional minus sign).
func (ps *pathParser) optInt() (int, bool, error) {
	start := ps.i
	if ps.peek() == '-' {
		ps.i++
	}
	digits := ps.i
	for ps.i < len(ps.s) && ps.s[ps.i] >= '0' && ps.s[ps.i] <= '9' {
		ps.i++
	}
	if ps.i == digits {
		if ps.i != start {
			return 0, false, fmt.Errorf("expected digits after '-' at offset %d", ps.i)
		}
		return 0, false, nil
	}
	n, err := strconv.Atoi(ps.s[start:ps.i])
	if err != nil || n > 1<<31 || n < -(1<<31) {
		return 0, false, fmt.Errorf("index %s out of range", ps.s[start:ps.i])
	}
	return n, true, nil
}
