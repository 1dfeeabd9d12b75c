package engine

import "github.com/kaiban/kaiban/workflow/engine/expr"

// decodeJSON parses a JSON document into the values expr works with
// (*expr.Object in input order, []any, string, json.Number, bool, nil).
func decodeJSON(data []byte) (any, error) { return expr.Decode(data) }
