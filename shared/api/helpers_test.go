package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/sfnworkflow"
	"github.com/kaiban/kaiban/shared/storetest"
	"github.com/kaiban/kaiban/shared/validate"
)

// submissionTime is the fixed "now" of these tests: the example form's
// bank appointment date is valid relative to it.
var submissionTime = time.Date(2026, 11, 27, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

var (
	exampleOnce sync.Once
	exampleBody []byte
	exampleErr  error
	sharedV     *validate.Validator
)

// validForm returns the committed valid example form.
func validForm(t testing.TB) []byte {
	t.Helper()
	exampleOnce.Do(func() {
		exampleBody, exampleErr = os.ReadFile("../../infra/examples/valid-llc.json")
		sharedV = validate.New()
	})
	if exampleErr != nil {
		t.Fatalf("example form: %v", exampleErr)
	}
	return exampleBody
}

// fakeExecutions records the Step Functions calls and answers with the
// configured errors.
type fakeExecutions struct {
	mu         sync.Mutex
	starts     []sfn.StartExecutionInput
	successes  []sfn.SendTaskSuccessInput
	failures   []sfn.SendTaskFailureInput
	startErr   error
	successErr error
}

var _ sfnworkflow.Client = (*fakeExecutions)(nil)

// testMachine is the state machine the API's workflow adapter starts.
const testMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:onestop"

func (f *fakeExecutions) StartExecution(_ context.Context, in *sfn.StartExecutionInput, _ ...func(*sfn.Options)) (*sfn.StartExecutionOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.startErr != nil {
		return nil, f.startErr
	}
	f.starts = append(f.starts, *in)
	arn := "arn:aws:states:us-east-1:123456789012:execution:onestop:" + *in.Name
	return &sfn.StartExecutionOutput{ExecutionArn: &arn}, nil
}

func (f *fakeExecutions) SendTaskSuccess(_ context.Context, in *sfn.SendTaskSuccessInput, _ ...func(*sfn.Options)) (*sfn.SendTaskSuccessOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.successErr != nil {
		return nil, f.successErr
	}
	f.successes = append(f.successes, *in)
	return &sfn.SendTaskSuccessOutput{}, nil
}

func (f *fakeExecutions) SendTaskFailure(_ context.Context, in *sfn.SendTaskFailureInput, _ ...func(*sfn.Options)) (*sfn.SendTaskFailureOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures = append(f.failures, *in)
	return &sfn.SendTaskFailureOutput{}, nil
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is one API over an in-memory store and recorded executions.
type env struct {
	store *storetest.MemStore
	exec  *fakeExecutions
	srv   *api.Server
	logs  *syncBuffer
	deps  api.Deps
}

func newEnv(t testing.TB) *env {
	t.Helper()
	validForm(t)
	e := &env{store: storetest.NewMemStore(), exec: &fakeExecutions{}, logs: &syncBuffer{}}
	log := logging.New(e.logs, "info")
	e.deps = api.Deps{
		Store:       e.store,
		Validator:   sharedV,
		Workflow:    sfnworkflow.New(e.exec, testMachine),
		Clock:       func() time.Time { return submissionTime },
		Logger:      log,
		TokenSecret: []byte("test secret that is long enough for hkdf"),
		Assets:      fakeAssets,
		// The memstore is the outbox and the drafts' store too.
		Notifier: e.store, Drafts: e.store, Ratings: e.store, Stats: e.store, PublicBaseURL: "https://kaiban.test",
	}
	if err := e.deps.Check(); err != nil {
		t.Fatal(err)
	}
	e.srv = api.NewServer(e.deps)
	t.Cleanup(func() { _ = e.store.Close() })
	return e
}

func fakeAssets(p string) ([]byte, string, bool) {
	switch p {
	case "/", "/index.html":
		return []byte("<!doctype html><title>portal</title>"), "text/html; charset=utf-8", true
	case "/clerk":
		return []byte("<!doctype html><title>console</title>"), "text/html; charset=utf-8", true
	case "/static/app.js":
		return []byte("console.log(1)"), "text/javascript; charset=utf-8", true
	}
	return nil, "", false
}

// req describes one request; event builds the event API Gateway would send.
type req struct {
	method  string
	path    string
	query   map[string]string
	headers map[string]string
	body    string
	b64     bool
	claims  map[string]string // JWT authorizer claims; nil = none
}

func (r req) event() events.APIGatewayV2HTTPRequest {
	h := map[string]string{}
	for k, v := range r.headers {
		h[strings.ToLower(k)] = v
	}
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              "$default",
		RawPath:               r.path,
		Headers:               h,
		QueryStringParameters: r.query,
		Body:                  r.body,
		IsBase64Encoded:       r.b64,
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RequestID: "req-test",
			Stage:     "$default",
			RouteKey:  "$default",
			HTTP:      events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: r.method, Path: r.path},
		},
	}
	if r.claims != nil {
		ev.RequestContext.Authorizer = &events.APIGatewayV2HTTPRequestContextAuthorizerDescription{
			JWT: &events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription{Claims: r.claims},
		}
	}
	return ev
}

