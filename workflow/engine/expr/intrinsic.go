package expr

import (
	"fmt"
	"strings"
)

// Intrinsic is a compiled intrinsic function call such as
// States.Format('{}-{}', $.a, States.ArrayLength($.b)). Arguments are
// string literals ('it\'s'), numbers, true, false, null, paths into the
// input ($...) or the context object ($$...), and nested calls.
// An Intrinsic is immutable and safe for concurrent use.
type Intrinsic struct {
	text string
	call *call
}

// call is one function application.
type call struct {
	spec *funcSpec
	args []arg
	// format holds the pieces of a States.Format template given as a
	// literal, split around its {} placeholders, so Eval need not parse it.
	format []string
}

type argKind uint8

const (
	argLiteral argKind = iota
	argPath
	argCall
)

type arg struct {
	kind argKind
	lit  any
	// raw is a string literal's text with only \' and \\ unescaped, kept
	// for States.Format where \{ and \} still matter.
	raw  string
	path *Path
	call *call
}

// maxNesting bounds how deeply calls may nest. AWS allows up to 10 nested
// intrinsic functions in a field.
const maxNesting = 10

// IsIntrinsic reports whether s is written as an intrinsic function call
// (it starts with "States." and an opening parenthesis follows the name),
// which is how a ".$" field tells a call from a path.
func IsIntrinsic(s string) bool {
	s = strings.TrimLeft(s, " \t\n\r")
	if !strings.HasPrefix(s, "States.") {
		return false
	}
	i := len("States.")
	for i < len(s) && isIdentByte(s[i]) {
		i++
	}
	return i > len("States.") && strings.HasPrefix(strings.TrimLeft(s[i:], " \t"), "(")
}

func isIdentByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// CompileIntrinsic compiles an intrinsic function call. Unknown functions,
// wrong argument counts and literal arguments of the wrong type are
// reported here, with the function's name.
func CompileIntrinsic(s string) (*Intrinsic, error) {
	if len(s) > maxPathLen*4 {
		return nil, fmt.Errorf("invalid intrinsic function: longer than %d characters", maxPathLen*4)
	}
	ip := &intrParser{s: s}
	ip.skipSpaces()
	c, err := ip.call(1)
	if err != nil {
		return nil, fmt.Errorf("invalid intrinsic function %q: %w", s, err)
	}
	ip.skipSpaces()
	if ip.i != len(s) {
		return nil, fmt.Errorf("invalid intrinsic function %q: unexpected %q after the call at offset %d", s, s[ip.i], ip.i)
	}
	return &Intrinsic{text: s, call: c}, nil
}

// String returns the call as written.
func (f *Intrinsic) String() string { return f.text }

// Eval evaluates the call against the state's input and the context
// object. Bad argument values fail with States.IntrinsicFailure; a path
// argument that selects nothing fails with States.Runtime.
func (f *Intrinsic) Eval(input, context any) (any, error) {
	return f.call.eval(input, context, f.text)
}

// eval evaluates the arguments, checks their types, then applies the
// function. field names the definition field for path errors.
func (c *call) eval(input, context any, field string) (any, error) {
	var small [4]any
	vals := small[:0]
	for i := range c.args {
		a := &c.args[i]
		var v any
		switch a.kind {
		case argLiteral:
			v = a.lit
		case argPath:
			var err error
			if v, err = a.path.GetIn(input, context, field); err != nil {
				return nil, err
			}
		case argCall:
			var err error
			if v, err = a.call.eval(input, context, field); err != nil {
				return nil, err
			}
		}
		if p := c.spec.param(i); !p.kinds.has(v) || (p.integer && !isInteger(v)) {
			return nil, c.fail("argument %d must be %s, got %s", i+1, p.describe(), typeName(v))
		}
		vals = append(vals, v)
	}
	return c.spec.fn(c, vals)
}

// fail builds the States.IntrinsicFailure of this call.
func (c *call) fail(format string, args ...any) *Error {
	return &Error{Name: ErrIntrinsicFailure,
		Cause: "Invalid arguments in " + c.spec.name + ": " + fmt.Sprintf(format, args...)}
}

func isInteger(v any) bool {
	_, ok := toInt64(v)
	return ok
}
