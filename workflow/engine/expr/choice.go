package expr

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ChoiceRule is a compiled Choice rule: a Variable with one comparison
// operator, or an And / Or / Not of nested rules. It is immutable and safe
// for concurrent use.
type ChoiceRule struct {
	root cond
}

// cond is one compiled (sub)rule.
type cond interface {
	match(input, context any) (bool, error)
}

type (
	andCond []cond
	orCond  []cond
	notCond struct{ x cond }
	// cmpCond is Variable + operator.
	cmpCond struct {
		variable *Path
		op       *operator
		lit      any       // string, json.Number, bool or time.Time; bool for Is*
		path     *Path     // the operand of a ...Path operator
		glob     glob      // StringMatches
		ts       time.Time // Timestamp* literal
		num      number    // Numeric* literal
	}
)

type family uint8

const (
	famString family = iota
	famNumeric
	famBoolean
	famTimestamp
	famMatches
	famIs
)

// relation is what a comparison asks of cmp(variable, operand).
type relation uint8

const (
	relEq relation = iota
	relLt
	relGt
	relLe
	relGe
)

func (r relation) holds(c int) bool {
	switch r {
	case relEq:
		return c == 0
	case relLt:
		return c < 0
	case relGt:
		return c > 0
	case relLe:
		return c <= 0
	}
	return c >= 0
}

type operator struct {
	name   string
	fam    family
	rel    relation
	isPath bool
	// is names the type test of an Is* operator.
	is string
}

// operators lists every comparison operator by name; built once, read-only.
var operators = makeOperators()

func makeOperators() map[string]*operator {
	m := make(map[string]*operator)
	rels := []struct {
		suffix string
		rel    relation
	}{{"Equals", relEq}, {"LessThan", relLt}, {"GreaterThan", relGt}, {"LessThanEquals", relLe}, {"GreaterThanEquals", relGe}}
	for _, f := range []struct {
		prefix string
		fam    family
	}{{"String", famString}, {"Numeric", famNumeric}, {"Timestamp", famTimestamp}} {
		for _, r := range rels {
			name := f.prefix + r.suffix
			m[name] = &operator{name: name, fam: f.fam, rel: r.rel}
			m[name+"Path"] = &operator{name: name + "Path", fam: f.fam, rel: r.rel, isPath: true}
		}
	}
	m["BooleanEquals"] = &operator{name: "BooleanEquals", fam: famBoolean}
	m["BooleanEqualsPath"] = &operator{name: "BooleanEqualsPath", fam: famBoolean, isPath: true}
	m["StringMatches"] = &operator{name: "StringMatches", fam: famMatches}
	for _, is := range []string{"IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"} {
		m[is] = &operator{name: is, fam: famIs, is: is}
	}
	return m
}

// maxRuleDepth bounds And/Or/Not nesting.
const maxRuleDepth = 64

// CompileChoiceRule compiles a top-level Choice rule from its JSON object.
// Its Next is left to the engine. Errors name the offending field, with
// its position inside And/Or/Not (e.g. "And[1].Not.NumericEquals").
func CompileChoiceRule(raw json.RawMessage) (*ChoiceRule, error) {
	v, err := Decode(raw)
	if err != nil {
		return nil, fmt.Errorf("choice rule is not valid JSON: %w", err)
	}
	c, err := compileRule(v, "", true, 0)
	if err != nil {
		return nil, err
	}
	return &ChoiceRule{root: c}, nil
}

// fieldName joins a field to its position for error messages.
func fieldName(where, field string) string {
	if where == "" {
		return field
	}
	return where + "." + field
}

