package engine

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// History event types, as AWS names them.
const (
	evExecutionStarted        = "ExecutionStarted"
	evExecutionSucceeded      = "ExecutionSucceeded"
	evExecutionFailed         = "ExecutionFailed"
	evExecutionAborted        = "ExecutionAborted"
	evExecutionTimedOut       = "ExecutionTimedOut"
	evTaskScheduled           = "TaskScheduled"
	evTaskStarted             = "TaskStarted"
	evTaskSubmitted           = "TaskSubmitted"
	evTaskSucceeded           = "TaskSucceeded"
	evTaskFailed              = "TaskFailed"
	evTaskTimedOut            = "TaskTimedOut"
	evLambdaScheduled         = "LambdaFunctionScheduled"
	evLambdaStarted           = "LambdaFunctionStarted"
	evLambdaSucceeded         = "LambdaFunctionSucceeded"
	evLambdaFailed            = "LambdaFunctionFailed"
	evLambdaTimedOut          = "LambdaFunctionTimedOut"
	evParallelStarted         = "ParallelStateStarted"
	evParallelSucceeded       = "ParallelStateSucceeded"
	evParallelFailed          = "ParallelStateFailed"
	evMapStarted              = "MapStateStarted"
	evMapSucceeded            = "MapStateSucceeded"
	evMapFailed               = "MapStateFailed"
	evMapIterationStarted     = "MapIterationStarted"
	evMapIterationSucceeded   = "MapIterationSucceeded"
	evMapIterationFailed      = "MapIterationFailed"
	evMapIterationAborted     = "MapIterationAborted"
	evMapRunStarted           = "MapRunStarted"
	evMapRunSucceeded         = "MapRunSucceeded"
	evMapRunFailed            = "MapRunFailed"
	stateEnteredSuffix        = "StateEntered"
	stateExitedSuffix         = "StateExited"
	detailsStateEntered       = "stateEnteredEventDetails"
	detailsStateExited        = "stateExitedEventDetails"
	defaultRegion             = "us-east-1"
	defaultAccount            = "123456789012"
	resourceTypeLambda        = "lambda"
	executionTimedOutCause    = "The execution timed out (TimeoutSeconds of the state machine)."
	executionDivergedCause    = "cannot resume: the recorded history does not match the definition"
	executionJournalFailCause = "the engine could not record the execution's history"
)

// event is one history entry. Live events carry d (encoded lazily for
// in-memory engines); events loaded from the journal carry raw.
type event struct {
	id, prev int64
	typ      string
	ts       int64 // Unix nanoseconds
	thread   string
	// live is set for events this engine recorded (d holds their data);
	// events read back from the journal have raw instead.
	live bool
	d    details
	raw  []byte
	// meta is what a resumed engine needs beyond AWS's details: the task
	// token, the retry delay that was chosen, the error of a failed
	// Parallel or Map. nil when there is none.
	meta *eventMeta
}

type eventMeta struct {
	Token   string `json:"token,omitempty"`
	DelayMs int64  `json:"delayMs,omitempty"`
	Error   string `json:"error,omitempty"`
	Cause   string `json:"cause,omitempty"`
}

// details is what an event shows, kept small because every transition
// records two or more events: names and resources come from the state,
// and one payload field holds the input or output the event type shows.
type details struct {
	st      *state
	payload any // a JSON value, or json.RawMessage
	// text is the payload as JSON text, when that is what the engine has
	// (a task's input and result, an execution's output); payload is then
	// nil. Kept apart because a []byte stored in an interface is an
	// allocation of its own, two per task.
	text []byte
	// err is the error and cause a failure shows; for ExecutionStarted
	// its Cause is the role ARN, for MapRunStarted the map run's ARN. A
	// pointer to the (never changed) stateError the engine has anyway,
	// rather than two strings in every event.
	err    *stateError
	n1, n2 int32 // timeoutInSeconds and heartbeatInSeconds; index; length
	// assigned are the variables a state's Assign set (StateExited).
	assigned *expr.Object
}

func (d *details) errName() string {
	if d.err == nil {
		return ""
	}
	return d.err.Name
}

func (d *details) cause() string {
	if d.err == nil {
		return ""
	}
	return d.err.Cause
}

// value is the event's payload as a JSON value.
func (d *details) value() any {
	if d.text != nil {
		return json.RawMessage(d.text)
	}
	return d.payload
}

func (d *details) name() string {
	if d.st == nil {
		return ""
	}
	return d.st.name
}

// detailsKey returns the key AWS puts the event's details under, or "".
func detailsKey(typ string) string {
	switch {
	case strings.HasSuffix(typ, stateEnteredSuffix):
		return detailsStateEntered
	case strings.HasSuffix(typ, stateExitedSuffix):
		return detailsStateExited
	}
	switch typ {
	case evLambdaStarted, evParallelStarted, evParallelSucceeded, evParallelFailed, evMapSucceeded, evMapFailed, evMapRunSucceeded:
		return ""
	}
	return strings.ToLower(typ[:1]) + typ[1:] + "EventDetails"
}

