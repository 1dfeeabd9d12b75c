package engine

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// scope is what JSONPath templates, intrinsics and paths get as their
// context argument: the context object alone, or with the variables in
// scope so that $name paths resolve.
func (th *thread) scope(ctxObj any) any {
	if th.vars.Len() == 0 {
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
	assigned, err := th.evalAssign(st, assign)
	if err != nil {
		return nil, err
	}
	return th.exitAssigning(st, out, assigned)
}

// evalAssign evaluates a JSONPath state's Assign field on th.assignIn to
// the variables it sets; nil for no field, or when resuming (the record
// has them).
func (th *thread) evalAssign(st *state, assign *expr.Template) (*expr.Object, error) {
	if assign == nil || len(th.replay) > 0 {
		return nil, nil
	}
	var ctxObj any
	if st.usesContext {
		ctxObj = th.contextObject(st, th.enteredAt, 0, "")
	}
	v, err := assign.Eval(th.assignIn, th.scope(ctxObj))
	if err != nil {
		return nil, asStateError(err)
	}
	assigned, _ := v.(*expr.Object)
	return assigned, nil
}

// mergeAssigned is what a Choice state assigns when its matched rule has
// an Assign as well as the state: both apply, and AWS does not say which
// wins when both set one name, so the rule's does (it is the more
// specific).
func mergeAssigned(state, rule *expr.Object) *expr.Object {
	if rule.Len() == 0 {
		return state
	}
	if state.Len() == 0 {
		return rule
	}
	out := state
	for _, m := range rule.Members() {
		out = out.With(m.Key, m.Value)
	}
	return out
}

// pathIn reads a JSONPath field (InputPath, OutputPath, ItemsPath, the
// *Path fields of Wait, Task and Map) that may start at $$ or at a
// workflow variable. The context object is built only for a path that
// reads it, and the scope only when variables are set, so a plain path
// costs nothing extra.
func (th *thread) pathIn(p *expr.Path, in any, st *state, entered time.Time, retries int, field string) (any, error) {
	var ctxObj any
	if p.IsContext() {
		ctxObj = th.contextObject(st, entered, retries, "")
	}
	return p.GetIn(in, th.scope(ctxObj), field)
}
