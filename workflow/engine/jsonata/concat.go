package jsonata

import (
	"reflect"
	"strings"
	"unsafe"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jparse"
	"github.com/blues/jsonata-go/jtypes"
)

// The & operator turns its operands into strings as $string does in
// jsonata-js: a number rounded to 15 significant digits ("Total: " &
// 0.1 + 0.2 is "Total: 0.3"), an object with its keys in order. The
// evaluator writes a number in full (0.30000000000000004) and the
// operator cannot be replaced as a function can, so each compiled
// expression's & operands are wrapped in a call of concatOperand
// (patchConcatenation), registered under a name no expression uses.
const concatOperandName = "kaibanConcatOperand"

func init() {
	if err := blues.RegisterExts(map[string]blues.Extension{
		concatOperandName: {Func: concatOperand, UndefinedHandler: jtypes.ArgUndefined(0)},
	}); err != nil {
		panic(err)
	}
}

func concatOperand(v any) (string, error) { return jsString(v, jtypes.OptionalValue{}) }

// patchConcatenation wraps the operands of e's & operators (string
// literals and nested & excepted, which are strings already). The
// expression's parse tree is a field the evaluator does not export, so
// it is reached by reflection; a tree it cannot reach is left as it is.
func patchConcatenation(e *blues.Expr, src string) {
	if !strings.Contains(src, "&") {
		return
	}
	f := reflect.ValueOf(e).Elem().FieldByName("node")
	if !f.IsValid() || !f.CanAddr() {
		return
	}
	f = reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
	root, ok := f.Interface().(jparse.Node)
	if !ok {
		return
	}
	walkAll(reflect.ValueOf(root), func(n any) {
		c, ok := n.(*jparse.StringConcatenationNode)
		if !ok {
			return
		}
		c.LHS, c.RHS = concatOperandCall(c.LHS), concatOperandCall(c.RHS)
	})
}

func concatOperandCall(n jparse.Node) jparse.Node {
	switch n.(type) {
	case *jparse.StringNode, *jparse.StringConcatenationNode:
		return n
	}
	return &jparse.FunctionCallNode{Func: &jparse.VariableNode{Name: concatOperandName}, Args: []jparse.Node{n}}
}

// walkAll calls f on every node under v, children before their parent.
func walkAll(v reflect.Value, f func(any)) {
	switch v.Kind() {
	case reflect.Interface, reflect.Pointer:
		if v.IsNil() {
			return
		}
		walkAll(v.Elem(), f)
		if v.Kind() == reflect.Pointer && v.CanInterface() {
			f(v.Interface())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walkAll(v.Field(i), f)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkAll(v.Index(i), f)
		}
	}
}
