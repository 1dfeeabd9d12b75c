package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// invokeTask runs a Task state's resource: through Options.Invoker if
// set, else through the registered Go handlers. in is the effective input
// that call.Input encodes.
func (e *Engine) invokeTask(ctx context.Context, st *state, call TaskCall, in any) (res json.RawMessage, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, panicError(r)
		}
	}()
	if e.invoker != nil {
		return e.invoker(ctx, call)
	}
	switch st.resKind {
	case resLambdaARN:
		return e.callHandler(ctx, st.functionName, call.Input)
	case resLambdaInvoke, resLambdaToken:
		req, _ := in.(*expr.Object)
		fnv, _ := req.Get("FunctionName")
		fn, _ := fnv.(string)
		if fn == "" {
			return nil, &TaskError{Name: "Lambda.InvalidParameterValueException", Cause: "FunctionName is required in the Parameters of a lambda:invoke task"}
		}
		payload := json.RawMessage("{}")
		if p, ok := req.Get("Payload"); ok {
			payload = mustEncode(p)
		}
		out, err := e.callHandler(ctx, functionName(fn), payload)
		if err != nil {
			return nil, err
		}
		env, err := lambdaEnvelope(out)
		if err != nil {
			return nil, err
		}
		if st.resKind == resLambdaToken {
			return env, ErrWaitForTaskToken
		}
		return env, nil
	}
	return nil, &TaskError{Name: ErrTaskFailed, Cause: "the local engine cannot run resource " + st.resource + " (give the engine a TaskInvoker for it)"}
}

// callHandler runs a registered handler; a panic becomes a task failure.
func (e *Engine) callHandler(ctx context.Context, name string, input json.RawMessage) (out json.RawMessage, err error) {
	h := e.handlers[name]
	if h == nil {
		return nil, &TaskError{
			Name:  ErrLambdaResourceNotFound,
			Cause: "Function not found: arn:aws:lambda:" + defaultRegion + ":" + defaultAccount + ":function:" + name,
		}
	}
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, panicError(r)
		}
	}()
	return h(ctx, input)
}

// panicError reports a panicking handler as Lambda reports a function
// that crashed: Lambda.Unknown.
func panicError(r any) error {
	return &TaskError{Name: "Lambda.Unknown", Cause: fmt.Sprintf("the handler panicked: %v", r)}
}

// functionName resolves a FunctionName (name, name:alias, full or partial
// ARN) to the handler's name.
func functionName(fn string) string {
	if _, after, ok := strings.Cut(fn, ":function:"); ok {
		fn = after
	} else if strings.HasPrefix(fn, "function:") {
		fn = strings.TrimPrefix(fn, "function:")
	}
	name, _, _ := strings.Cut(fn, ":")
	return name
}

// lambdaEnvelope shapes a handler's output as Step Functions'
// lambda:invoke integration returns it.
func lambdaEnvelope(payload json.RawMessage) (json.RawMessage, error) {
	if len(payload) == 0 {
		payload = json.RawMessage("null")
	}
	if !json.Valid(payload) {
		return nil, &TaskError{Name: "Lambda.Unknown", Cause: "the function returned a payload that is not valid JSON"}
	}
	reqID := uuid.NewString()
	w := jsonWriter{buf: make([]byte, 0, len(payload)+400)}
	w.buf = append(w.buf, '{')
	w.str("ExecutedVersion", "$LATEST")
	w.key("Payload")
	w.buf = append(w.buf, payload...)
	w.key("SdkHttpMetadata")
	w.buf = append(w.buf, `{"AllHttpHeaders":{"X-Amz-Executed-Version":["$LATEST"],"x-amzn-Remapped-Content-Length":["0"],"Connection":["keep-alive"],"x-amzn-RequestId":[`...)
	w.buf = expr.AppendStringEscapingLS(w.buf, reqID)
	w.buf = append(w.buf, `],"Content-Type":["application/json"]},"HttpHeaders":{"Connection":"keep-alive","Content-Type":"application/json","X-Amz-Executed-Version":"$LATEST","x-amzn-Remapped-Content-Length":"0","x-amzn-RequestId":`...)
	w.buf = expr.AppendStringEscapingLS(w.buf, reqID)
	w.buf = append(w.buf, `},"HttpStatusCode":200}`...)
	w.key("SdkResponseMetadata")
	w.buf = append(w.buf, `{"RequestId":`...)
	w.buf = expr.AppendStringEscapingLS(w.buf, reqID)
	w.buf = append(w.buf, '}')
	w.key("StatusCode")
	w.buf = append(w.buf, "200"...)
	w.buf = append(w.buf, '}')
	return w.buf, nil
}
