package jsonata

import (
	"errors"
	"strconv"
	"strings"

	blues "github.com/blues/jsonata-go"
)

// Bindings are what an evaluation sees besides the language's own
// functions: $states (input, result, errorOutput, context; absent keys
// are not bound) and the workflow variables in scope, all engine values.
type Bindings struct {
	States map[string]any
	Vars   map[string]any
}

// Template is a JSON value whose strings may be JSONata expressions
// ("{% … %}"), compiled once and evaluated many times. It is safe for
// concurrent use.
type Template struct {
	root node
}

type node interface {
	eval(env *env) (any, error)
}

type constNode struct{ v any }

type exprNode struct {
	src   string // the expression between the delimiters, trimmed
	field string // where it is, as AWS names it: Output/a/b[0]
}

type objectNode struct {
	keys []string
	vals []node
}

type arrayNode struct{ elems []node }

// IsExpression reports whether s is a JSONata expression: "{%" at the
// start and "%}" at the end, nothing outside them.
func IsExpression(s string) bool {
	return len(s) >= 4 && strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}")
}

// Compile compiles v, a decoded JSON value, for the field named field
// (AWS's naming: "Output", "Arguments", "Assign/x", "Choices[0]/Condition").
// Every expression inside is parsed now; the first that does not parse is
// returned as a *CompileError.
func Compile(v any, field string) (*Template, error) {
	n, err := compile(v, field)
	if err != nil {
		return nil, err
	}
	return &Template{root: n}, nil
}

// Constant reports whether the template holds no expression, and then
// the value it always yields.
func (t *Template) Constant() (any, bool) {
	c, ok := t.root.(constNode)
	return c.v, ok
}

func compile(v any, field string) (node, error) {
	switch x := v.(type) {
	case string:
		if !IsExpression(x) {
			return constNode{x}, nil
		}
		src := strings.TrimSpace(x[2 : len(x)-2])
		if src == "" {
			return nil, &CompileError{Field: field, Src: src, Err: errors.New("the expression is empty")}
		}
		if _, err := compileSafely(src); err != nil {
			return nil, &CompileError{Field: field, Src: src, Err: err}
		}
		return &exprNode{src: src, field: field}, nil
	case map[string]any:
		o := &objectNode{}
		constant := true
		for _, k := range sortedKeys(x) {
			n, err := compile(x[k], field+"/"+k)
			if err != nil {
				return nil, err
			}
			_, isConst := n.(constNode)
			constant = constant && isConst
			o.keys = append(o.keys, k)
			o.vals = append(o.vals, n)
		}
		if constant {
			return constNode{x}, nil
		}
		return o, nil
	case []any:
		a := &arrayNode{}
		constant := true
		for i, e := range x {
			n, err := compile(e, field+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			_, isConst := n.(constNode)
			constant = constant && isConst
			a.elems = append(a.elems, n)
		}
		if constant {
			return constNode{x}, nil
		}
		return a, nil
	}
	return constNode{v}, nil
}

// Eval evaluates the template with b bound. Failures are *Error.
func (t *Template) Eval(b *Bindings) (any, error) {
	if c, ok := t.root.(constNode); ok {
		return c.v, nil
	}
	return t.root.eval(&env{b: b})
}

func (c constNode) eval(*env) (any, error) { return c.v, nil }

func (o *objectNode) eval(env *env) (any, error) {
	out := make(map[string]any, len(o.keys))
	for i, k := range o.keys {
		v, err := o.vals[i].eval(env)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

func (a *arrayNode) eval(env *env) (any, error) {
	out := make([]any, len(a.elems))
	for i, n := range a.elems {
		v, err := n.eval(env)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (x *exprNode) eval(env *env) (any, error) {
	// The parsed form cannot be shared: the evaluator keeps variables on
	// the expression, so each evaluation binds them on a fresh one.
	e, err := compileSafely(x.src)
	if err != nil {
		return nil, evalError(x.src, x.field, err)
	}
	if err := e.RegisterVars(env.vars()); err != nil {
		return nil, evalError(x.src, x.field, err)
	}
	r, err := evalSafely(e, env.root())
	switch {
	case errors.Is(err, blues.ErrUndefined):
		return nil, undefinedError(x.src, x.field)
	case err != nil:
		return nil, evalError(x.src, x.field, err)
	}
	v, err := fromJSONata(r)
	if err != nil {
		return nil, notJSONError(x.src, x.field)
	}
	return v, nil
}

// compileSafely turns a panic of the parser (it has some on malformed
// input) into an error.
func compileSafely(src string) (e *blues.Expr, err error) {
	defer func() {
		if p := recover(); p != nil {
			e, err = nil, errors.New("the expression cannot be parsed")
		}
	}()
	return blues.Compile(src)
}

// evalSafely turns a panic inside the evaluator into an error, so a
// definition can never crash the engine.
func evalSafely(e *blues.Expr, input any) (r any, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("internal error in the JSONata evaluator")
		}
	}()
	return e.Eval(input)
}

// env converts the bindings once per template evaluation, when the first
// expression needs them.
type env struct {
	b    *Bindings
	done bool
	vs   map[string]any
	in   any
}

func (e *env) convert() {
	if e.done {
		return
	}
	e.done = true
	e.vs = make(map[string]any, len(e.b.Vars)+1)
	for k, v := range e.b.Vars {
		e.vs[k] = toJSONata(v)
	}
	states := make(map[string]any, len(e.b.States))
	for k, v := range e.b.States {
		states[k] = toJSONata(v)
	}
	e.vs["states"] = states
	e.in = states["input"]
}

func (e *env) vars() map[string]any { e.convert(); return e.vs }

// root is the context value of a top-level path: the state input.
func (e *env) root() any { e.convert(); return e.in }

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// insertion sort: templates are small
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}
