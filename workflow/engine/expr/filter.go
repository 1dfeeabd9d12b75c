package expr

import (
	"encoding/json"
	"fmt"
	"strings"
)

// filterExpr is a compiled filter predicate [?(...)]: cur is the element
// under test (@), root the document the whole path runs against ($),
// visits the evaluation's shared work budget.
type filterExpr interface {
	test(cur, root any, visits *int) bool
}

type (
	orFilter  struct{ a, b filterExpr }
	andFilter struct{ a, b filterExpr }
	notFilter struct{ x filterExpr }
	// existsFilter is [?(@.x)]: true when the path selects something.
	existsFilter struct{ o operand }
	cmpFilter    struct {
		op   string
		l, r operand
	}
)

// operand is a literal or a path relative to @ (rel) or to $.
type operand struct {
	lit  any
	path *Path
	rel  bool
}

func (f orFilter) test(cur, root any, visits *int) bool {
	return f.a.test(cur, root, visits) || f.b.test(cur, root, visits)
}

func (f andFilter) test(cur, root any, visits *int) bool {
	return f.a.test(cur, root, visits) && f.b.test(cur, root, visits)
}

func (f notFilter) test(cur, root any, visits *int) bool { return !f.x.test(cur, root, visits) }

func (f existsFilter) test(cur, root any, visits *int) bool {
	_, ok := f.o.value(cur, root, visits)
	return ok
}

func (o operand) value(cur, root any, visits *int) (any, bool) {
	if o.path == nil {
		return o.lit, true
	}
	if o.rel {
		return o.path.lookupBudget(cur, visits)
	}
	return o.path.lookupBudget(root, visits)
}

// test follows Jayway: == and != use deep equality (a missing operand is
// never equal, so != is true), the ordering operators apply to two numbers
// or two strings and are false otherwise.
func (f cmpFilter) test(cur, root any, visits *int) bool {
	l, lok := f.l.value(cur, root, visits)
	r, rok := f.r.value(cur, root, visits)
	switch f.op {
	case "==":
		return lok && rok && equal(l, r)
	case "!=":
		return !(lok && rok && equal(l, r))
	}
	if !lok || !rok {
		return false
	}
	var c int
	if ls, ok := l.(string); ok {
		rs, ok := r.(string)
		if !ok {
			return false
		}
		c = strings.Compare(ls, rs)
	} else {
		if !isNumber(l) || !isNumber(r) {
			return false
		}
		var ok bool
		if c, ok = compareNumbers(l, r); !ok {
			return false
		}
	}
	switch f.op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	default: // ">="
		return c >= 0
	}
}

// filter parses the expression inside [?( ... )], stopping before the ')'.
func (ps *pathParser) filter() (filterExpr, error) {
	ps.depth++
	defer func() { ps.depth-- }()
	if ps.depth > maxFilterDepth {
		return nil, fmt.Errorf("filter nested deeper than %d levels", maxFilterDepth)
	}
	return ps.orExpr()
}

func (ps *pathParser) orExpr() (filterExpr, error) {
	a, err := ps.andExpr()
	if err != nil {
		return nil, err
	}
	for ps.skipSpaces(); strings.HasPrefix(ps.s[ps.i:], "||"); ps.skipSpaces() {
		ps.i += 2
		b, err := ps.andExpr()
		if err != nil {
			return nil, err
		}
		a = orFilter{a, b}
	}
	return a, nil
}

func (ps *pathParser) andExpr() (filterExpr, error) {
	a, err := ps.unary()
	if err != nil {
		return nil, err
	}
	for ps.skipSpaces(); strings.HasPrefix(ps.s[ps.i:], "&&"); ps.skipSpaces() {
		ps.i += 2
		b, err := ps.unary()
		if err != nil {
			return nil, err
		}
		a = andFilter{a, b}
	}
	return a, nil
}

func (ps *pathParser) unary() (filterExpr, error) {
	ps.skipSpaces()
	switch ps.peek() {
	case '!':
		if !strings.HasPrefix(ps.s[ps.i:], "!=") {
			ps.i++
			ps.depth++
			defer func() { ps.depth-- }()
			if ps.depth > maxFilterDepth {
				return nil, fmt.Errorf("filter nested deeper than %d levels", maxFilterDepth)
			}
			x, err := ps.unary()
			if err != nil {
				return nil, err
			}
			return notFilter{x}, nil
		}
	case '(':
		ps.i++
		x, err := ps.filter()
		if err != nil {
			return nil, err
		}
		ps.skipSpaces()
		if ps.peek() != ')' {
			return nil, fmt.Errorf("expected ')' at offset %d", ps.i)
		}
		ps.i++
		return x, nil
	}
	return ps.comparison()
}

var filterOps = []string{"==", "!=", "<=", ">=", "<", ">"}

func (ps *pathParser) comparison() (filterExpr, error) {
	l, err := ps.operand()
	if err != nil {
		return nil, err
	}
	ps.skipSpaces()
	for _, op := range filterOps {
		if strings.HasPrefix(ps.s[ps.i:], op) {
			ps.i += len(op)
			ps.skipSpaces()
			r, err := ps.operand()
			if err != nil {
				return nil, err
			}
			return cmpFilter{op: op, l: l, r: r}, nil
		}
	}
	if l.path == nil {
		return nil, fmt.Errorf("a filter needs a path (@... or $...) or a comparison, at offset %d", ps.i)
	}
	return existsFilter{l}, nil
}

// operand parses @path, $path, or a literal: number, 'string', "string",
// true, false or null.
func (ps *pathParser) operand() (operand, error) {
	ps.skipSpaces()
	start := ps.i
	switch c := ps.peek(); {
	case c == '@' || c == '$':
		ps.i++
		segs, err := ps.segments(true)
		if err != nil {
			return operand{}, err
		}
		p := &Path{text: ps.s[start:ps.i]}
		p.setSegments(segs)
		return operand{path: p, rel: c == '@'}, nil
	case c == '\'' || c == '"':
		s, err := ps.quoted()
		return operand{lit: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		for ps.i < len(ps.s) && strings.IndexByte("-+.eE0123456789", ps.s[ps.i]) >= 0 {
			ps.i++
		}
		if n := ps.s[start:ps.i]; isJSONNumber(n) {
			return operand{lit: json.Number(n)}, nil
		}
		return operand{}, fmt.Errorf("invalid number %q in filter", ps.s[start:ps.i])
	}
	for _, kw := range []struct {
		word string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(ps.s[ps.i:], kw.word) {
			ps.i += len(kw.word)
			return operand{lit: kw.v}, nil
		}
	}
	if ps.i >= len(ps.s) {
		return operand{}, errEndOfPath
	}
	return operand{}, fmt.Errorf("unexpected %q in filter at offset %d", ps.s[ps.i], ps.i)
}
