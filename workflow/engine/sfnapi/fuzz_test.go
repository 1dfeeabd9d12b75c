package sfnapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/workflow/engine"
	"github.com/kaiban/kaiban/workflow/engine/sfnapi"
)

var fuzzActions = []string{
	"CreateStateMachine", "DescribeStateMachine", "ListStateMachines", "DeleteStateMachine",
	"StartExecution", "DescribeExecution", "ListExecutions", "GetExecutionHistory", "StopExecution",
	"SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat", "Nonsense",
}

// FuzzHandler: whatever a client sends to the API in front of the real
// engine, the answer is a well-formed AWS response and never a 500.
func FuzzHandler(f *testing.F) {
	eng, err := engine.New(context.Background(), engine.Options{RetainExecutions: 100})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = eng.Close() })
	sm, err := eng.CreateStateMachine(context.Background(), "sm", `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`, "arn:aws:iam::123456789012:role/r")
	if err != nil {
		f.Fatal(err)
	}
	ex, err := eng.StartExecution(context.Background(), sm.Arn, "seed", `{"a":1}`)
	if err != nil {
		f.Fatal(err)
	}
	seeds := []string{
		`{}`, ``, `null`, `[]`, `{"stateMachineArn":"` + sm.Arn + `"}`, `{"stateMachineArn":"` + sm.Arn + `","input":"{\"x\":[1,2]}","name":"n1"}`,
		`{"executionArn":"` + ex.Arn + `","maxResults":1}`, `{"executionArn":"` + ex.Arn + `","reverseOrder":true,"includeExecutionData":false}`,
		`{"name":"a","definition":"{\"StartAt\":\"A\"}","roleArn":"r"}`,
		`{"executionArn":"x","maxResults":5,"nextToken":"eyJzIjoiIiwiYSI6IngifQ","reverseOrder":true}`,
		`{"taskToken":"t","output":"{}"}`, `{"maxResults":-1}`, `{"a":` + strings.Repeat("[", 100),
		`{"input":"\ud800"}`, `{"executionArn":"x"}{"x":1}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	quiet := logrus.New()
	quiet.SetOutput(io.Discard)
	h := sfnapi.NewHandler(eng, sfnapi.WithLogger(quiet), sfnapi.WithMaxBodyBytes(4096))
	f.Fuzz(func(t *testing.T, action uint8, body string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", amzJSON)
		req.Header.Set("X-Amz-Target", "AWSStepFunctions."+fuzzActions[int(action)%len(fuzzActions)])
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("response is not a JSON object: %q", rec.Body)
		}
		if rec.Code >= 400 && out["__type"] == nil {
			t.Fatalf("error without __type: %s", rec.Body)
		}
	})
}
