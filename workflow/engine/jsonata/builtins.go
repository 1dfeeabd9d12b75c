package jsonata

import (
	"errors"
	"fmt"
	"reflect"

	blues "github.com/blues/jsonata-go"
	"github.com/blues/jsonata-go/jlib"
	"github.com/blues/jsonata-go/jtypes"
)

// Functions of JSONata 2.0.6 the Go evaluator lacks or calls otherwise:
// $assert(condition, message), $single(array) without a test function,
// $not of nothing (nothing, not true), and $each(function) applied to
// the context object.
func init() {
	if err := blues.RegisterExts(map[string]blues.Extension{
		"assert": {Func: assert},
		"single": {Func: single, UndefinedHandler: jtypes.ArgUndefined(0)},
		"not":    {Func: jlib.Not, UndefinedHandler: jtypes.ArgUndefined(0), EvalContextHandler: jtypes.ArgCountEquals(0)},
	}); err != nil {
		panic(err)
	}
}

// assert is $assert(condition, message): an error with message (or a
// default one) when condition is false, nothing otherwise.
func assert(condition bool, message jtypes.OptionalString) (any, error) {
	if condition {
		return nil, jtypes.ErrUndefined
	}
	if message.IsSet() {
		return nil, errors.New(message.String)
	}
	return nil, errors.New("$assert() statement failed")
}

// single is $single(array, function): the one value of array the
// function is true for; without a function, the one value of array.
func single(v reflect.Value, f jtypes.OptionalCallable) (any, error) {
	if f.IsSet() {
		return jlib.Single(v, f.Callable)
	}
	v = jtypes.Resolve(v)
	if !jtypes.IsArray(v) {
		return v.Interface(), nil
	}
	if n := v.Len(); n != 1 {
		return nil, fmt.Errorf("number of matching values returned by single() must be 1, got: %d", n)
	}
	return v.Index(0).Interface(), nil
}

// eachContext passes the context as the object when $each is given only
// its function.
func eachContext(argv []reflect.Value) bool {
	return len(argv) == 1 && jtypes.IsCallable(argv[0])
}
