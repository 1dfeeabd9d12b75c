package engine

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/kaiban/kaiban/workflow/engine/expr"
	"github.com/kaiban/kaiban/workflow/engine/jsonata"
)

// jsonataState holds what a JSONata state evaluates. Fields that take
// either a literal or an expression are compiled as templates: a literal
// is a template without expressions.
type jsonataState struct {
	// usesContext: some template may read $states.context.
	usesContext               bool
	arguments, output, assign *jsonata.Template
	timeout, heartbeat        *jsonata.Template // Task
	seconds, timestamp        *jsonata.Template // Wait
	errName, cause            *jsonata.Template // Fail
	items, itemSelector       *jsonata.Template // Map
	maxConcurrency            *jsonata.Template // Map
	// distUsesContext: a distributed Map's ItemReader, ItemBatcher or
	// ResultWriter expressions may read $states.context.
	distUsesContext bool
	// toleratedCount and toleratedPct are the Map's tolerances written as
	// expressions; a number is kept in the state's own fields.
	toleratedCount, toleratedPct *jsonata.Template
	choices                      []jsonataChoice // Choice, next is in state.choices
	catch                        []jsonataCatch  // parallel to state.catch
}

type jsonataChoice struct {
	condition, assign, output *jsonata.Template
}

type jsonataCatch struct {
	assign, output *jsonata.Template
}

// queryLanguage checks a QueryLanguage value and reports whether it is
// JSONata. A JSONPath state is refused inside a JSONata state machine, as
// AWS refuses it.
func (p *parser) queryLanguage(loc, ql string, inState bool) bool {
	switch ql {
	case "JSONata":
		return true
	case "JSONPath":
		if inState && p.jsonata {
			p.addf(loc, "a state cannot use JSONPath when the state machine's QueryLanguage is JSONata")
		}
		return false
	}
	p.addf(loc, "must be JSONPath or JSONata, got %q", ql)
	return false
}

// stateIsJSONata reads a state's QueryLanguage, defaulting to the
// definition's.
func (p *parser) stateIsJSONata(o *object) bool {
	if ql, ok := o.str("QueryLanguage"); ok {
		return p.queryLanguage(o.at("QueryLanguage"), ql, true)
	}
	return p.jsonata
}

// notInJSONata lists, per state type, the JSONPath fields a JSONata state
// must not have (AWS refuses them at validation).
var notInJSONata = map[stateKind][]string{
	kindPass:     {"Parameters", "Result", "ResultPath"},
	kindTask:     {"Parameters", "ResultSelector", "ResultPath", "TimeoutSecondsPath", "HeartbeatSecondsPath"},
	kindChoice:   {},
	kindWait:     {"SecondsPath", "TimestampPath"},
	kindSucceed:  {},
	kindFail:     {"ErrorPath", "CausePath"},
	kindParallel: {"Parameters", "ResultSelector", "ResultPath"},
	kindMap: {"Parameters", "ResultSelector", "ResultPath", "ItemsPath", "MaxConcurrencyPath",
		"ToleratedFailureCountPath", "ToleratedFailurePercentagePath"},
}

// refuse reports each of fields that o has as not allowed in JSONata.
func (p *parser) refuse(o *object, fields ...string) {
	for _, k := range fields {
		if o.has(k) {
			o.raw(k)
			p.addf(o.at(k), "The field '%s' is not supported when QueryLanguage is JSONata", k)
		}
	}
}

