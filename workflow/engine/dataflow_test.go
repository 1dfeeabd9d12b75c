package engine

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

// flowCase runs a definition on an input and checks the end.
type flowCase struct {
	name      string
	def       string
	input     string
	handlers  map[string]Handler
	status    string // default SUCCEEDED
	output    string // checked when SUCCEEDED
	errName   string // checked otherwise
	causeHas  string
	checkCall func(t *testing.T, calls []string) // inputs the handlers received
}

func runFlowCases(t *testing.T, cases []flowCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var (
				mu    sync.Mutex
				calls []string
			)
			handlers := map[string]Handler{}
			for name, h := range tc.handlers {
				handlers[name] = func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
					mu.Lock()
					calls = append(calls, string(in))
					mu.Unlock()
					return h(ctx, in)
				}
			}
			e := newTestEngine(t, Options{Handlers: handlers, Clock: NewVirtualClock(epoch)})
			arn := mustCreate(t, e, "flow", tc.def)
			x := runToEnd(t, e, arn, tc.input)
			want := tc.status
			if want == "" {
				want = StatusSucceeded
			}
			if x.Status != want {
				t.Fatalf("status %s (%s: %s), want %s", x.Status, x.Error, x.Cause, want)
			}
			if want == StatusSucceeded && tc.output != "" && !jsonEq(t, x.Output, tc.output) {
				t.Errorf("output\n got %s\nwant %s", x.Output, tc.output)
			}
			if tc.errName != "" && x.Error != tc.errName {
				t.Errorf("error %q (cause %q), want %q", x.Error, x.Cause, tc.errName)
			}
			if tc.causeHas != "" && !strings.Contains(x.Cause, tc.causeHas) {
				t.Errorf("cause %q does not mention %q", x.Cause, tc.causeHas)
			}
			if tc.checkCall != nil {
				tc.checkCall(t, calls)
			}
		})
	}
}

func hello(_ context.Context, in json.RawMessage) (json.RawMessage, error) {
	var v struct {
		Who string `json:"who"`
	}
	_ = json.Unmarshal(in, &v)
	return json.Marshal("Hello, " + v.Who + "!")
}

func echo(_ context.Context, in json.RawMessage) (json.RawMessage, error) { return in, nil }

const lambdaHello = "arn:aws:lambda:us-east-1:123456789012:function:hello"

