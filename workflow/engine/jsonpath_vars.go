package engine

import (
	"encoding/json"
	"strings"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// scope is what JSONPath templates, intrinsics and paths get as their
// context argument: the context object alone, or with the variables in
// scope so that $name paths resolve.
func (th *thread) scope(ctxObj any) any {
	if len(th.vars) == 0 {
		return ctxObj
	}
	return &expr.Scope{Context: ctxObj, Vars: th.vars}
}

// assignTemplate compiles a JSONPath state's (or catcher's) Assign: an
// object like Parameters ("name.$" for paths and intrinsics) whose keys,
// without ".$", are variable names.
func (p *parser) assignTemplate(o *object, st *state) *expr.Template {
	raw, ok := o.raw("Assign")
	if !ok {
		return nil
	}
	var names map[string]json.RawMessage
	if json.Unmarshal(raw, &names) != nil || names == nil {
		p.addf(o.at("Assign"), "must be a JSON object")
		return nil
	}
	for k := range names {
		if msg := variableNameProblem(strings.TrimSuffix(k, ".$")); msg != "" {
			p.addf(o.at("Assign")+"."+k, "%s", msg)
		}
	}
	return p.template(o, "Assign", st)
}

// exitAssign evaluates a JSONPath Assign (nil: assigns nothing) with $
// as th.assignIn, then records the exit with the assignments.
func (th *thread) exitAssign(st *state, out any, assign *expr.Template) (any, error) {
	var assigned map[string]any
	if assign != nil && len(th.replay) == 0 {
		var ctxObj any
		if st.usesContext {
			ctxObj = th.contextObject(st, th.enteredAt, 0, "")
		}
		v, err := assign.Eval(th.assignIn, th.scope(ctxObj))
		if err != nil {
			return nil, asStateError(err)
		}
		m, _ := v.(map[string]any)
		assigned = m
	}
	return th.exitAssigning(st, out, assigned)
}
