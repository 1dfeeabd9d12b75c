package expr

import (
	"strings"
	"testing"
)

// $name paths read workflow variables wherever paths are evaluated:
// templates, intrinsic arguments and Choice rules.
func TestVariablePaths(t *testing.T) {
	vars := mustDecode(t, `{"customer":{"name":"Li","tags":["a","b"]},"n":3,"_x1":"u"}`).(*Object)
	scope := &Scope{Context: mustDecode(t, `{"State":{"Name":"S"}}`), Vars: vars}
	input := mustDecode(t, `{"name":"input"}`)
	for _, tc := range []struct{ tmpl, want string }{
		{`{"a.$":"$customer.name"}`, `{"a":"Li"}`},
		{`{"a.$":"$customer.tags[1]"}`, `{"a":"b"}`},
		{`{"a.$":"$_x1"}`, `{"a":"u"}`},
		{`{"a.$":"$customer['name']"}`, `{"a":"Li"}`},
		{`{"a.$":"States.Format('{} has {}', $customer.name, $n)","in.$":"$.name","st.$":"$$.State.Name"}`, `{"a":"Li has 3","in":"input","st":"S"}`},
		{`{"a.$":"States.ArrayLength($customer.tags)"}`, `{"a":2}`},
	} {
		tm, err := CompileTemplate(mustDecode(t, tc.tmpl))
		if err != nil {
			t.Fatalf("CompileTemplate(%s): %v", tc.tmpl, err)
		}
		got, err := tm.Eval(input, scope)
		if err != nil {
			t.Fatalf("Eval(%s): %v", tc.tmpl, err)
		}
		if b := mustEncode(t, got); b != tc.want {
			t.Errorf("%s = %s, want %s", tc.tmpl, b, tc.want)
		}
	}
	rule, err := CompileChoiceRule([]byte(`{"Variable":"$customer.name","StringEquals":"Li","Next":"X"}`))
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := rule.MatchContext(input, scope); !ok || err != nil {
		t.Errorf("Choice on $customer.name = %v, %v; want true", ok, err)
	}
	p, err := CompilePath("$missing.a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.GetIn(input, scope, "InputPath"); err == nil || !strings.Contains(err.Error(), "The variable 'missing'") {
		t.Errorf("GetIn of an undefined variable = %v", err)
	}
	if p.Variable() != "missing" {
		t.Errorf("Variable() = %q", p.Variable())
	}
}
