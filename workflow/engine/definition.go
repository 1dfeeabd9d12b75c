package engine

import (
	"time"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// Definition is a parsed and validated state machine, compiled once and
// shared by all its executions (it is never modified after Parse).
type Definition struct {
	Comment        string
	TimeoutSeconds int
	root           *machine
}

// StartAt names the first state.
func (d *Definition) StartAt() string { return d.root.startAt }

// machine is a set of states with a start: the whole state machine, a
// Parallel branch or a Map item processor.
type machine struct {
	startAt string
	start   *state
	states  map[string]*state
}

type stateKind uint8

const (
	kindPass stateKind = iota
	kindTask
	kindChoice
	kindWait
	kindSucceed
	kindFail
	kindParallel
	kindMap
)

var kindNames = [...]string{"Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"}

func (k stateKind) String() string { return kindNames[k] }

// resourceKind says how a Task's Resource is invoked and reported.
type resourceKind uint8

const (
	resOther        resourceKind = iota // an integration only an Invoker can run
	resLambdaARN                        // arn:aws:lambda:…:function:name → LambdaFunction* events
	resLambdaInvoke                     // arn:aws:states:::lambda:invoke
	resLambdaToken                      // arn:aws:states:::lambda:invoke.waitForTaskToken
)

// valueExpr is a field that takes either a path or an intrinsic function
// (ErrorPath, CausePath).
type valueExpr struct {
	path      *expr.Path
	intrinsic *expr.Intrinsic
}

func (v *valueExpr) eval(input, ctxObj any, field string) (any, error) {
	if v.intrinsic != nil {
		return v.intrinsic.Eval(input, ctxObj)
	}
	return v.path.GetIn(input, ctxObj, field)
}

// state is one compiled state. Fields beyond the common ones are used by
// the kinds noted.
type state struct {
	name string
	kind stateKind
	next *state
	end  bool
	// results decodes a Task state's results, sharing the value of a
	// result returned as the very same bytes again.
	results resultCache

	// Input and output processing. nil path with the *Null flag set means
	// the field was JSON null; nil without the flag means the default "$".
	inputPath, outputPath, resultPath        *expr.Path
	inputNull, outputNull, resultNull        bool
	parameters, resultSelector, itemSelector *expr.Template
	result                                   any // Pass
	hasResult                                bool
	// usesContext is set when a template or intrinsic mentions $$, so the
	// context object is only built when needed.
	usesContext bool

	retry []*retrier
	catch []*catcher

	// Task
	resource         string
	resType, resName string // resourceType and resource as history events show them
	resKind          resourceKind
	functionName     string // resLambdaARN
	timeoutSeconds   int
	timeoutPath      *expr.Path
	heartbeatSeconds int
	heartbeatPath    *expr.Path

	// Choice
	choices     []choice
	defaultNext *state

	// Wait
	waitSeconds   int
	hasSeconds    bool
	waitTimestamp time.Time
	hasTimestamp  bool
	secondsPath   *expr.Path
	timestampPath *expr.Path

	// Fail
	errName, cause       string
	errorExpr, causeExpr *valueExpr

	// Parallel
	branches []*machine

	// Map
	itemsPath          *expr.Path
	processor          *machine
	maxConcurrency     int
	maxConcurrencyPath *expr.Path
	toleratedCount     int
	hasToleratedCount  bool
	toleratedPercent   float64
	hasToleratedPct    bool
	toleratedCountPath *expr.Path
	toleratedPctPath   *expr.Path
	dist               *distMap // nil for an inline Map

	// jsonata holds the fields of a state whose query language is
	// JSONata; nil for JSONPath states.
	jsonata *jsonataState
	// assign is a JSONPath state's Assign.
	assign *expr.Template
}

// mayGrow reports whether the state's output can be larger than its
// input, so that only those states pay for the payload quota check:
// Choice, Wait and Succeed (and a Pass without Result or Parameters) only
// select from their input.
func (st *state) mayGrow() bool {
	switch st.kind {
	case kindChoice, kindWait, kindSucceed:
		return false
	case kindPass:
		return st.hasResult || st.parameters != nil
	}
	return true
}

type choice struct {
	rule   *expr.ChoiceRule
	next   *state
	assign *expr.Template // the rule's Assign (JSONPath)
}

// retrier is one Retry entry with AWS's defaults filled in.
type retrier struct {
	errorEquals     []string
	intervalSeconds int
	maxAttempts     int
	backoffRate     float64
	maxDelaySeconds int // 0 = no cap
	jitterFull      bool
}

// catcher is one Catch entry.
type catcher struct {
	errorEquals []string
	next        *state
	resultPath  *expr.Path
	resultNull  bool
	assign      *expr.Template // JSONPath Catch's Assign
}
