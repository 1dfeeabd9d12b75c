// Package expr is the pure data-processing half of the local Step Functions
// engine: JSONPath selection (Path), ResultPath placement (Path.Set),
// payload templates (Template: Parameters, ResultSelector, ItemSelector),
// intrinsic functions (Intrinsic) and Choice rules (ChoiceRule), all with
// the semantics AWS Step Functions documents for the JSONPath query
// language.
//
// Everything is compiled once, when a definition is parsed, and evaluated
// many times; evaluation allocates only what the result needs.
//
// # JSON values
//
// Values are *Object (a JSON object keeping its members' order, as AWS
// does: input order, then insertion order), []any, string, json.Number,
// bool and nil. Decode and Encode convert between bytes and values;
// Encode does not escape HTML, as AWS does not. Handlers and other code
// outside the engine see JSON bytes, never these values.
//
// # Who may mutate what
//
// Values are treated as immutable. No function of this package mutates
// its arguments, and results may share sub-values with the input document,
// the context object and the compiled template (a static part of a
// template is returned as is, not copied). So a caller must never modify a
// value it got from, or passed to, this package in place: build a new value
// instead, as Path.Set does (it copies only the objects along the path).
// This keeps evaluation cheap and makes every value safe to share between
// goroutines.
package expr
