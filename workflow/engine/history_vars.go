package engine

import (
	"slices"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// assignedVariables writes AWS's assignedVariables (each variable's value
// as JSON text) and assignedVariablesDetails of a StateExited event.
func (w *jsonWriter) assignedVariables(vars map[string]any) {
	names := make([]string, 0, len(vars))
	for n := range vars {
		names = append(names, n)
	}
	slices.Sort(names)
	w.key("assignedVariables")
	w.buf = append(w.buf, '{')
	for i, n := range names {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.buf = expr.AppendStringEscapingLS(w.buf, n)
		w.buf = append(w.buf, ':')
		w.buf = expr.AppendStringEscapingLS(w.buf, string(mustEncode(vars[n])))
	}
	w.buf = append(w.buf, '}')
	w.key("assignedVariablesDetails")
	w.buf = append(w.buf, `{"truncated":false}`...)
}
