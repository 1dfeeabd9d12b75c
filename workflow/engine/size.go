package engine

import "github.com/kaiban/kaiban/workflow/engine/expr"

// jsonSize returns the length of v encoded as JSON, counting no further
// than limit (it returns a value > limit as soon as it knows).
func jsonSize(v any, limit int) int { return expr.JSONSize(v, limit) }
