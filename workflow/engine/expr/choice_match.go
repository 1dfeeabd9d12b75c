package expr

import (
	"strings"
)

// Match evaluates the rule against the state's input. A comparison with
// an operand of another type than the operator's is false (AWS
// semantics); a Variable, or a ...Path operand, that selects nothing is a
// States.Runtime error, except under IsPresent.
func (r *ChoiceRule) Match(input any) (bool, error) {
	return r.root.match(input, nil)
}

// MatchContext is Match for rules whose paths may address the context
// object ($$...).
func (r *ChoiceRule) MatchContext(input, context any) (bool, error) {
	return r.root.match(input, context)
}

func (c andCond) match(input, context any) (bool, error) {
	for _, x := range c {
		ok, err := x.match(input, context)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

func (c orCond) match(input, context any) (bool, error) {
	for _, x := range c {
		ok, err := x.match(input, context)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

func (c notCond) match(input, context any) (bool, error) {
	ok, err := c.x.match(input, context)
	return !ok && err == nil, err
}

func invalidPath(p *Path) *Error {
	return runtimeErr("Invalid path '" + p.text + "': The choice state's condition path references an invalid value.")
}

func lookupIn(p *Path, input, context any) (any, bool) {
	doc, ok := p.doc(input, context)
	if !ok {
		return nil, false
	}
	return p.lookup(doc)
}

func (c *cmpCond) match(input, context any) (bool, error) {
	v, ok := lookupIn(c.variable, input, context)
	if c.op.fam == famIs {
		want := c.lit.(bool)
		if c.op.is == "IsPresent" {
			return ok == want, nil
		}
		if !ok {
			return false, invalidPath(c.variable)
		}
		return isType(c.op.is, v) == want, nil
	}
	if !ok {
		return false, invalidPath(c.variable)
	}
	operand := c.lit
	if c.path != nil {
		if operand, ok = lookupIn(c.path, input, context); !ok {
			return false, invalidPath(c.path)
		}
	}
	switch c.op.fam {
	case famString:
		a, ok1 := v.(string)
		b, ok2 := operand.(string)
		return ok1 && ok2 && c.op.rel.holds(strings.Compare(a, b)), nil
	case famMatches:
		s, ok := v.(string)
		return ok && c.glob.match(s), nil
	case famNumeric:
		a, ok := toNumber(v)
		if !ok {
			return false, nil
		}
		b := c.num
		if c.path != nil {
			if b, ok = toNumber(operand); !ok {
				return false, nil
			}
		}
		cmp, ok := a.cmp(b)
		return ok && c.op.rel.holds(cmp), nil
	case famBoolean:
		a, ok1 := v.(bool)
		b, ok2 := operand.(bool)
		return ok1 && ok2 && a == b, nil
	case famTimestamp:
		s, ok := v.(string)
		if !ok {
			return false, nil
		}
		a, ok := parseTimestamp(s)
		if !ok {
			return false, nil
		}
		b := c.ts
		if c.path != nil {
			os, ok := operand.(string)
			if !ok {
				return false, nil
			}
			if b, ok = parseTimestamp(os); !ok {
				return false, nil
			}
		}
		return c.op.rel.holds(a.Compare(b)), nil
	}
	return false, nil
}

// isType is the test of an Is* operator.
func isType(is string, v any) bool {
	switch is {
	case "IsNull":
		return v == nil
	case "IsNumeric":
		return isNumber(v)
	case "IsString":
		_, ok := v.(string)
		return ok
	case "IsBoolean":
		_, ok := v.(bool)
		return ok
	case "IsTimestamp":
		s, ok := v.(string)
		if !ok {
			return false
		}
		_, ok = parseTimestamp(s)
		return ok
	}
	return false
}
