package engine

import (
	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// assignedVariables writes AWS's assignedVariables (each variable's value
// as JSON text) and assignedVariablesDetails of a StateExited event.
// The variables come in the order the Assign sets them.
func (w *jsonWriter) assignedVariables(vars *expr.Object) {
	w.key("assignedVariables")
	w.buf = append(w.buf, '{')
	for i, m := range vars.Members() {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.buf = expr.AppendStringEscapingLS(w.buf, m.Key)
		w.buf = append(w.buf, ':')
		w.buf = expr.AppendStringEscapingLS(w.buf, string(mustEncode(m.Value)))
	}
	w.buf = append(w.buf, '}')
	w.key("assignedVariablesDetails")
	w.buf = append(w.buf, `{"truncated":false}`...)
}
