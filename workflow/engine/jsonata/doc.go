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
// answering differently: the parent operator %, the # and @ join
// operators are refused (as a parse error at validation), and $eval is
// refused as on AWS. Two pieces of syntax its parser lacks are spelled
// for it (source.go): comments, and a quoted string as a path step
// ($."Product Name"), which becomes a backquoted name.
//
// Where its Go functions answer differently from jsonata-js, they are
// replaced: $string of a number, of an object with prettify,
// $encodeUrl, $encodeUrlComponent, $uppercase and $lowercase
// (jsfuncs.go), $number of hexadecimal, octal and binary strings
// (number.go), $formatNumber of zero or a negative number with an
// exponent picture, which never returned (formatnumber.go), and
// $fromMillis and $toMillis with a picture (datetime.go,
// datetime_parse.go). Each expression's parse tree is rewritten so that
// & casts its operands as $string does, "and" / "or" stop at a left side
// that decides, a function calling itself without end fails instead
// of exhausting the stack, which would end the process, and .* and **
// visit an object's values in its key order (tree.go, wildcard.go). $formatInteger, $parseInteger and $assert, which
// it lacks, are added (integers.go, builtins.go), as are $single without
// a function, $not of nothing and $each over the context. Its function objects are shared and written
// by every call, so evaluations take turns (evalMu); the functions this
// package registers are bound once in the evaluator's base environment
// (registry.go) rather than at every evaluation. $keys, $each,
// $spread and $string of an object walk keys in the object's order
// (keyorder.go). The differences still open are the corpus's
// conformance-known-differences: key order where the evaluator itself
// walks a Go map (grouping by an object constructor) and positional
// binding (#$i).
//
// Every value crossing between the engine and the evaluator goes through
// values.go, the one place that knows both representations.
package jsonata
