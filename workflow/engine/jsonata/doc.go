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
// JSONata 2.0.6, the version AWS documents, it fails loudly rather than
// answering differently: a quoted name as a path step ("Product Name"
// instead of `Product Name`), the parent operator %, the # and @ join
// operators, $formatInteger and $parseInteger are refused (as a parse
// error at validation, or an evaluation error), and $eval is refused as
// on AWS.
//
// Where its Go functions answer differently from jsonata-js, they are
// replaced (jsfuncs.go): $string of a number, $encodeUrl,
// $encodeUrlComponent, $uppercase and $lowercase, and $formatNumber of zero or a negative
// number with an exponent picture (formatnumber.go), which never returned. Its function objects
// are shared and written by every call, so evaluations take turns
// (evalMu). $keys, $each, $spread and $string of an object walk keys in
// the object's order (keyorder.go). The differences still open are the
// corpus's conformance-known-differences: key order where the evaluator
// itself walks a Go map (.*, **, grouping by an object constructor) and
// positional binding (#$i). $formatInteger and $parseInteger, which it
// lacks, are added (integers.go).
//
// Every value crossing between the engine and the evaluator goes through
// values.go, the one place that knows both representations.
package jsonata