// jsonataState parses a state whose query language is JSONata.
func (p *parser) jsonataState(o *object, st *state, links *[]link) *state {
	j := &jsonataState{}
	st.jsonata = j
	p.refuse(o, "InputPath", "OutputPath")
	p.refuse(o, notInJSONata[st.kind]...)
	if st.kind != kindFail {
		j.output = p.jsonataTemplate(o, "Output", "Output", anyValue)
	}
	if st.kind != kindSucceed && st.kind != kindFail {
		j.assign = p.jsonataAssign(o, "Assign", "Assign")
	}
	switch st.kind {
	case kindTask:
		if res, ok := o.requiredStr("Resource"); ok {
			st.resource = res
			if err := classifyResource(st, res); err != "" {
				p.addf(o.at("Resource"), "%s", err)
			}
		}
		o.raw("Credentials")
		j.arguments = p.jsonataTemplate(o, "Arguments", "Arguments", objectOrExpr)
		j.timeout = p.jsonataTemplate(o, "TimeoutSeconds", "TimeoutSeconds", numberOrExpr)
		j.heartbeat = p.jsonataTemplate(o, "HeartbeatSeconds", "HeartbeatSeconds", numberOrExpr)
	case kindChoice:
		p.jsonataChoices(o, st, links)
	case kindWait:
		j.seconds = p.jsonataTemplate(o, "Seconds", "Seconds", numberOrExpr)
		j.timestamp = p.jsonataTemplate(o, "Timestamp", "Timestamp", stringOrExpr)
		if (j.seconds == nil) == (j.timestamp == nil) {
			p.addf(o.loc, "a Wait state needs exactly one of Seconds, Timestamp")
		}
		if j.timestamp != nil {
			if c, ok := j.timestamp.Constant(); ok {
				if _, err := time.Parse(time.RFC3339Nano, c.(string)); err != nil {
					p.addf(o.at("Timestamp"), "must be an RFC 3339 timestamp such as 2016-03-14T01:59:00Z")
				}
			}
		}
	case kindFail:
		j.errName = p.jsonataTemplate(o, "Error", "Error", stringOrExpr)
		j.cause = p.jsonataTemplate(o, "Cause", "Cause", stringOrExpr)
	case kindParallel:
		j.arguments = p.jsonataTemplate(o, "Arguments", "Arguments", objectOrExpr)
		p.branches(o, st)
	case kindMap:
		p.jsonataMap(o, st)
	}
	if st.kind == kindTask || st.kind == kindParallel || st.kind == kindMap {
		p.retriers(o, st)
		p.jsonataCatchers(o, st, links)
	}
	if st.kind != kindChoice && st.kind != kindSucceed && st.kind != kindFail {
		p.transition(o, st, links)
	}
	j.usesContext = j.arguments.UsesContext() || j.output.UsesContext() || j.assign.UsesContext() ||
		j.timeout.UsesContext() || j.heartbeat.UsesContext() || j.seconds.UsesContext() || j.timestamp.UsesContext() ||
		j.errName.UsesContext() || j.cause.UsesContext() || j.items.UsesContext() || j.itemSelector.UsesContext() ||
		j.maxConcurrency.UsesContext() || j.distUsesContext
	for _, c := range j.choices {
		j.usesContext = j.usesContext || c.condition.UsesContext() || c.output.UsesContext() || c.assign.UsesContext()
	}
	for _, c := range j.catch {
		j.usesContext = j.usesContext || c.output.UsesContext() || c.assign.UsesContext()
	}
	o.done()
	return st
}

func (p *parser) jsonataMap(o *object, st *state) {
	j := st.jsonata
	j.items = p.jsonataTemplate(o, "Items", "Items", arrayOrExpr)
	j.itemSelector = p.jsonataTemplate(o, "ItemSelector", "ItemSelector", anyValue)
	j.maxConcurrency = p.jsonataTemplate(o, "MaxConcurrency", "MaxConcurrency", numberOrExpr)
	p.jsonataTolerance(o, st)
	switch {
	case o.has("ItemProcessor") && o.has("Iterator"):
		o.raw("Iterator")
		p.addf(o.loc, "ItemProcessor and Iterator must not be used together")
		p.processor(o, st, "ItemProcessor")
	case o.has("ItemProcessor"):
		p.processor(o, st, "ItemProcessor")
	case o.has("Iterator"):
		p.processor(o, st, "Iterator")
	default:
		p.addf(o.at("ItemProcessor"), "required field is missing")
	}
	if label, ok := o.str("Label"); ok && st.dist != nil {
		st.dist.label = label
	}
	p.distributedFields(o, st)
}

// choiceRuleFields are the JSONPath Choice rule fields; a JSONata rule
// has Condition instead.
var choiceRuleFields = []string{"Variable", "And", "Or", "Not"}

func (p *parser) jsonataChoices(o *object, st *state, links *[]link) {
	items, ok := o.array("Choices")
	switch {
	case !o.has("Choices"):
		p.addf(o.at("Choices"), "required field is missing")
	case ok && len(items) == 0:
		p.addf(o.at("Choices"), "must not be empty")
	}
	st.choices = make([]choice, len(items))
	st.jsonata.choices = make([]jsonataChoice, len(items))
	for i, raw := range items {
		loc := fmt.Sprintf("%s[%d]", o.at("Choices"), i)
		co := p.object(loc, raw)
		if co == nil {
			continue
		}
		field := fmt.Sprintf("Choices[%d]", i)
		co.str("Comment")
		for _, k := range co.keys() {
			if slices.Contains(choiceRuleFields, k) || slices.Contains(expr.Operators(), k) {
				co.raw(k)
				p.addf(co.at(k), "The field '%s' is not supported when QueryLanguage is JSONata; use Condition", k)
			}
		}
		c := &st.jsonata.choices[i]
		if !co.has("Condition") {
			p.addf(co.at("Condition"), "required field is missing")
		}
		c.condition = p.jsonataTemplate(co, "Condition", field+"/Condition", boolOrExpr)
		c.assign = p.jsonataAssign(co, "Assign", field+"/Assign")
		c.output = p.jsonataTemplate(co, "Output", field+"/Output", anyValue)
		if next, ok := co.requiredStr("Next"); ok {
			ch := &st.choices[i]
			*links = append(*links, link{loc: co.at("Next"), target: next, set: func(t *state) { ch.next = t }})
		}
		co.done()
	}
	if def, ok := o.str("Default"); ok {
		*links = append(*links, link{loc: o.at("Default"), target: def, set: func(t *state) { st.defaultNext = t }})
	}
}

