package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// ValidationError lists every problem found in a definition, each
// prefixed with where it is (States.Foo.Retry[0].MaxAttemps: unknown
// field).
type ValidationError struct {
	Problems []string
}

func (e *ValidationError) Error() string {
	return "invalid state machine definition: " + strings.Join(e.Problems, "; ")
}

// Parse parses and validates an Amazon States Language definition
// (JSONPath query language). It reports all problems at once as a
// *ValidationError. Substitutions, if any, must already be applied (see
// Substitute).
func Parse(def []byte) (*Definition, error) {
	p := &parser{}
	d := p.definition(def)
	if len(p.problems) > 0 {
		return nil, &ValidationError{Problems: p.problems}
	}
	return d, nil
}

// Substitute replaces each ${Name} in def with subs[Name], the way SAM's
// DefinitionSubstitutions do. Placeholders without a value are left as
// they are.
func Substitute(def string, subs map[string]string) string {
	if len(subs) == 0 || !strings.Contains(def, "${") {
		return def
	}
	var b strings.Builder
	for {
		i := strings.Index(def, "${")
		if i < 0 {
			break
		}
		j := strings.IndexByte(def[i:], '}')
		if j < 0 {
			break
		}
		name := def[i+2 : i+j]
		v, ok := subs[name]
		b.WriteString(def[:i])
		if ok {
			b.WriteString(v)
		} else {
			b.WriteString(def[i : i+j+1])
		}
		def = def[i+j+1:]
	}
	b.WriteString(def)
	return b.String()
}

// parser collects problems while it builds the compiled definition.
type parser struct {
	problems []string
	// jsonata is set when the definition's QueryLanguage is JSONata: its
	// states, nested ones included, default to it.
	jsonata bool
}

func (p *parser) addf(loc, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if loc != "" {
		msg = loc + ": " + msg
	}
	p.problems = append(p.problems, msg)
}

func (p *parser) definition(def []byte) *Definition {
	o := p.object("", json.RawMessage(def))
	if o == nil {
		return nil
	}
	d := &Definition{}
	d.Comment, _ = o.str("Comment")
	o.str("Version")
	if ql, ok := o.str("QueryLanguage"); ok {
		p.jsonata = p.queryLanguage("QueryLanguage", ql, false)
	}
	if n, ok := o.integer("TimeoutSeconds"); ok {
		if n < 1 {
			p.addf("TimeoutSeconds", "must be a positive integer")
		}
		d.TimeoutSeconds = n
	}
	d.root = p.machine(o, "")
	o.done()
	return d
}

// machine parses StartAt and States of o (the definition, a branch or an
// item processor); the caller reads o's other fields and calls o.done.
func (p *parser) machine(o *object, loc string) *machine {
	m := &machine{states: map[string]*state{}}
	m.startAt, _ = o.requiredStr("StartAt")
	raw, ok := o.raw("States")
	if !ok {
		p.addf(o.at("States"), "required field is missing")
		return m
	}
	statesObj := p.object(o.at("States"), raw)
	if statesObj == nil {
		return m
	}
	var links []link
	for _, name := range statesObj.keys() {
		sraw, _ := statesObj.raw(name)
		sloc := statesObj.at(name)
		if len(name) > 80 {
			p.addf(sloc, "state name is longer than 80 characters")
		}
		if st := p.state(name, sloc, sraw, &links); st != nil {
			m.states[name] = st
		}
	}
	if m.startAt != "" {
		if m.start = m.states[m.startAt]; m.start == nil {
			if _, exists := statesObj.fields[m.startAt]; !exists {
				p.addf(o.at("StartAt"), "state %q does not exist", m.startAt)
			}
		}
	}
	for _, l := range links {
		target := m.states[l.target]
		if target == nil {
			if _, exists := statesObj.fields[l.target]; !exists {
				p.addf(l.loc, "state %q does not exist", l.target)
			}
			continue
		}
		l.set(target)
	}
	if m.start != nil {
		p.reachability(m, statesObj)
	}
	return m
}

// link is a transition to resolve once all states of a machine are known.
type link struct {
	loc, target string
	set         func(*state)
}