func (e *env) do(t testing.TB, r req) events.APIGatewayV2HTTPResponse {
	t.Helper()
	resp, err := e.srv.Handle(context.Background(), r.event())
	if err != nil {
		t.Fatalf("Handle returned error %v", err)
	}
	return resp
}

func jsonHeaders() map[string]string { return map[string]string{"Content-Type": "application/json"} }

func clerkClaims(sub string) map[string]string {
	return map[string]string{"sub": sub, "username": "clerk-" + sub, "cognito:groups": "[clerks]", "token_use": "access"}
}

// errorsOf decodes the error shape and fails unless it is well formed.
func errorsOf(t testing.TB, resp events.APIGatewayV2HTTPResponse) []kaiban.FieldError {
	t.Helper()
	var body struct {
		Errors []kaiban.FieldError `json:"errors"`
	}
	dec := json.NewDecoder(strings.NewReader(resp.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		t.Fatalf("error body %q is not the error shape: %v", resp.Body, err)
	}
	if len(body.Errors) == 0 {
		t.Fatalf("error body %q has no errors", resp.Body)
	}
	for _, fe := range body.Errors {
		if fe.Code == "" || fe.Message == "" {
			t.Fatalf("error entry without code or message: %q", resp.Body)
		}
	}
	if !strings.Contains(resp.Body, `"field":`) {
		t.Fatalf("error entries lack field: %q", resp.Body)
	}
	return body.Errors
}

// submittedApp is the decoded 202 answer.
type submittedApp struct {
	ID          string    `json:"id"`
	AccessToken string    `json:"accessToken"`
	Status      string    `json:"status"`
	Deadline    time.Time `json:"deadline"`
	StatusURL   string    `json:"statusUrl"`
}

func (e *env) submit(t testing.TB, headers map[string]string, body string) submittedApp {
	t.Helper()
	h := jsonHeaders()
	for k, v := range headers {
		h[k] = v
	}
	resp := e.do(t, req{method: "POST", path: "/v1/applications", headers: h, body: body})
	if resp.StatusCode != 202 {
		t.Fatalf("submit: %d %s", resp.StatusCode, resp.Body)
	}
	var s submittedApp
	if err := json.Unmarshal([]byte(resp.Body), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// DescribeExecution: an execution exists once StartExecution has
// succeeded for its name.
func (f *fakeExecutions) DescribeExecution(_ context.Context, in *sfn.DescribeExecutionInput, _ ...func(*sfn.Options)) (*sfn.DescribeExecutionOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, s := range f.starts {
		if strings.HasSuffix(aws.ToString(in.ExecutionArn), ":"+aws.ToString(s.Name)) {
			return &sfn.DescribeExecutionOutput{Status: sfntypes.ExecutionStatusRunning}, nil
		}
	}
	return nil, &sfntypes.ExecutionDoesNotExist{}
}