func (p *parser) jsonataCatchers(o *object, st *state, links *[]link) {
	items, _ := o.array("Catch")
	st.catch = make([]*catcher, 0, len(items))
	for i, raw := range items {
		co := p.object(fmt.Sprintf("%s[%d]", o.at("Catch"), i), raw)
		if co == nil {
			continue
		}
		c := &catcher{}
		co.str("Comment")
		p.refuse(co, "ResultPath")
		c.errorEquals = p.errorEquals(co, i == len(items)-1)
		if next, ok := co.requiredStr("Next"); ok {
			*links = append(*links, link{loc: co.at("Next"), target: next, set: func(t *state) { c.next = t }})
		}
		field := fmt.Sprintf("Catch[%d]", i)
		st.jsonata.catch = append(st.jsonata.catch, jsonataCatch{
			assign: p.jsonataAssign(co, "Assign", field+"/Assign"),
			output: p.jsonataTemplate(co, "Output", field+"/Output", anyValue),
		})
		co.done()
		st.catch = append(st.catch, c)
	}
}

// shape is what a JSONata field may hold besides an expression.
type shape uint8

const (
	anyValue shape = iota
	objectOrExpr
	arrayOrExpr
	numberOrExpr
	stringOrExpr
	boolOrExpr
)

var shapeNames = [...]string{"", "a JSON object", "a JSON array", "a number", "a string", "true or false"}

// jsonataTemplate compiles the field key of o, named field in runtime
// errors; nil when absent or invalid.
func (p *parser) jsonataTemplate(o *object, key, field string, want shape) *jsonata.Template {
	raw, ok := o.raw(key)
	if !ok {
		return nil
	}
	v, err := expr.Decode(raw)
	if err != nil {
		p.addf(o.at(key), "%v", err)
		return nil
	}
	if s, isStr := v.(string); !isStr || !jsonata.IsExpression(s) {
		okShape := true
		switch want {
		case objectOrExpr:
			_, okShape = v.(*expr.Object)
		case arrayOrExpr:
			_, okShape = v.([]any)
		case numberOrExpr:
			_, okShape = v.(json.Number)
		case stringOrExpr:
			_, okShape = v.(string)
		case boolOrExpr:
			_, okShape = v.(bool)
		}
		if !okShape {
			p.addf(o.at(key), "must be %s or a JSONata expression {%% … %%}", shapeNames[want])
			return nil
		}
	}
	t, err := jsonata.Compile(v, field)
	if err != nil {
		p.addf(o.at(key), "%v", err)
		return nil
	}
	return t
}

// jsonataAssign compiles an Assign object: its keys are variable names.
func (p *parser) jsonataAssign(o *object, key, field string) *jsonata.Template {
	t := p.jsonataTemplate(o, key, field, objectOrExpr)
	if t == nil {
		return nil
	}
	raw, _ := o.raw(key)
	var names map[string]json.RawMessage
	if json.Unmarshal(raw, &names) != nil {
		p.addf(o.at(key), "must be a JSON object")
		return nil
	}
	for name := range names {
		if msg := variableNameProblem(name); msg != "" {
			p.addf(o.at(key)+"."+name, "%s", msg)
		}
	}
	return t
}

// variableNameProblem checks a workflow variable's name as AWS does: a
// letter or underscore, then letters, digits or underscores, at most 80
// characters, and not the reserved name states.
func variableNameProblem(name string) string {
	switch {
	case name == "":
		return "a variable name must not be empty"
	case len(name) > 80:
		return "a variable name must not be longer than 80 characters"
	case name == "states":
		return "the variable name 'states' is reserved"
	}
	for i, r := range name {
		letter := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r > 127
		if !letter && (i == 0 || r < '0' || r > '9') {
			return fmt.Sprintf("invalid variable name %q: it must start with a letter or _ and hold only letters, digits and _", name)
		}
	}
	return ""
}

// jsonataTolerance reads a JSONata Map's ToleratedFailureCount and
// ToleratedFailurePercentage: each a number, checked now, or an
// expression, evaluated when the Map starts.
func (p *parser) jsonataTolerance(o *object, st *state) {
	if t := p.jsonataTemplate(o, "ToleratedFailureCount", "ToleratedFailureCount", numberOrExpr); t != nil {
		if v, ok := t.Constant(); ok {
			n, isInt := nonNegativeInt(v)
			if !isInt {
				p.addf(o.at("ToleratedFailureCount"), "must be a non-negative integer")
			}
			st.toleratedCount, st.hasToleratedCount = int(n), true
		} else {
			st.jsonata.toleratedCount = t
		}
	}
	if t := p.jsonataTemplate(o, "ToleratedFailurePercentage", "ToleratedFailurePercentage", numberOrExpr); t != nil {
		if v, ok := t.Constant(); ok {
			f, isPct := percentage(v)
			if !isPct {
				p.addf(o.at("ToleratedFailurePercentage"), "must be between 0 and 100")
			}
			st.toleratedPercent, st.hasToleratedPct = f, true
		} else {
			st.jsonata.toleratedPct = t
		}
	}
}

// percentage reads a number between 0 and 100.
func percentage(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	return f, err == nil && f >= 0 && f <= 100
}
