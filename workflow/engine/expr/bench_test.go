package expr

import (
	"encoding/json"
	"testing"
)

// benchInput is shaped like the benchmark state machine's input after its
// first task (the shared engine benchmark, see make bench-peer).
const benchInput = `{"company":{"name":"Acme Trading","country":"CN","type":"LTD","capital":1000000,
  "shareholders":[{"name":"A","share":60},{"name":"B","share":40}]},"key":"k-1","validation":{"valid":true}}`

func BenchmarkPathGet(b *testing.B) {
	doc := mustDecode(b, benchInput)
	for _, path := range []string{"$", "$.company.type", "$.company.shareholders[1].share", "$.company.shareholders[?(@.share > 50)].name", "$..name"} {
		p, err := CompilePath(path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Get(doc, "InputPath"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPathSet(b *testing.B) {
	doc := mustDecode(b, benchInput)
	p, err := CompileReferencePath("$.checks")
	if err != nil {
		b.Fatal(err)
	}
	result := []any{map[string]any{"nameFree": true}, map[string]any{"kyc": "passed"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Set(doc, result); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTemplateEval(b *testing.B) {
	doc := mustDecode(b, benchInput)
	ctx := mustDecode(b, `{"Execution":{"Id":"arn:aws:states:::execution:sm:e1"}}`)
	for _, tc := range []struct{ name, tpl string }{
		{"paths", `{"company.$":"$.company","validation.$":"$.validation","exec.$":"$$.Execution.Id","static":{"a":1}}`},
		{"bench Normalize", `{"company.$":"$.company","key.$":"States.Format('{}-{}', $.company.name, $.company.country)","validation.$":"$.validation"}`},
	} {
		tpl, err := CompileTemplate(mustDecode(b, tc.tpl))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := tpl.Eval(doc, ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkChoiceMatch(b *testing.B) {
	doc := mustDecode(b, benchInput)
	r, err := CompileChoiceRule(json.RawMessage(`{"And":[{"Variable":"$.company.type","StringEquals":"LTD"},{"Variable":"$.company.capital","NumericGreaterThanEquals":100000}],"Next":"Checks"}`))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, err := r.Match(doc); err != nil || !ok {
			b.Fatal(ok, err)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	doc := mustDecode(b, benchInput)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Encode(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecode(b *testing.B) {
	data := []byte(benchInput)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data); err != nil {
			b.Fatal(err)
		}
	}
}
