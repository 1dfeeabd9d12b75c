package expr

// Scope is passed where a context object is expected (Template.Eval,
// Intrinsic.Eval, ChoiceRule.MatchContext, Path.GetIn) when paths may
// reference workflow variables: $name paths read Vars, $$ paths read
// Context.
type Scope struct {
	Context any
	Vars    *Object
}

// Variable returns the name of the workflow variable a $name path starts
// from, or "".
func (p *Path) Variable() string { return p.variable }

// variableName reads the name after a leading $ when there is one: a
// letter or _, then letters, digits and _.
func (ps *pathParser) variableName() string {
	start := ps.i
	for ps.i < len(ps.s) {
		c := ps.s[ps.i]
		letter := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (ps.i == start || c < '0' || c > '9') {
			break
		}
		ps.i++
	}
	return ps.s[start:ps.i]
}

// doc returns the document p addresses: the input, the context object
// ($$) or a variable ($name); ok is false for a variable not in scope.
func (p *Path) doc(input, context any) (any, bool) {
	sc, isScope := context.(*Scope)
	switch {
	case p.variable != "":
		if !isScope {
			return nil, false
		}
		v, ok := sc.Vars.Get(p.variable)
		return v, ok
	case p.context:
		if isScope {
			return sc.Context, true
		}
		return context, true
	}
	return input, true
}

// GetIn is Get on the document the path addresses: the input, the
// context object or a workflow variable (context may be a *Scope).
func (p *Path) GetIn(input, context any, field string) (any, error) {
	doc, ok := p.doc(input, context)
	if !ok {
		return nil, runtimeErr("The variable '" + p.variable + "' referenced by the JSONPath '" + p.text + "' in the field '" + field + "' is not defined")
	}
	return p.Get(doc, field)
}
