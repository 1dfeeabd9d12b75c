package expr

import (
	"fmt"
	"strings"
)

// Template is a compiled payload template: Parameters, ResultSelector or
// ItemSelector. In an object, a key ending in ".$" takes its value from a
// path ($... into the input, $$... into the context object) or an
// intrinsic function, and loses the ".$" in the result; other values are
// copied as written. Objects and arrays nest. A Template is immutable and
// safe for concurrent use.
type Template struct {
	root tnode
}

// tnode is one compiled node of a template.
type tnode interface {
	eval(input, context any) (any, error)
}

type (
	// tstatic is a part without any ".$" key, returned as is (shared).
	tstatic struct{ v any }
	tobject struct{ fields []tfield }
	tfield  struct {
		key  string
		node tnode
	}
	tarray []tnode
	// tpath is a "key.$": "$..." value; field is the key as written,
	// for the error message.
	tpath struct {
		field string
		path  *Path
	}
	tintrinsic struct {
		field string
		call  *call
	}
)

// maxTemplateDepth bounds template nesting (decoded definitions are
// already bounded by encoding/json; this guards values built in Go).
const maxTemplateDepth = 512

// CompileTemplate compiles a decoded template. Errors name the offending
// field: a ".$" key whose value is not a string, not a valid path or
// intrinsic function, or a key given both with and without ".$".
func CompileTemplate(v any) (*Template, error) {
	n, err := compileNode(v, "", 0)
	if err != nil {
		return nil, err
	}
	return &Template{root: n}, nil
}

func compileNode(v any, where string, depth int) (tnode, error) {
	if depth > maxTemplateDepth {
		return nil, fmt.Errorf("%s: template nested deeper than %d levels", where, maxTemplateDepth)
	}
	switch x := v.(type) {
	case *Object:
		return compileObject(x, where, depth)
	case []any:
		arr := make(tarray, len(x))
		dynamic := false
		for i, e := range x {
			n, err := compileNode(e, fmt.Sprintf("%s[%d]", where, i), depth+1)
			if err != nil {
				return nil, err
			}
			if _, ok := n.(tstatic); !ok {
				dynamic = true
			}
			arr[i] = n
		}
		if !dynamic {
			return tstatic{x}, nil
		}
		return arr, nil
	}
	return tstatic{v}, nil
}

func compileObject(m *Object, where string, depth int) (tnode, error) {
	obj := tobject{fields: make([]tfield, 0, m.Len())}
	dynamic := false
	for _, mem := range m.Members() {
		k, val := mem.Key, mem.Value
		field := k
		if where != "" {
			field = where + "." + k
		}
		name, isPath := strings.CutSuffix(k, ".$")
		if !isPath {
			n, err := compileNode(val, field, depth+1)
			if err != nil {
				return nil, err
			}
			if _, ok := n.(tstatic); !ok {
				dynamic = true
			}
			obj.fields = append(obj.fields, tfield{key: k, node: n})
			continue
		}
		dynamic = true
		if name == "" {
			return nil, fmt.Errorf("field %q: the name before \".$\" is empty", field)
		}
		if _, dup := m.Get(name); dup {
			return nil, fmt.Errorf("field %q: %q is also given without \".$\"", field, name)
		}
		s, ok := val.(string)
		if !ok {
			return nil, fmt.Errorf("field %q: the value of a \".$\" field must be a string holding a path or an intrinsic function, got %s", field, typeName(val))
		}
		n, err := compileDynamic(k, s)
		if err != nil {
			return nil, fmt.Errorf("field %q: %w", field, err)
		}
		obj.fields = append(obj.fields, tfield{key: name, node: n})
	}
	if !dynamic {
		return tstatic{m}, nil
	}
	return obj, nil
}

// compileDynamic compiles the value of a ".$" key.
func compileDynamic(key, s string) (tnode, error) {
	if IsIntrinsic(s) {
		f, err := CompileIntrinsic(s)
		if err != nil {
			return nil, err
		}
		return tintrinsic{field: key, call: f.call}, nil
	}
	if !strings.HasPrefix(s, "$") {
		return nil, fmt.Errorf("%q is neither a JSONPath nor an intrinsic function", s)
	}
	p, err := CompilePath(s)
	if err != nil {
		return nil, err
	}
	return tpath{field: key, path: p}, nil
}

// Eval builds the payload from the input and the context object. A path
// that selects nothing fails with States.Runtime, a failing intrinsic with
// States.IntrinsicFailure. The result may share values with input, context
// and the template itself; see the package documentation.
func (t *Template) Eval(input, context any) (any, error) {
	return t.root.eval(input, context)
}

func (n tstatic) eval(_, _ any) (any, error) { return n.v, nil }

func (n tobject) eval(input, context any) (any, error) {
	if len(n.fields) > smallObject {
		out := make([]Member, len(n.fields))
		for i := range n.fields {
			f := &n.fields[i]
			v, err := f.node.eval(input, context)
			if err != nil {
				return nil, err
			}
			out[i] = Member{Key: f.key, Value: v}
		}
		return newUniqueObject(out), nil
	}
	out := allocObject(len(n.fields)) // keys are distinct: compiled so
	for i := range n.fields {
		f := &n.fields[i]
		v, err := f.node.eval(input, context)
		if err != nil {
			return nil, err
		}
		out.members[i] = Member{Key: f.key, Value: v}
	}
	return out, nil
}

func (n tarray) eval(input, context any) (any, error) {
	out := make([]any, len(n))
	for i, e := range n {
		v, err := e.eval(input, context)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func (n tpath) eval(input, context any) (any, error) {
	return n.path.GetIn(input, context, n.field)
}

func (n tintrinsic) eval(input, context any) (any, error) {
	return n.call.eval(input, context, n.field)
}