func compileRule(v any, where string, top bool, depth int) (cond, error) {
	if depth > maxRuleDepth {
		return nil, fmt.Errorf("%s: rules nested deeper than %d levels", where, maxRuleDepth)
	}
	m, ok := v.(*Object)
	if !ok {
		if where == "" {
			return nil, fmt.Errorf("a choice rule must be a JSON object, got %s", typeName(v))
		}
		return nil, fmt.Errorf("%s: a choice rule must be a JSON object, got %s", where, typeName(v))
	}
	var ops []string
	var boolean []string
	for _, k := range sortedKeys(m) {
		switch k {
		case "Variable", "Comment":
		case "Assign": // read by the engine
			if !top {
				return nil, fmt.Errorf("%s: a nested rule must not have Assign", fieldName(where, k))
			}
		case "Next":
			if !top {
				return nil, fmt.Errorf("%s: a nested rule must not have Next", fieldName(where, k))
			}
			if next, _ := m.Get(k); !isString(next) {
				return nil, fmt.Errorf("%s: must be a string, got %s", fieldName(where, k), typeName(next))
			}
		case "And", "Or", "Not":
			boolean = append(boolean, k)
		default:
			if operators[k] == nil {
				return nil, fmt.Errorf("%s: unknown field (not a comparison operator)", fieldName(where, k))
			}
			ops = append(ops, k)
		}
	}
	if c, ok := m.Get("Comment"); ok {
		if !isString(c) {
			return nil, fmt.Errorf("%s: must be a string", fieldName(where, "Comment"))
		}
	}
	switch {
	case len(boolean) > 1 || (len(boolean) == 1 && len(ops) > 0):
		return nil, fmt.Errorf("%s: a rule has exactly one operator, found %s", fieldName(where, boolean[0]), strings.Join(append(boolean, ops...), ", "))
	case len(boolean) == 1:
		if _, ok := m.Get("Variable"); ok {
			return nil, fmt.Errorf("%s: not allowed with %s", fieldName(where, "Variable"), boolean[0])
		}
		return compileBoolean(m, boolean[0], where, depth)
	case len(ops) > 1:
		return nil, fmt.Errorf("%s: a rule has exactly one comparison operator, found %s", fieldName(where, ops[1]), strings.Join(ops, ", "))
	case len(ops) == 0:
		return nil, fmt.Errorf("%s: a rule needs a comparison operator (e.g. StringEquals) or And, Or, Not", fieldName(where, "Variable"))
	}
	return compileComparison(m, ops[0], where)
}

func compileBoolean(m *Object, op, where string, depth int) (cond, error) {
	field := fieldName(where, op)
	operand, _ := m.Get(op)
	if op == "Not" {
		x, err := compileRule(operand, field, false, depth+1)
		if err != nil {
			return nil, err
		}
		return notCond{x}, nil
	}
	list, ok := operand.([]any)
	if !ok || len(list) == 0 {
		return nil, fmt.Errorf("%s: must be a non-empty array of rules", field)
	}
	conds := make([]cond, len(list))
	for i, e := range list {
		c, err := compileRule(e, field+"["+strconv.Itoa(i)+"]", false, depth+1)
		if err != nil {
			return nil, err
		}
		conds[i] = c
	}
	if op == "And" {
		return andCond(conds), nil
	}
	return orCond(conds), nil
}

func compileComparison(m *Object, name, where string) (cond, error) {
	vv, present := m.Get("Variable")
	vs, ok := vv.(string)
	if !ok {
		if !present {
			return nil, fmt.Errorf("%s: required with %s", fieldName(where, "Variable"), name)
		}
		return nil, fmt.Errorf("%s: must be a string path", fieldName(where, "Variable"))
	}
	variable, err := CompilePath(vs)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fieldName(where, "Variable"), err)
	}
	op := operators[name]
	c := &cmpCond{variable: variable, op: op}
	field := fieldName(where, name)
	val, _ := m.Get(name)
	if op.isPath {
		s, ok := val.(string)
		if !ok {
			return nil, fmt.Errorf("%s: must be a string path, got %s", field, typeName(val))
		}
		if c.path, err = CompileReferencePath(s); err != nil {
			return nil, fmt.Errorf("%s: %w", field, err)
		}
		return c, nil
	}
	want := map[family]string{famString: "a string", famMatches: "a string", famNumeric: "a number",
		famBoolean: "a boolean", famTimestamp: "a timestamp string", famIs: "a boolean"}[op.fam]
	switch op.fam {
	case famString, famMatches, famTimestamp:
		s, ok := val.(string)
		if !ok {
			return nil, fmt.Errorf("%s: must be %s, got %s", field, want, typeName(val))
		}
		c.lit = s
		if op.fam == famMatches {
			c.glob = compileGlob(s)
		}
		if op.fam == famTimestamp {
			if c.ts, ok = parseTimestamp(s); !ok {
				return nil, fmt.Errorf("%s: %q is not a valid timestamp (RFC 3339, e.g. 2016-03-14T01:59:00Z)", field, s)
			}
		}
	case famNumeric:
		n, ok := toNumber(val)
		if !ok {
			return nil, fmt.Errorf("%s: must be %s, got %s", field, want, typeName(val))
		}
		c.lit, c.num = val, n
	case famBoolean, famIs:
		b, ok := val.(bool)
		if !ok {
			return nil, fmt.Errorf("%s: must be %s, got %s", field, want, typeName(val))
		}
		c.lit = b
	}
	return c, nil
}

// Operators returns the names of every comparison operator, sorted, so
// the engine's validator can recognise them without duplicating the list.
func Operators() []string {
	names := make([]string, 0, len(operators))
	for n := range operators {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}
