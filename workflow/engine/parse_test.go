package engine

import (
	"errors"
	"testing"
)

// TestParseProblems checks that each kind of mistake is reported with the
// state and field it concerns.
func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		def  string
		want []string // substrings, each expected in some problem
	}{
		{"not JSON", `{"StartAt":`, []string{"definition is not valid JSON"}},
		{"missing StartAt and States", `{}`, []string{"StartAt: required field is missing", "States: required field is missing"}},
		{"StartAt unknown", `{"StartAt":"Nope","States":{"A":{"Type":"Succeed"}}}`, []string{`StartAt: state "Nope" does not exist`}},
		{"typo inside Retry", `{"StartAt":"Foo","States":{"Foo":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,
			"Retry":[{"ErrorEquals":["States.ALL"],"MaxAttemps":3}]}}}`, []string{"States.Foo.Retry[0].MaxAttemps: unknown field"}},
		{"unknown field in Catch", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,
			"Catch":[{"ErrorEquals":["States.ALL"],"Next":"A","ResultPth":"$.e"}]}}}`, []string{"States.A.Catch[0].ResultPth: unknown field"}},
		{"field of another state type", `{"StartAt":"A","States":{"A":{"Type":"Pass","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true}}}`,
			[]string{"States.A.Resource: unknown field"}},
		{"unknown type", `{"StartAt":"A","States":{"A":{"Type":"Magic","End":true}}}`, []string{`States.A.Type: unknown state type "Magic"`}},
		{"missing Next target", `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}`, []string{`States.A.Next: state "B" does not exist`}},
		{"unreachable state", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"B":{"Type":"Succeed"}}}`, []string{"States.B: state is not reachable from StartAt"}},
		{"End and Next", `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Next":"B"},"B":{"Type":"Succeed"}}}`, []string{"States.A: End and Next must not be used together"}},
		{"neither End nor Next", `{"StartAt":"A","States":{"A":{"Type":"Pass"}}}`, []string{"States.A: state needs Next"}},
		{"States.ALL not last", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,
			"Retry":[{"ErrorEquals":["States.ALL"]},{"ErrorEquals":["X"]}]}}}`, []string{"States.A.Retry[0].ErrorEquals: States.ALL must be in the last entry"}},
		{"States.ALL not alone", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,
			"Catch":[{"ErrorEquals":["X","States.ALL"],"Next":"A"}]}}}`, []string{"States.A.Catch[0].ErrorEquals: States.ALL must appear alone"}},
		{"retrier numbers", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,
			"Retry":[{"ErrorEquals":["X"],"MaxAttempts":-1,"BackoffRate":0.5,"IntervalSeconds":0,"MaxDelaySeconds":0,"JitterStrategy":"SOME"}]}}}`,
			[]string{"Retry[0].MaxAttempts: must not be negative", "Retry[0].BackoffRate: must be at least 1.0", "Retry[0].IntervalSeconds: must be a positive integer",
				"Retry[0].MaxDelaySeconds: must be a positive integer", `Retry[0].JitterStrategy: must be FULL or NONE, got "SOME"`}},
		{"timeout and timeout path", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,
			"TimeoutSeconds":10,"TimeoutSecondsPath":"$.t"}}}`, []string{"States.A: TimeoutSeconds and TimeoutSecondsPath must not be used together"}},
		{"heartbeat not below timeout", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,
			"TimeoutSeconds":10,"HeartbeatSeconds":10}}}`, []string{"States.A.HeartbeatSeconds: must be smaller than TimeoutSeconds"}},
		{"choice without choices", `{"StartAt":"A","States":{"A":{"Type":"Choice","Default":"B"},"B":{"Type":"Succeed"}}}`, []string{"States.A.Choices: required field is missing"}},
		{"choice rule without Next", `{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true}],"Default":"B"},"B":{"Type":"Succeed"}}}`,
			[]string{"States.A.Choices[0].Next: required field is missing"}},
		{"fail with Error and ErrorPath", `{"StartAt":"A","States":{"A":{"Type":"Fail","Error":"E","ErrorPath":"$.e"}}}`, []string{"States.A: Error and ErrorPath must not be used together"}},
		{"map with Iterator and ItemProcessor", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
			"Iterator":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
			"ItemProcessor":{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}}}}`, []string{"States.M: ItemProcessor and Iterator must not be used together"}},
		{"unknown field in ProcessorConfig", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
			"ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE","Speed":9},"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}}}}`,
			[]string{"States.M.ItemProcessor.ProcessorConfig.Speed: unknown field"}},
		{"problem inside a Parallel branch", `{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
			"Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","Nxt":"Y","End":true}}}]}}}`, []string{"States.P.Branches[0].States.X.Nxt: unknown field"}},
		{"branch may not jump out", `{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Z",
			"Branches":[{"StartAt":"X","States":{"X":{"Type":"Pass","Next":"Z"}}}]},"Z":{"Type":"Succeed"}}}`, []string{`States.P.Branches[0].States.X.Next: state "Z" does not exist`}},
		{"invalid path", `{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"company","End":true}}}`, []string{"States.A.InputPath: invalid path"}},
		{"ResultPath must be a reference path", `{"StartAt":"A","States":{"A":{"Type":"Pass","ResultPath":"$.a[*]","End":true}}}`, []string{"States.A.ResultPath: invalid path"}},
		{"wait needs one duration", `{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true}}}`, []string{"States.A: a Wait state needs exactly one of"}},
		{"bad resource", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"lambda-f","End":true}}}`, []string{"States.A.Resource:"}},
		{"malformed intrinsic escape", `{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x.$":"States.Format('a\\nb')"},"End":true}}}`,
			[]string{`States.A.Parameters`, `malformed escape sequence '\n'`}},
		{"unknown optimised integration", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::nosuch:doIt","End":true}}}`,
			[]string{"States.A.Resource: The resource provided arn:aws:states:::nosuch:doIt is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."}},
		{"optimised integration without an action", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::sqs","End":true}}}`,
			[]string{"States.A.Resource: The resource provided arn:aws:states:::sqs is not recognized"}},
		{"aws-sdk integration without an action", `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3","End":true}}}`,
			[]string{"States.A.Resource: The resource provided arn:aws:states:::aws-sdk:s3 is not recognized"}},
		{"unknown top-level field", `{"StartAt":"A","Stats":{},"States":{"A":{"Type":"Succeed"}}}`, []string{"Stats: unknown field"}},
		{"distributed map without ExecutionType", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}}}}`,
			[]string{`States.M.ItemProcessor.ProcessorConfig.ExecutionType: required with Mode DISTRIBUTED`}},
		{"ItemReader on an inline map", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemReader":{},
			"ItemProcessor":{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}}}}`,
			[]string{"States.M.ItemReader: allowed only in a distributed Map"}},
		{"unknown map mode", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
			"ItemProcessor":{"ProcessorConfig":{"Mode":"REMOTE"},"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}}}}`,
			[]string{`States.M.ItemProcessor.ProcessorConfig.Mode: must be INLINE or DISTRIBUTED, got "REMOTE"`}},
		{"CSV reader without header location", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
			"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV"},"Parameters":{"Bucket":"b","Key":"k"}},
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}}}}`,
			[]string{"States.M.ItemReader.ReaderConfig: CSVHeaderLocation is required"}},
		{"empty ResultWriter", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ResultWriter":{},
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}}}}`,
			[]string{"States.M.ResultWriter: ResultWriter needs WriterConfig, or Resource and Parameters, or all three"}},
		{"ResultWriter Resource without Parameters", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ResultWriter":{"Resource":"arn:aws:states:::s3:putObject"},
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}}}}`,
			[]string{"States.M.ResultWriter.Parameters: required with Resource"}},
		{"unknown WriterConfig Transformation", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ResultWriter":{"WriterConfig":{"Transformation":"SQUASH","OutputType":"CSV"}},
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}}}}`,
			[]string{`States.M.ResultWriter.WriterConfig.Transformation: must be NONE, COMPACT or FLATTEN, got "SQUASH"`, `States.M.ResultWriter.WriterConfig.OutputType: must be JSON or JSONL, got "CSV"`}},
		{"unknown CSVDelimiter", `{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
			"ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW","CSVDelimiter":"COLON"},"Parameters":{"Bucket":"b","Key":"k"}},
			"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}}}}`,
			[]string{`States.M.ItemReader.ReaderConfig.CSVDelimiter: must be COMMA, PIPE, SEMICOLON, SPACE or TAB, got "COLON"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantProblems(t, tt.def, tt.want...)
		})
	}
}

// TestParseCollectsAllProblems: one pass reports every mistake.
func TestParseCollectsAllProblems(t *testing.T) {
	_, err := Parse([]byte(`{"StartAt":"A","States":{
		"A":{"Type":"Pass","Next":"Missing","Typo":1},
		"B":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:f","End":true,"Retry":[{"ErrorEquals":[]}]}}}`))
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Problems) < 4 {
		t.Fatalf("want at least 4 problems, got %v", err)
	}
}

// TestParseValid accepts the shared benchmark definition and a definition
// using every state type.
func TestParseValid(t *testing.T) {
	for _, def := range []string{readTestdata(t, "bench.asl.json"), allTypesDefinition} {
		d, err := Parse([]byte(def))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if d.StartAt() == "" {
			t.Error("no StartAt")
		}
	}
}

const allTypesDefinition = `{
  "Comment": "every state type", "TimeoutSeconds": 3600, "StartAt": "P",
  "States": {
    "P": {"Type": "Pass", "Result": {"n": 1}, "ResultPath": "$.p", "Next": "W"},
    "W": {"Type": "Wait", "Seconds": 1, "Next": "C"},
    "C": {"Type": "Choice", "Choices": [{"Variable": "$.p.n", "NumericEquals": 1, "Next": "Par"}], "Default": "F"},
    "Par": {"Type": "Parallel", "Next": "M", "Branches": [{"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}}]},
    "M": {"Type": "Map", "ItemsPath": "$[0].items", "MaxConcurrency": 2, "Next": "T",
          "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}},
    "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"},
          "Retry": [{"ErrorEquals": ["States.TaskFailed"], "JitterStrategy": "FULL", "MaxDelaySeconds": 5}],
          "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}], "TimeoutSeconds": 60, "HeartbeatSeconds": 10, "Next": "S"},
    "S": {"Type": "Succeed"},
    "F": {"Type": "Fail", "Error": "E", "Cause": "c"}
  }
}`

// TestSubstitute replaces ${Name} like SAM and leaves unknown names.
func TestSubstitute(t *testing.T) {
	got := Substitute(`{"a":"${Fn}","b":"${Missing}","c":"$${Fn}x"}`, map[string]string{"Fn": "arn:aws:lambda:us-east-1:1:function:f"})
	want := `{"a":"arn:aws:lambda:us-east-1:1:function:f","b":"${Missing}","c":"$arn:aws:lambda:us-east-1:1:function:fx"}`
	if got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

// TestParseKnownIntegrations accepts the optimised and SDK integrations
// AWS documents, with each integration pattern.
func TestParseKnownIntegrations(t *testing.T) {
	for _, res := range []string{
		"arn:aws:states:::lambda:invoke", "arn:aws:states:::lambda:invoke.waitForTaskToken",
		"arn:aws:states:::sqs:sendMessage.waitForTaskToken", "arn:aws:states:::sns:publish",
		"arn:aws:states:::dynamodb:putItem", "arn:aws:states:::states:startExecution.sync:2",
		"arn:aws:states:::ecs:runTask.sync", "arn:aws:states:::events:putEvents", "arn:aws:states:::http:invoke",
		"arn:aws:states:::aws-sdk:s3:listObjectsV2", "arn:aws:states:::aws-sdk:dynamodb:query",
		"arn:aws:states:us-east-1:123456789012:activity:approve",
	} {
		def := `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"` + res + `","End":true}}}`
		if _, err := Parse([]byte(def)); err != nil {
			t.Errorf("%s: %v", res, err)
		}
	}
}
