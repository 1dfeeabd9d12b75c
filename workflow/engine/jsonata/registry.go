package jsonata

import (
	"reflect"
	"sync"
	_ "unsafe" // go:linkname
)

// The evaluator binds every registered function (blues.RegisterExts)
// into a fresh symbol table at each evaluation, so each function this
// package adds or replaces would cost every evaluation a map entry. They
// are moved once, before the first compilation, into the evaluator's
// base environment, where its own functions are bound once for all
// evaluations: names then resolve as before (a registered function
// replaces the language's own of the same name), at no cost per
// evaluation. The two variables are the evaluator's unexported ones of
// github.com/blues/jsonata-go v1.5.4 (go.mod pins the version; the
// layout of environment is its own).

//go:linkname bluesBaseEnv github.com/blues/jsonata-go.baseEnv
var bluesBaseEnv *bluesEnvironment

//go:linkname bluesGlobalRegistry github.com/blues/jsonata-go.globalRegistry
var bluesGlobalRegistry map[string]reflect.Value

// bluesEnvironment is the evaluator's environment type.
type bluesEnvironment struct {
	parent  *bluesEnvironment
	symbols map[string]reflect.Value
}

var installOnce sync.Once

// installFunctions moves the registered functions into the base
// environment; compileSafely calls it before the first compilation, when
// every init of the package has registered its functions.
func installFunctions() {
	installOnce.Do(func() {
		// A compilation takes the registry under its lock; none has run yet.
		if bluesBaseEnv == nil || bluesBaseEnv.symbols == nil {
			return
		}
		for name, fn := range bluesGlobalRegistry {
			bluesBaseEnv.symbols[name] = fn
		}
		clear(bluesGlobalRegistry)
	})
}
