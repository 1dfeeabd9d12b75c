package expr

import (
	"strings"
	"testing"
)

func TestTemplateEval(t *testing.T) {
	const product = `{"comment":"Example for Parameters.","product":{"details":{"color":"blue","size":"small","material":"cotton"},"availability":"in stock","sku":"2317","cost":"$23"}}`
	context := `{"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:sm:e1","Input":{"x":1}},"Map":{"Item":{"Index":2,"Value":{"n":"c"}}},"Task":{"Token":"tok"}}`
	tests := []struct {
		name, template, input, want string
	}{
		{"developer guide Parameters example",
			`{"comment":"Selecting what I care about.","MyDetails":{"size.$":"$.product.details.size","exists.$":"$.product.availability","StaticValue":"foo"}}`,
			product,
			`{"comment":"Selecting what I care about.","MyDetails":{"size":"small","exists":"in stock","StaticValue":"foo"}}`},
		{"whole input", `{"all.$":"$"}`, `{"a":1}`, `{"all":{"a":1}}`},
		{"context object", `{"execution.$":"$$.Execution.Id","token.$":"$$.Task.Token"}`, `{}`,
			`{"execution":"arn:aws:states:us-east-1:123456789012:execution:sm:e1","token":"tok"}`},
		{"Map ItemSelector", `{"ContextIndex.$":"$$.Map.Item.Index","ContextValue.$":"$$.Map.Item.Value"}`, `{}`,
			`{"ContextIndex":2,"ContextValue":{"n":"c"}}`},
		{"whole context", `{"ctx.$":"$$.Execution.Input"}`, `{}`, `{"ctx":{"x":1}}`},
		{"intrinsic", `{"key.$":"States.Format('{}-{}', $.company.name, $.company.country)"}`, `{"company":{"name":"Acme","country":"CN"}}`, `{"key":"Acme-CN"}`},
		{"nested objects in arrays", `{"list":[{"v.$":"$.a"},"lit",{"w":1}]}`, `{"a":[1,2]}`, `{"list":[{"v":[1,2]},"lit",{"w":1}]}`},
		{"indefinite path gives a list", `{"titles.$":"$.books[?(@.price < 10)].title"}`, `{"books":[{"title":"a","price":5},{"title":"b","price":15}]}`, `{"titles":["a"]}`},
		{"dollar string without .$ is a literal", `{"p":"$.a","q":"States.UUID()"}`, `{"a":1}`, `{"p":"$.a","q":"States.UUID()"}`},
		{"static template", `{"a":{"b":[1,2]}}`, `{}`, `{"a":{"b":[1,2]}}`},
		{"non-object template", `[1,{"a.$":"$.x"}]`, `{"x":true}`, `[1,{"a":true}]`},
		{"null selected", `{"v.$":"$.n"}`, `{"n":null}`, `{"v":null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := CompileTemplate(mustDecode(t, tt.template))
			if err != nil {
				t.Fatalf("CompileTemplate: %v", err)
			}
			input := mustDecode(t, tt.input)
			before := mustEncode(t, input)
			got, err := tpl.Eval(input, mustDecode(t, context))
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			wantJSON(t, got, tt.want)
			if mustEncode(t, input) != before {
				t.Errorf("Eval modified its input")
			}
		})
	}
}

func TestTemplateEvalErrors(t *testing.T) {
	tests := []struct {
		name, template, input, errName, cause string
	}{
		{"path selects nothing", `{"x.$":"$.missing"}`, `{"a":1}`, ErrRuntime,
			`The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{"a":1}'`},
		{"nested path selects nothing", `{"o":{"deep.$":"$.a.b"}}`, `{"a":{}}`, ErrRuntime,
			`The JSONPath '$.a.b' specified for the field 'deep.$' could not be found in the input '{"a":{}}'`},
		{"context path selects nothing", `{"x.$":"$$.Map.Item.Value"}`, `{}`, ErrRuntime,
			`The JSONPath '$$.Map.Item.Value' specified for the field 'x.$' could not be found in the input '{"Execution":{}}'`},
		{"intrinsic fails", `{"x.$":"States.ArrayGetItem($.a, 5)"}`, `{"a":[]}`, ErrIntrinsicFailure, "out of bounds"},
		{"intrinsic path selects nothing", `{"x.$":"States.Format('{}', $.nope)"}`, `{}`, ErrRuntime,
			`The JSONPath '$.nope' specified for the field 'x.$' could not be found in the input '{}'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tpl, err := CompileTemplate(mustDecode(t, tt.template))
			if err != nil {
				t.Fatalf("CompileTemplate: %v", err)
			}
			_, err = tpl.Eval(mustDecode(t, tt.input), mustDecode(t, `{"Execution":{}}`))
			if errName(err) != tt.errName {
				t.Fatalf("Eval error = %v, want %s", err, tt.errName)
			}
			if !strings.Contains(err.(*Error).Cause, tt.cause) {
				t.Errorf("cause %q does not contain %q", err.(*Error).Cause, tt.cause)
			}
		})
	}
}

func TestCompileTemplateErrors(t *testing.T) {
	tests := []struct{ template, mention string }{
		{`{"a.$":1}`, `field "a.$": the value of a ".$" field must be a string`},
		{`{"a.$":"foo"}`, `field "a.$": "foo" is neither a JSONPath nor an intrinsic function`},
		{`{"o":{"a.$":"$.["}}`, `field "o.a.$": invalid JSONPath`},
		{`{"l":[{"a.$":"States.Nope()"}]}`, `field "l[0].a.$": invalid intrinsic function`},
		{`{"a":1,"a.$":"$.x"}`, `"a" is also given without ".$"`},
		{`{".$":"$"}`, `the name before ".$" is empty`},
	}
	for _, tt := range tests {
		t.Run(tt.template, func(t *testing.T) {
			_, err := CompileTemplate(mustDecode(t, tt.template))
			if err == nil {
				t.Fatal("CompileTemplate succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q does not mention %q", err, tt.mention)
			}
		})
	}
}

// TestTemplateResultIsIndependent checks that two evaluations do not share
// the objects the template builds, so a caller may hold both.
func TestTemplateResultIsIndependent(t *testing.T) {
	tpl, err := CompileTemplate(mustDecode(t, `{"a.$":"$.x","b":{"c.$":"$.y"}}`))
	if err != nil {
		t.Fatal(err)
	}
	r1, _ := tpl.Eval(mustDecode(t, `{"x":1,"y":2}`), nil)
	r2, _ := tpl.Eval(mustDecode(t, `{"x":3,"y":4}`), nil)
	wantJSON(t, r1, `{"a":1,"b":{"c":2}}`)
	wantJSON(t, r2, `{"a":3,"b":{"c":4}}`)
}
