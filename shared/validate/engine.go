package validate

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The engine reads the `validate` struct tags of the form: comma-separated
// rules run in order on each field, and the first rule that fails is the
// field's error. A rule is a built-in (builtins below), one of Kaiban's
// own tags (fieldTags) or a marker: omitempty skips the rest of the rules
// for a field without a value, dive runs the rules after it on each
// element of a list. Nested structs are checked field by field once their
// own rules pass, then their struct-level rule (structRules) runs.
//
// It is Kaiban's own rather than a general validation library, which
// would link some 150 rules (MIME sniffing, URNs, language tags, …) into
// the api function when the form uses a dozen; the rule names and their
// meaning are those of go-playground/validator, whose documentation
// describes them.

// fieldLevel is what a rule sees: the field's value (pointers followed),
// the struct holding it and the rule's parameter.
type fieldLevel struct {
	value, parent reflect.Value
	param         string
	// pointer is set when value was reached through a pointer.
	pointer bool
}

// check is one rule.
type check func(ctx context.Context, fl fieldLevel) bool

// rule is one compiled entry of a tag.
type rule struct {
	tag, param string
	check      check // nil for the markers omitempty and dive
}

// fieldPlan is one exported field of a struct and its rules.
type fieldPlan struct {
	index int
	name  string // JSON name: error paths are what the client sent
	rules []rule
}

// structPlan is the compiled form of one struct type.
type structPlan struct {
	fields []fieldPlan
	rule   func(ctx context.Context, sl *structLevel)
}

// fieldErr is one failed rule, before it is put into words.
type fieldErr struct {
	path, name, tag, param string
	kind                   reflect.Kind
}

// structLevel lets a struct-level rule read the struct and report errors
// on its fields.
type structLevel struct {
	current reflect.Value
	ns      string
	errs    *[]fieldErr
}

// report records code failing on the field at path (relative to the
// struct, e.g. "shareholders[1].name") with param for its message.
func (sl *structLevel) report(path, code, param string) {
	name := path
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		name = path[i+1:]
	}
	*sl.errs = append(*sl.errs, fieldErr{path: sl.ns + path, name: name, tag: code, param: param, kind: reflect.String})
}

// engine holds the rules and the compiled plans; safe for concurrent use.
type engine struct {
	checks      map[string]check
	structRules map[reflect.Type]func(ctx context.Context, sl *structLevel)
	plans       sync.Map // reflect.Type → *structPlan
}

var timeType = reflect.TypeFor[time.Time]()

// validate checks s (a struct or a pointer to one) and returns every
// failed rule in field order; an error only for a tag that does not
// compile, which is a programming error.
func (e *engine) validate(ctx context.Context, s any) ([]fieldErr, error) {
	v := reflect.ValueOf(s)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil, fmt.Errorf("validate: %T is not a struct", s)
	}
	var errs []fieldErr
	if err := e.structValue(ctx, v, "", &errs); err != nil {
		return nil, err
	}
	return errs, nil
}

func (e *engine) structValue(ctx context.Context, v reflect.Value, ns string, errs *[]fieldErr) error {
	p, err := e.plan(v.Type())
	if err != nil {
		return err
	}
	for _, f := range p.fields {
		if err := e.field(ctx, v, v.Field(f.index), ns, f.name, f.rules, errs); err != nil {
			return err
		}
	}
	if p.rule != nil {
		p.rule(ctx, &structLevel{current: v, ns: ns, errs: errs})
	}
	return nil
}

// field runs rules on cur, the field name of parent, and descends into it
// when it is a struct whose rules passed.
func (e *engine) field(ctx context.Context, parent, cur reflect.Value, ns, name string, rules []rule, errs *[]fieldErr) error {
	pointer := false
	for (cur.Kind() == reflect.Pointer || cur.Kind() == reflect.Interface) && !cur.IsNil() {
		cur, pointer = cur.Elem(), true
	}
	fail := func(r rule) {
		*errs = append(*errs, fieldErr{path: ns + name, name: name, tag: r.tag, param: r.param, kind: cur.Kind()})
	}
	switch cur.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Invalid:
		if len(rules) > 0 && rules[0].tag != "omitempty" {
			fail(rules[0])
		}
		return nil
	}
	for i, r := range rules {
		switch r.tag {
		case "omitempty":
			if !hasValue(cur, pointer) {
				return nil
			}
		case "dive":
			for j := 0; j < cur.Len(); j++ {
				elem := name + "[" + strconv.Itoa(j) + "]"
				if err := e.field(ctx, parent, cur.Index(j), ns, elem, rules[i+1:], errs); err != nil {
					return err
				}
			}
			return nil
		default:
			if !r.check(ctx, fieldLevel{value: cur, parent: parent, param: r.param, pointer: pointer}) {
				fail(r)
				return nil
			}
		}
	}
	if cur.Kind() == reflect.Struct && cur.Type() != timeType {
		return e.structValue(ctx, cur, ns+name+".", errs)
	}
	return nil
}

// plan compiles t's tags once.
func (e *engine) plan(t reflect.Type) (*structPlan, error) {
	if p, ok := e.plans.Load(t); ok {
		return p.(*structPlan), nil
	}
	p := &structPlan{rule: e.structRules[t]}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("validate")
		if !f.IsExported() || tag == "-" {
			continue
		}
		name := jsonName(f)
		if name == "" {
			continue
		}
		rules, err := e.compile(tag, f.Type)
		if err != nil {
			return nil, fmt.Errorf("validate: %s.%s: %w", t.Name(), f.Name, err)
		}
		p.fields = append(p.fields, fieldPlan{index: i, name: name, rules: rules})
	}
	got, _ := e.plans.LoadOrStore(t, p)
	return got.(*structPlan), nil
}

// compile parses one tag ("required,max=20,han") for a field of type t.
func (e *engine) compile(tag string, t reflect.Type) ([]rule, error) {
	if tag == "" {
		return nil, nil
	}
	var rules []rule
	for _, s := range strings.Split(tag, ",") {
		name, param, _ := strings.Cut(s, "=")
		r := rule{tag: name, param: param}
		switch name {
		case "omitempty":
		case "dive":
			for t.Kind() == reflect.Pointer {
				t = t.Elem()
			}
			if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
				return nil, fmt.Errorf("dive on %s, not a list", t)
			}
			t = t.Elem()
		default:
			mk, ok := builtins[name]
			if !ok {
				fn, custom := e.checks[name]
				if !custom {
					return nil, fmt.Errorf("unknown rule %q", name)
				}
				r.check = fn
				break
			}
			fn, err := mk(param)
			if err != nil {
				return nil, fmt.Errorf("rule %s=%s: %w", name, param, err)
			}
			r.check = fn
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// hasValue is what required asks: a list, map or pointer that is not nil
// (an empty list is a value: min reports it), anything else not zero.
func hasValue(v reflect.Value, pointer bool) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface, reflect.Chan, reflect.Func:
		return !v.IsNil()
	}
	return pointer || v.IsValid() && !v.IsZero()
}