func (p *parser) reachability(m *machine, statesObj *object) {
	seen := map[*state]bool{}
	stack := []*state{m.start}
	for len(stack) > 0 {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if st == nil || seen[st] {
			continue
		}
		seen[st] = true
		stack = append(stack, st.next, st.defaultNext)
		for _, c := range st.choices {
			stack = append(stack, c.next)
		}
		for _, c := range st.catch {
			stack = append(stack, c.next)
		}
	}
	names := make([]string, 0, len(m.states))
	for name, st := range m.states {
		if !seen[st] {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		p.addf(statesObj.at(name), "state is not reachable from StartAt")
	}
}

// object is a JSON object being read field by field; done reports the
// fields nobody read as unknown.
type object struct {
	p      *parser
	loc    string
	fields map[string]json.RawMessage
	seen   map[string]bool
}

func (p *parser) object(loc string, raw json.RawMessage) *object {
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&fields); err != nil || fields == nil {
		what := "must be a JSON object"
		if err != nil && !json.Valid(raw) {
			what = "is not valid JSON: " + err.Error()
		}
		if loc == "" {
			p.addf("", "definition %s", what)
		} else {
			p.addf(loc, "%s", what)
		}
		return nil
	}
	if dec.More() {
		p.addf(loc, "unexpected data after the JSON object")
	}
	return &object{p: p, loc: loc, fields: fields, seen: map[string]bool{}}
}

func (o *object) at(key string) string {
	if o.loc == "" {
		return key
	}
	return o.loc + "." + key
}

func (o *object) keys() []string {
	ks := make([]string, 0, len(o.fields))
	for k := range o.fields {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func (o *object) has(key string) bool {
	_, ok := o.fields[key]
	return ok
}

func (o *object) raw(key string) (json.RawMessage, bool) {
	v, ok := o.fields[key]
	if ok {
		o.seen[key] = true
	}
	return v, ok
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func (o *object) str(key string) (string, bool) {
	raw, ok := o.raw(key)
	if !ok {
		return "", false
	}
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		o.p.addf(o.at(key), "must be a string")
		return "", false
	}
	return s, true
}

func (o *object) requiredStr(key string) (string, bool) {
	if !o.has(key) {
		o.p.addf(o.at(key), "required field is missing")
		return "", false
	}
	s, ok := o.str(key)
	if ok && s == "" {
		o.p.addf(o.at(key), "must not be empty")
		return "", false
	}
	return s, ok
}

func (o *object) number(key string) (json.Number, bool) {
	raw, ok := o.raw(key)
	if !ok {
		return "", false
	}
	var n json.Number
	if c := raw[0]; (c != '-' && (c < '0' || c > '9')) || json.Unmarshal(raw, &n) != nil {
		o.p.addf(o.at(key), "must be a number")
		return "", false
	}
	return n, true
}

func (o *object) integer(key string) (int, bool) {
	n, ok := o.number(key)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	if err != nil || i > 1<<31-1 || i < -(1<<31) {
		o.p.addf(o.at(key), "must be an integer")
		return 0, false
	}
	return int(i), true
}

func (o *object) float(key string) (float64, bool) {
	n, ok := o.number(key)
	if !ok {
		return 0, false
	}
	f, err := n.Float64()
	if err != nil {
		o.p.addf(o.at(key), "must be a number")
		return 0, false
	}
	return f, true
}

func (o *object) boolean(key string) (bool, bool) {
	raw, ok := o.raw(key)
	if !ok {
		return false, false
	}
	switch string(bytes.TrimSpace(raw)) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	o.p.addf(o.at(key), "must be true or false")
	return false, false
}

func (o *object) array(key string) ([]json.RawMessage, bool) {
	raw, ok := o.raw(key)
	if !ok {
		return nil, false
	}
	var items []json.RawMessage
	if raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		o.p.addf(o.at(key), "must be an array")
		return nil, false
	}
	return items, true
}

func (o *object) stringList(key string) ([]string, bool) {
	items, ok := o.array(key)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		var s string
		if it[0] != '"' || json.Unmarshal(it, &s) != nil {
			o.p.addf(fmt.Sprintf("%s[%d]", o.at(key), i), "must be a string")
			continue
		}
		out = append(out, s)
	}
	return out, true
}

// done reports every field that no getter asked for.
func (o *object) done() {
	for _, k := range o.keys() {
		if !o.seen[k] {
			o.p.addf(o.at(k), "unknown field")
		}
	}
}
