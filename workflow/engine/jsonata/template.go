package jsonata

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jparse"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// Bindings are what an evaluation sees besides the language's own
// functions: $states (input, result, errorOutput, context; absent keys
// are not bound) and the workflow variables in scope, all engine values.
type Bindings struct {
	States *expr.Object
	Vars   *expr.Object
	// Cache, when set, carries converted values from one evaluation to
	// the next on the same goroutine.
	Cache *Cache
}

// Template is a JSON value whose strings may be JSONata expressions
// ("{% … %}"), compiled once and evaluated many times. It is safe for
// concurrent use.
type Template struct {
	root node
	// usesContext: some expression may read $states.context.
	usesContext bool
}

type node interface {
	eval(env *env) (any, error)
}

type constNode struct{ v any }

type exprNode struct {
	src   string // the expression between the delimiters, trimmed
	code  string // src as the evaluator is given it (evaluatorSource)
	field string // where it is, as AWS names it: Output/a/b[0]
	// names are the $names the source mentions (besides $states), at
	// most maxPooledNames of them, or nil with pooled false.
	names  []string
	pooled bool
	// pools hold parsed expressions for reuse, one pool per set of names
	// bound (a bit per names entry): an expression keeps the variables
	// registered on it, so it is only reused where exactly the same
	// names are bound, each overwritten with its new value.
	pools sync.Map // uint32 → *sync.Pool
	// ctors are the key lists of the expression's object constructors,
	// which give result objects their key order.
	ctors [][]string
}

// maxPooledNames bounds the pools an expression can have.
const maxPooledNames = 8

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
	return &Template{root: n, usesContext: mayReadContext(v)}, nil
}

// UsesContext reports whether an expression of the template may read
// $states.context, so that callers build the context object only then.
// It over-approximates: any mention of "context", or $states not
// followed by a field name, counts.
func (t *Template) UsesContext() bool { return t != nil && t.usesContext }

