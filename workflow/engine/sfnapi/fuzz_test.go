package sfnapi_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/workflow/engine/sfnapi"
)

var fuzzActions = []string{
	"CreateStateMachine", "DescribeStateMachine", "ListStateMachines", "DeleteStateMachine",
	"StartExecution", "DescribeExecution", "ListExecutions", "GetExecutionHistory", "StopExecution",
	"SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat", "Nonsense",
}

// FuzzHandler: whatever a client sends, the answer is a well-formed AWS
// response and never a 500.
func FuzzHandler(f *testing.F) {
	seeds := []string{
		`{}`, ``, `null`, `[]`, `{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:sm"}`,
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
	fake := newFake()
	fake.tokens["t"] = ""
	h := sfnapi.NewHandler(fake, sfnapi.WithLogger(quiet), sfnapi.WithMaxBodyBytes(4096))
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