// encodeDetails renders the detail object AWS shows for the event, or
// nil for event types without one.
func encodeDetails(typ string, d *details) []byte {
	if detailsKey(typ) == "" {
		return nil
	}
	w := jsonWriter{buf: make([]byte, 0, 128)}
	w.buf = append(w.buf, '{')
	switch {
	case strings.HasSuffix(typ, stateEnteredSuffix):
		w.str("name", d.name())
		w.payload("input", d.value())
	case strings.HasSuffix(typ, stateExitedSuffix):
		w.str("name", d.name())
		w.payload("output", d.value())
		if d.assigned != nil {
			w.assignedVariables(d.assigned)
		}
	default:
		switch typ {
		case evExecutionStarted:
			w.payload("input", d.value())
			w.str("roleArn", d.cause())
		case evExecutionSucceeded, evTaskSucceeded, evTaskSubmitted, evLambdaSucceeded:
			if typ != evExecutionSucceeded && typ != evLambdaSucceeded {
				w.resource(d.st)
			}
			w.payload("output", d.value())
		case evTaskScheduled:
			w.resource(d.st)
			w.str("region", defaultRegion)
			w.str("parameters", string(mustEncode(d.value())))
			w.intNZ("timeoutInSeconds", int(d.n1))
			w.intNZ("heartbeatInSeconds", int(d.n2))
		case evTaskStarted:
			w.resource(d.st)
		case evTaskFailed, evTaskTimedOut:
			w.resource(d.st)
			w.str("error", d.errName())
			w.str("cause", d.cause())
		case evLambdaScheduled:
			w.str("resource", d.st.resource)
			w.payload("input", d.value())
			w.intNZ("timeoutInSeconds", int(d.n1))
		case evMapStarted:
			w.int("length", int(d.n1))
		case evMapRunStarted:
			w.str("mapRunArn", d.cause())
		case evMapIterationStarted, evMapIterationSucceeded, evMapIterationFailed, evMapIterationAborted:
			w.str("name", d.name())
			w.int("index", int(d.n1))
		default: // failures: Execution*, LambdaFunctionFailed/TimedOut
			w.str("error", d.errName())
			w.str("cause", d.cause())
		}
	}
	w.buf = append(w.buf, '}')
	return w.buf
}

// mustEncode encodes a JSON value; values in an execution always encode,
// and json.RawMessage is taken as is.
func mustEncode(v any) []byte {
	if raw, ok := v.(json.RawMessage); ok {
		return raw
	}
	b, err := expr.Encode(v)
	if err != nil {
		return []byte("null")
	}
	return b
}

// jsonWriter builds small JSON objects without reflection.
type jsonWriter struct {
	buf []byte
}

func (w *jsonWriter) key(k string) {
	if len(w.buf) > 1 {
		w.buf = append(w.buf, ',')
	}
	w.buf = append(w.buf, '"')
	w.buf = append(w.buf, k...)
	w.buf = append(w.buf, '"', ':')
}

func (w *jsonWriter) str(k, v string) {
	w.key(k)
	w.buf = expr.AppendStringEscapingLS(w.buf, v)
}

// resource writes a task event's resourceType and resource.
func (w *jsonWriter) resource(st *state) {
	w.str("resourceType", st.resType)
	w.str("resource", st.resName)
}

func (w *jsonWriter) int(k string, v int) {
	w.key(k)
	w.buf = strconv.AppendInt(w.buf, int64(v), 10)
}

func (w *jsonWriter) intNZ(k string, v int) {
	if v != 0 {
		w.int(k, v)
	}
}

// payload writes a JSON value as a string field plus its "…Details"
// sibling, as AWS does for input and output.
func (w *jsonWriter) payload(k string, v any) {
	w.key(k)
	enc := mustEncode(v)
	// The payload is most of an event: grow once for it (quoting adds a
	// little), and read it in place instead of copying it to a string;
	// enc is neither changed nor kept.
	w.buf = slices.Grow(w.buf, len(enc)+len(enc)/8+48)
	w.buf = expr.AppendStringEscapingLS(w.buf, unsafe.String(unsafe.SliceData(enc), len(enc)))
	w.key(k + "Details")
	w.buf = append(w.buf, `{"truncated":false}`...)
}

func (ev *event) time() time.Time { return time.Unix(0, ev.ts).UTC() }

// historyEvent converts an event to the API's form.
func (ev *event) historyEvent() HistoryEvent {
	raw := ev.raw
	if raw == nil && ev.live {
		raw = encodeDetails(ev.typ, &ev.d)
	}
	key := ""
	if raw != nil {
		key = detailsKey(ev.typ)
	}
	return HistoryEvent{
		ID:              ev.id,
		PreviousEventID: ev.prev,
		Type:            ev.typ,
		Timestamp:       ev.time(),
		DetailsKey:      key,
		Details:         raw,
	}
}

// recorded reads back what a journal event recorded: its input or output
// value, error and cause. It is used when resuming.
type recorded struct {
	Name       string `json:"name"`
	Input      string `json:"input"`
	Output     string `json:"output"`
	Parameters string `json:"parameters"`
	Error      string `json:"error"`
	Cause      string `json:"cause"`
	// AssignedVariables maps each variable a state assigned to its value
	// as JSON text.
	AssignedVariables map[string]string `json:"assignedVariables"`
}

func (ev *event) recorded() (recorded, error) {
	var r recorded
	raw := ev.raw
	if raw == nil && ev.live {
		raw = encodeDetails(ev.typ, &ev.d)
	}
	if len(raw) == 0 {
		return r, nil
	}
	err := json.Unmarshal(raw, &r)
	return r, err
}
