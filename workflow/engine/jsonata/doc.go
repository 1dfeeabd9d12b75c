// Package jsonata evaluates the JSONata parts of Amazon States Language
// definitions: "{% … %}" templates inside any JSON value (Arguments,
// Output, Assign, Condition, Items, ItemSelector, and the scalar fields
// that take an expression), with $states and workflow variables bound,
// and with the functions Step Functions adds to JSONata ($partition,
// $range, $hash, $random, $uuid, $parse).
//
// The language itself is github.com/blues/jsonata-go, chosen by running
// the JSONata reference test suite against the Go implementations: it
// computes with IEEE doubles as jsonata-js does. Where it differs from
// JSONata 2.0.6 (the version AWS documents), see the README of the
// sfnlocal command.
//
// Every value crossing between the engine and the evaluator goes through
// values.go, the one place that knows both representations.
package jsonata
