package expr

import (
	"fmt"
	"strings"
)

// kinds is a set of JSON types an argument may have.
type kinds uint8

const (
	kString kinds = 1 << iota
	kNumber
	kBool
	kNull
	kArray
	kObject
	kAny = kString | kNumber | kBool | kNull | kArray | kObject
)

func kindOf(v any) kinds {
	switch v.(type) {
	case nil:
		return kNull
	case string:
		return kString
	case bool:
		return kBool
	case []any:
		return kArray
	case *Object:
		return kObject
	}
	if isNumber(v) {
		return kNumber
	}
	return 0
}

func (k kinds) has(v any) bool { return k&kindOf(v) != 0 }

func (k kinds) String() string {
	var names []string
	for _, n := range []struct {
		k    kinds
		name string
	}{{kString, "a string"}, {kNumber, "a number"}, {kBool, "a boolean"}, {kNull, "null"}, {kArray, "an array"}, {kObject, "an object"}} {
		if k&n.k != 0 {
			names = append(names, n.name)
		}
	}
	return strings.Join(names, " or ")
}

// param describes one parameter: the types it accepts and whether a number
// must be an integer.
type param struct {
	kinds   kinds
	integer bool
}

func (p param) describe() string {
	if p.integer {
		return "an integer"
	}
	return p.kinds.String()
}

// funcSpec describes an intrinsic function: its arity, parameter types
// (the last one repeats when variadic), result type (checked when the
// call is an argument of another), an optional compile-time check beyond
// those, and its implementation.
type funcSpec struct {
	name     string
	min, max int // max < 0: variadic
	params   []param
	returns  kinds
	extra    func(c *call) error
	fn       func(c *call, args []any) (any, error)
}

func (s *funcSpec) param(i int) param {
	if len(s.params) == 0 {
		return param{kinds: kAny}
	}
	if i >= len(s.params) {
		return s.params[len(s.params)-1]
	}
	return s.params[i]
}

// check validates a parsed call: argument count, and the type of every
// argument whose type is known before evaluation (literals and calls).
func (s *funcSpec) check(c *call) error {
	n := len(c.args)
	switch {
	case s.max < 0 && n < s.min:
		return fmt.Errorf("%s takes at least %d argument(s), got %d", s.name, s.min, n)
	case s.max >= 0 && (n < s.min || n > s.max):
		if s.min == s.max {
			return fmt.Errorf("%s takes %d argument(s), got %d", s.name, s.min, n)
		}
		return fmt.Errorf("%s takes %d to %d arguments, got %d", s.name, s.min, s.max, n)
	}
	for i, a := range c.args {
		p := s.param(i)
		switch a.kind {
		case argLiteral:
			if !p.kinds.has(a.lit) || (p.integer && !isInteger(a.lit)) {
				return fmt.Errorf("%s argument %d must be %s, got %s", s.name, i+1, p.describe(), typeName(a.lit))
			}
		case argCall:
			if a.call.spec.returns&p.kinds == 0 {
				return fmt.Errorf("%s argument %d must be %s, but %s returns %s", s.name, i+1, p.describe(), a.call.spec.name, a.call.spec.returns)
			}
		}
	}
	if s.extra != nil {
		return s.extra(c)
	}
	return nil
}

var (
	pAny    = param{kinds: kAny}
	pString = param{kinds: kString}
	pNumber = param{kinds: kNumber}
	pInt    = param{kinds: kNumber, integer: true}
	pArray  = param{kinds: kArray}
	pObject = param{kinds: kObject}
	pBool   = param{kinds: kBool}
)

// funcs is the table of intrinsic functions, by name. It is built once
// and only read afterwards.
var funcs = makeFuncs()

func makeFuncs() map[string]*funcSpec {
	m := make(map[string]*funcSpec)
	for _, s := range []*funcSpec{
		{name: "States.Format", min: 1, max: -1, params: []param{pString, pAny}, returns: kString, extra: checkFormat, fn: fnFormat},
		{name: "States.StringToJson", min: 1, max: 1, params: []param{pString}, returns: kAny, fn: fnStringToJSON},
		{name: "States.JsonToString", min: 1, max: 1, params: []param{pAny}, returns: kString, fn: fnJSONToString},
		{name: "States.Array", min: 0, max: -1, params: []param{pAny}, returns: kArray, fn: fnArray},
		{name: "States.ArrayPartition", min: 2, max: 2, params: []param{pArray, pInt}, returns: kArray, extra: checkPositive(1), fn: fnArrayPartition},
		{name: "States.ArrayContains", min: 2, max: 2, params: []param{pArray, pAny}, returns: kBool, fn: fnArrayContains},
		{name: "States.ArrayRange", min: 3, max: 3, params: []param{pInt, pInt, pInt}, returns: kArray, fn: fnArrayRange},
		{name: "States.ArrayGetItem", min: 2, max: 2, params: []param{pArray, pInt}, returns: kAny, fn: fnArrayGetItem},
		{name: "States.ArrayLength", min: 1, max: 1, params: []param{pArray}, returns: kNumber, fn: fnArrayLength},
		{name: "States.ArrayUnique", min: 1, max: 1, params: []param{pArray}, returns: kArray, fn: fnArrayUnique},
		{name: "States.Base64Encode", min: 1, max: 1, params: []param{pString}, returns: kString, fn: fnBase64Encode},
		{name: "States.Base64Decode", min: 1, max: 1, params: []param{pString}, returns: kString, fn: fnBase64Decode},
		{name: "States.Hash", min: 2, max: 2, params: []param{pString, pString}, returns: kString, extra: checkHash, fn: fnHash},
		{name: "States.JsonMerge", min: 3, max: 3, params: []param{pObject, pObject, pBool}, returns: kObject, extra: checkJSONMerge, fn: fnJSONMerge},
		{name: "States.MathRandom", min: 2, max: 3, params: []param{pNumber, pNumber, pNumber}, returns: kNumber, fn: fnMathRandom},
		{name: "States.MathAdd", min: 2, max: 2, params: []param{pNumber, pNumber}, returns: kNumber, fn: fnMathAdd},
		{name: "States.StringSplit", min: 2, max: 2, params: []param{pString, pString}, returns: kArray, fn: fnStringSplit},
		{name: "States.UUID", min: 0, max: 0, returns: kString, fn: fnUUID},
	} {
		m[s.name] = s
	}
	return m
}
