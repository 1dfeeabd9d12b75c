package jsonata

import (
	"errors"
	"reflect"
	"strings"
	"unsafe"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jparse"
	"github.com/blues/jsonata-go/jtypes"
)

// Some operators evaluate differently from jsonata-js in the evaluator,
// and operators cannot be replaced as functions can, so each compiled
// expression's parse tree is rewritten (patchTree) into one that
// evaluates as jsonata-js does:
//
//   - & casts its operands as $string does: a number to 15 significant
//     digits ("Total: " & 0.1 + 0.2 is "Total: 0.3"), an object with its
//     keys in order; the evaluator writes 0.30000000000000004. Each
//     operand is wrapped in a call of concatOperand, registered under a
//     name no expression uses.
//   - and and or stop at a left side that decides (false and …, true
//     or …), so "$type(x) = 'number' and x > 10" is false for a string
//     x; the evaluator evaluates both sides, and the comparison fails.
//     A and B becomes A ? (B ? true : false) : false, A or B becomes
//     A ? true : (B ? true : false), which cast to boolean as they do.
//   - A function that calls itself without end fails with an error, as
//     jsonata-js does when its stack runs out; in the evaluator it would
//     grow the goroutine's stack until the process dies. Each function
//     body B becomes (enter(); $r := B; leave(); $r), enter failing
//     beyond maxCallDepth nested calls.
//   - The wildcard (.*) and descendant (**) steps visit an object's
//     values in its key order, as JSONata does; the evaluator's range
//     over a Go map, in an order that changes from run to run. Each
//     becomes a call of wildcard or descendants (wildcard.go) on the
//     context ($).
const (
	concatOperandName = "kaibanConcatOperand"
	enterName         = "kaibanEnterFunction"
	leaveName         = "kaibanLeaveFunction"
	resultName        = "kaibanFunctionResult"
)

// maxCallDepth bounds nested calls of an expression's functions: deep
// enough for any recursion over a state's data (256 KB at most), far
// below what would exhaust the stack.
const maxCallDepth = 10000

// callDepth is the evaluation's current nesting of function calls. Only
// the evaluation holding evalMu changes it; evalSafely zeroes it.
var callDepth int

var errCallDepth = errors.New("stack overflow: a function called itself more than 10000 times; check for a non-terminating recursive function")

func init() {
	if err := blues.RegisterExts(map[string]blues.Extension{
		concatOperandName: {Func: concatOperand, UndefinedHandler: jtypes.ArgUndefined(0)},
		enterName:         {Func: enterFunction},
		leaveName:         {Func: leaveFunction},
	}); err != nil {
		panic(err)
	}
}

func concatOperand(v any) (string, error) { return jsString(v, jtypes.OptionalValue{}) }

func enterFunction() (any, error) {
	if callDepth++; callDepth > maxCallDepth {
		return nil, errCallDepth
	}
	return nil, jtypes.ErrUndefined
}

func leaveFunction() (any, error) {
	callDepth--
	return nil, jtypes.ErrUndefined
}

// depthGuarded is body counted as one level of function calls.
func depthGuarded(body jparse.Node) jparse.Node {
	call := func(name string) jparse.Node {
		return &jparse.FunctionCallNode{Func: &jparse.VariableNode{Name: name}}
	}
	return &jparse.BlockNode{Exprs: []jparse.Node{
		call(enterName),
		&jparse.AssignmentNode{Name: resultName, Value: body},
		call(leaveName),
		&jparse.VariableNode{Name: resultName},
	}}
}

// patchTree rewrites e's parse tree as described above. The tree is a
// field the evaluator does not export, so it is reached by reflection;
// a tree it cannot reach is left as it is.
func patchTree(e *blues.Expr, src string) {
	if !strings.Contains(src, "&") && !strings.Contains(src, "and") && !strings.Contains(src, "or") &&
		!strings.Contains(src, "function") && !strings.Contains(src, "λ") && !strings.Contains(src, "*") {
		return
	}
	f := reflect.ValueOf(e).Elem().FieldByName("node")
	if !f.IsValid() || !f.CanAddr() {
		return
	}
	f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
	rewrite(f)
}

// rewrite rewrites the nodes under v, children before their parent,
// replacing a node in the field or element that holds it.
func rewrite(v reflect.Value) {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return
		}
		rewrite(v.Elem())
		if !v.CanSet() {
			return
		}
		switch x := v.Interface().(type) {
		case *jparse.BooleanOperatorNode:
			v.Set(reflect.ValueOf(shortCircuit(x)))
		case *jparse.WildcardNode:
			v.Set(reflect.ValueOf(contextCall(wildcardName)))
		case *jparse.DescendentNode:
			v.Set(reflect.ValueOf(contextCall(descendantsName)))
		}
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		rewrite(v.Elem())
		switch x := v.Interface().(type) {
		case *jparse.StringConcatenationNode:
			x.LHS, x.RHS = concatOperandCall(x.LHS), concatOperandCall(x.RHS)
		case *jparse.LambdaNode:
			x.Body = depthGuarded(x.Body)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				rewrite(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			rewrite(v.Index(i))
		}
	}
}

// shortCircuit is the conditional that evaluates as b does in
// jsonata-js.
func shortCircuit(b *jparse.BooleanOperatorNode) jparse.Node {
	yes, no := &jparse.BooleanNode{Value: true}, &jparse.BooleanNode{Value: false}
	rhs := &jparse.ConditionalNode{If: b.RHS, Then: yes, Else: no}
	if b.Type == jparse.BooleanAnd {
		return &jparse.ConditionalNode{If: b.LHS, Then: rhs, Else: no}
	}
	return &jparse.ConditionalNode{If: b.LHS, Then: yes, Else: rhs}
}

// contextCall is a call of the function registered as name with the
// context ($) as its argument.
func contextCall(name string) jparse.Node {
	return &jparse.FunctionCallNode{Func: &jparse.VariableNode{Name: name}, Args: []jparse.Node{&jparse.VariableNode{}}}
}

func concatOperandCall(n jparse.Node) jparse.Node {
	switch n.(type) {
	case *jparse.StringNode, *jparse.StringConcatenationNode:
		return n
	}
	return &jparse.FunctionCallNode{Func: &jparse.VariableNode{Name: concatOperandName}, Args: []jparse.Node{n}}
}