func mayReadContext(v any) bool {
	switch x := v.(type) {
	case string:
		if !IsExpression(x) {
			return false
		}
		if strings.Contains(x, "context") {
			return true
		}
		for s := x; ; {
			i := strings.Index(s, "$states")
			if i < 0 {
				return false
			}
			s = s[i+len("$states"):]
			if !strings.HasPrefix(s, ".") || strings.HasPrefix(s, ".*") || strings.HasPrefix(s, ".(") {
				return true
			}
		}
	}
	children, _ := arrayItems(v)
	if _, vals, ok := objectEntries(v); ok {
		children = vals
	}
	for _, e := range children {
		if mayReadContext(e) {
			return true
		}
	}
	return false
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
		code := evaluatorSource(src)
		if _, err := compileSafely(code); err != nil {
			return nil, &CompileError{Field: field, Src: src, Err: err}
		}
		n := &exprNode{src: src, code: code, field: field}
		n.names, n.pooled = mentionedNames(src)
		n.ctors = constructors(code)
		return n, nil
	}
	if keys, vals, ok := objectEntries(v); ok {
		o := &objectNode{}
		constant := true
		for i, k := range keys {
			n, err := compile(vals[i], field+"/"+k)
			if err != nil {
				return nil, err
			}
			_, isConst := n.(constNode)
			constant = constant && isConst
			o.keys = append(o.keys, k)
			o.vals = append(o.vals, n)
		}
		if constant {
			return constNode{v}, nil
		}
		return o, nil
	}
	if elems, ok := arrayItems(v); ok {
		a := &arrayNode{}
		constant := true
		for i, e := range elems {
			n, err := compile(e, field+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			_, isConst := n.(constNode)
			constant = constant && isConst
			a.elems = append(a.elems, n)
		}
		if constant {
			return constNode{v}, nil
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
	if b == nil {
		b = &Bindings{}
	}
	return t.root.eval(&env{b: b, conv: converter{cache: b.Cache}})
}

func (c constNode) eval(*env) (any, error) { return c.v, nil }

func (o *objectNode) eval(env *env) (any, error) {
	vals := make([]any, len(o.keys))
	for i := range o.keys {
		v, err := o.vals[i].eval(env)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return newObject(o.keys, vals), nil
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
	return newArray(out), nil
}

func (x *exprNode) eval(env *env) (any, error) {
	var (
		e    *blues.Expr
		pool *sync.Pool
		vars map[string]any
	)
	if x.pooled {
		var mask uint32
		vars = map[string]any{"states": env.states()}
		for i, n := range x.names {
			if v, ok := env.b.Vars.Get(n); ok {
				mask |= 1 << i
				vars[n] = env.variable(n, v)
			}
		}
		p, _ := x.pools.LoadOrStore(mask, &sync.Pool{})
		pool = p.(*sync.Pool)
		e, _ = pool.Get().(*blues.Expr)
	} else {
		vars = env.vars()
	}
	if e == nil {
		var err error
		if e, err = compileSafely(x.code); err != nil {
			return nil, evalError(x.src, x.field, err)
		}
	}
	if err := e.RegisterVars(vars); err != nil {
		return nil, evalError(x.src, x.field, err)
	}
	r, err := evalSafely(e, env.root(), &env.conv, x.ctors)
	if pool != nil {
		pool.Put(e)
	}
	switch {
	case errors.Is(err, blues.ErrUndefined):
		return nil, undefinedError(x.src, x.field)
	case err != nil:
		return nil, evalError(x.src, x.field, err)
	}
	v, err := env.conv.from(r, x.ctors)
	if err != nil {
		return nil, notJSONError(x.src, x.field)
	}
	if o, ok := v.(*expr.Object); ok {
		if m, ok := r.(map[string]any); ok {
			env.conv.keep(o, m)
		}
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
	if loneBang(src) {
		return nil, errLoneBang
	}
	installFunctions()
	if e, err = blues.Compile(src); err == nil {
		patchTree(e, src)
	}
	return e, err
}

// evalMu serialises evaluations: the evaluator's functions (its own and
// the registered ones) are shared objects that each call writes its name
// and context into, so two evaluations calling one function at once race,
// and a context-taking call ($string() with no argument) could read the
// other's context. An evaluation takes microseconds.
var evalMu sync.Mutex

// evalSafely turns a panic inside the evaluator into an error, so a
// definition can never crash the engine.
func evalSafely(e *blues.Expr, input any, conv *converter, ctors [][]string) (r any, err error) {
	evalMu.Lock()
	defer evalMu.Unlock()
	evalOrder.conv, evalOrder.ctors = conv, ctors
	callDepth = 0
	defer func() { evalOrder.conv, evalOrder.ctors = nil, nil }()
	defer func() {
		if p := recover(); p != nil {
			err = errors.New("internal error in the JSONata evaluator")
		}
	}()
	return e.Eval(input)
}

// env converts the bindings once per template evaluation, each part when
// the first expression needs it.
type env struct {
	b      *Bindings
	conv   converter
	st     map[string]any // $states, converted
	in     any
	vs     map[string]any // every variable, converted
	single map[string]any // variables converted one by one
}

func (e *env) states() map[string]any {
	if e.st == nil {
		e.st = make(map[string]any, e.b.States.Len())
		for _, m := range e.b.States.Members() {
			e.st[m.Key] = e.conv.to(m.Value)
		}
		e.in = e.st["input"]
	}
	return e.st
}

func (e *env) variable(name string, v any) any {
	if c, ok := e.single[name]; ok {
		return c
	}
	if e.single == nil {
		e.single = map[string]any{}
	}
	c := e.conv.to(v)
	e.single[name] = c
	return c
}

// vars returns $states and every variable, for an expression that
// mentions too many names to pool.
func (e *env) vars() map[string]any {
	if e.vs == nil {
		e.vs = make(map[string]any, e.b.Vars.Len()+1)
		for _, m := range e.b.Vars.Members() {
			e.vs[m.Key] = e.variable(m.Key, m.Value)
		}
		e.vs["states"] = e.states()
	}
	return e.vs
}

// root is the context value of a top-level path: the state input.
func (e *env) root() any { e.states(); return e.in }

// mentionedNames lists the distinct $names in src other than $states:
// an over-approximation (names inside string literals count too), which
// only costs a binding. ok is false when there are too many to pool.
func mentionedNames(src string) (names []string, ok bool) {
	for i := 0; i < len(src); i++ {
		if src[i] != '$' {
			continue
		}
		j := i + 1
		for j < len(src) && (src[j] == '_' || src[j] >= 0x80 || (src[j] >= 'a' && src[j] <= 'z') || (src[j] >= 'A' && src[j] <= 'Z') || (src[j] >= '0' && src[j] <= '9')) {
			j++
		}
		if n := src[i+1 : j]; n != "" && n != "states" && !slices.Contains(names, n) {
			names = append(names, n)
		}
		i = j - 1
	}
	if len(names) > maxPooledNames {
		return nil, false
	}
	return names, true
}

// constructors lists the key lists of src's object constructors whose
// keys are all literal, in the order they appear in src.
func constructors(src string) (ctors [][]string) {
	defer func() {
		if recover() != nil {
			ctors = nil
		}
	}()
	root, err := jparse.Parse(src)
	if err != nil {
		return nil
	}
	walkNodes(reflect.ValueOf(root), func(o *jparse.ObjectNode) {
		keys := make([]string, 0, len(o.Pairs))
		for _, p := range o.Pairs {
			s, ok := p[0].(*jparse.StringNode)
			if !ok {
				return
			}
			keys = append(keys, s.Value)
		}
		ctors = append(ctors, keys)
	})
	return ctors
}

// walkNodes calls f on every object constructor under v, in source
// order (the parser's node types are walked by reflection so that every
// kind of node is entered).
func walkNodes(v reflect.Value, f func(*jparse.ObjectNode)) {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return
		}
		if o, ok := v.Interface().(*jparse.ObjectNode); ok {
			f(o)
		}
		walkNodes(v.Elem(), f)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkNodes(v.Field(i), f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkNodes(v.Index(i), f)
		}
	}
}