// TestInputOutputProcessing follows the developer guide's examples for
// InputPath, Parameters, ResultSelector, ResultPath and OutputPath.
func TestInputOutputProcessing(t *testing.T) {
	h := map[string]Handler{"hello": hello, "echo": echo}
	guideInput := `{"comment":"An input comment.","data":{"val1":23,"val2":17},"extra":"foo","lambda":{"who":"AWS Step Functions"}}`
	runFlowCases(t, []flowCase{
		{
			name: "InputPath, ResultPath and OutputPath together (guide example)",
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaHello + `",
				"InputPath":"$.lambda","ResultPath":"$.data.lambdaresult","OutputPath":"$.data","End":true}}}`,
			input: guideInput, handlers: h,
			output: `{"val1":23,"val2":17,"lambdaresult":"Hello, AWS Step Functions!"}`,
			checkCall: func(t *testing.T, calls []string) {
				if len(calls) != 1 || !jsonEq(t, calls[0], `{"who":"AWS Step Functions"}`) {
					t.Errorf("handler got %v", calls)
				}
			},
		},
		{
			name:  "ResultPath null keeps the input",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaHello + `","InputPath":"$.lambda","ResultPath":null,"End":true}}}`,
			input: guideInput, handlers: h, output: guideInput,
		},
		{
			name:  "default ResultPath replaces the input with the result",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaHello + `","InputPath":"$.lambda","End":true}}}`,
			input: guideInput, handlers: h, output: `"Hello, AWS Step Functions!"`,
		},
		{
			name:  "InputPath null gives the task {}",
			def:   `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:echo","InputPath":null,"ResultPath":"$.got","End":true}}}`,
			input: `{"a":1}`, handlers: h, output: `{"a":1,"got":{}}`,
		},
		{
			name:  "OutputPath null gives {}",
			def:   `{"StartAt":"P","States":{"P":{"Type":"Pass","OutputPath":null,"End":true}}}`,
			input: `{"a":1}`, output: `{}`,
		},
		{
			name: "Parameters with paths, static values and the context object",
			def: `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{
				"flagged":true,"parts":{"first.$":"$.vals[0]","last.$":"$.vals[-1:]"},
				"name.$":"$$.State.Name","sm.$":"$$.StateMachine.Name","retry.$":"$$.State.RetryCount","entered.$":"$$.State.EnteredTime"},"End":true}}}`,
			input:  `{"vals":[1,2,3]}`,
			output: `{"flagged":true,"parts":{"first":1,"last":[3]},"name":"P","sm":"flow","retry":0,"entered":"2025-03-01T09:00:00.000Z"}`,
		},
		{
			name: "ResultSelector picks from the task result before ResultPath",
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
				"Parameters":{"FunctionName":"echo","Payload":{"cluster":{"id":"j-1","state":"RUNNING"},"noise":1}},
				"ResultSelector":{"ClusterId.$":"$.Payload.cluster.id","Code.$":"$.StatusCode"},"ResultPath":"$.emr","End":true}}}`,
			input: `{"keep":true}`, handlers: h, output: `{"keep":true,"emr":{"ClusterId":"j-1","Code":200}}`,
		},
		{
			name: "lambda:invoke result is shaped like AWS's",
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
				"Parameters":{"FunctionName":"arn:aws:lambda:us-east-1:123456789012:function:hello:live","Payload.$":"$.lambda"},
				"ResultSelector":{"Payload.$":"$.Payload","StatusCode.$":"$.StatusCode","Version.$":"$.ExecutedVersion","Status.$":"$.SdkHttpMetadata.HttpStatusCode"},"End":true}}}`,
			input: guideInput, handlers: h,
			output: `{"Payload":"Hello, AWS Step Functions!","StatusCode":200,"Version":"$LATEST","Status":200}`,
		},
		{
			name: "Pass Result with ResultPath (guide example)",
			def: `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"x-datum":0.381018,"y-datum":622.2269926397355},
				"ResultPath":"$.coords","End":true}}}`,
			input:  `{"georefOf":"Home"}`,
			output: `{"georefOf":"Home","coords":{"x-datum":0.381018,"y-datum":622.2269926397355}}`,
		},
		{
			name: "intrinsic functions in Parameters",
			def: `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{
				"greeting.$":"States.Format('Hello, {}!', $.name)","n.$":"States.MathAdd($.n, 1)","arr.$":"States.Array($.n, 'x')"},"End":true}}}`,
			input: `{"name":"Ada","n":41}`, output: `{"greeting":"Hello, Ada!","n":42,"arr":[41,"x"]}`,
		},
		{
			name:  "ResultPath into a non-object is States.ResultPathMatchFailure",
			def:   `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"ResultPath":"$.a.b","End":true}}}`,
			input: `{"a":"string"}`, status: StatusFailed, errName: ErrResultPathMatchFailure,
		},
		{
			name:  "InputPath selecting nothing is States.Runtime",
			def:   `{"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$.missing","End":true}}}`,
			input: `{"a":1}`, status: StatusFailed, errName: ErrRuntime, causeHas: "$.missing",
		},
		{
			name: "States.Runtime is not caught by States.ALL",
			def: `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"` + lambdaHello + `","OutputPath":"$.nothing","End":true,
				"Catch":[{"ErrorEquals":["States.ALL"],"Next":"S"}]},"S":{"Type":"Succeed"}}}`,
			input: `{}`, handlers: h, status: StatusFailed, errName: ErrRuntime,
		},
		{
			name: "Choice with a default and no match",
			def: `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[
				{"And":[{"Variable":"$.n","IsPresent":true},{"Variable":"$.n","NumericGreaterThan":10}],"Next":"Big"},
				{"Variable":"$.s","StringMatches":"log-*.txt","Next":"Log"}],"Default":"Other"},
				"Big":{"Type":"Pass","Result":"big","End":true},"Log":{"Type":"Pass","Result":"log","End":true},"Other":{"Type":"Pass","Result":"other","End":true}}}`,
			input: `{"n":3,"s":"log-1.txt"}`, output: `"log"`,
		},
		{
			name:  "Choice without a match and no Default fails with States.NoChoiceMatched",
			def:   `{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"S"}]},"S":{"Type":"Succeed"}}}`,
			input: `{"n":2}`, status: StatusFailed, errName: ErrNoChoiceMatched,
		},
		{
			name:  "Fail with ErrorPath and CausePath",
			def:   `{"StartAt":"F","States":{"F":{"Type":"Fail","ErrorPath":"$.err","CausePath":"States.Format('bad {}', $.what)"}}}`,
			input: `{"err":"Custom.Error","what":"thing"}`, status: StatusFailed, errName: "Custom.Error", causeHas: "bad thing",
		},
		{
			name:  "Succeed applies InputPath and OutputPath",
			def:   `{"StartAt":"S","States":{"S":{"Type":"Succeed","InputPath":"$.a","OutputPath":"$.b"}}}`,
			input: `{"a":{"b":[1]}}`, output: `[1]`,
		},
	})
}
