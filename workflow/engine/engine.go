package engine

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/workflow/engine/internal/journal"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// Engine runs state machines in-process. It is safe for concurrent use.
type Engine struct {
	clock      Clock
	log        *logrus.Logger
	invoker    TaskInvoker // nil → handlers
	handlers   map[string]Handler
	subs       map[string]string
	maxPayload int
	retain     int
	jitterSeed uint64
	journal    *journal.DB       // nil in memory
	admission  Admitter          // nil: executions run at once
	s3Dirs     map[string]string // bucket → local folder (distributed Map)
	// holdsInContext is false for RealClock: its holds do nothing and
	// nothing reads them, so threads skip attaching them to their context.
	holdsInContext bool
	// helperGate, set by tests, holds every fan-out helper goroutine back
	// until it is closed: a helper the scheduler has not started yet.
	helperGate chan struct{}

	ctx    context.Context // ends at Close; every execution's context derives from it
	cancel context.CancelFunc
	wg     sync.WaitGroup // executions in flight
	// execSeq numbers executions for the journal.
	execSeq atomic.Int64
	pool    *workers
	// slowCalls starts the helpers around task calls that run long.
	slowCalls callWatcher

	tokens tokenRegistry

	mu       sync.RWMutex
	closed   bool
	machines map[string]*stateMachine // by ARN
	execs    map[string]*execution    // by ARN
	// finished queues finished in-memory executions, oldest first, for
	// RetainExecutions.
	finished     []*execution
	finishedHead int

	// realClock is set when clock is RealClock; anchor then serves
	// eventNanos.
	realClock bool
	anchor    anchorSlot
}

var _ Service = (*Engine)(nil)

type stateMachine struct {
	info StateMachine
	def  *Definition
	// ctxObj is $$.StateMachine, shared by all executions.
	ctxObj *expr.Object
	// roleArn carries the role ARN as the Cause ExecutionStarted shows
	// (see details.err), one for all executions.
	roleArn *stateError
	// eventsHint is how many events the newest finished execution
	// recorded: the next one's history starts with room for as many,
	// instead of growing (and copying) its slice several times.
	eventsHint atomic.Int32
	// rootEventsHint is how many events the root thread of the newest
	// execution that ran to its end recorded: the next one's root thread
	// takes that many from its first slab (see thread.newEvent).
	rootEventsHint atomic.Int32
}

// New starts an engine. With opts.DBPath set it opens (or creates) the
// SQLite journal and resumes every execution that was RUNNING when the
// previous engine on that file stopped, for whatever reason.
func New(ctx context.Context, opts Options) (*Engine, error) {
	e := &Engine{
		clock:      opts.Clock,
		log:        opts.Logger,
		invoker:    opts.Invoker,
		handlers:   opts.Handlers,
		subs:       opts.Substitutions,
		maxPayload: opts.MaxPayloadBytes,
		retain:     opts.RetainExecutions,
		jitterSeed: opts.JitterSeed,
		admission:  opts.Admission,
		s3Dirs:     opts.S3Dirs,
		machines:   map[string]*stateMachine{},
		execs:      map[string]*execution{},
	}
	e.tokens.m = map[string]*tokenEntry{}
	e.pool = newWorkers()
	if e.clock == nil {
		e.clock = RealClock{}
	}
	_, real := e.clock.(RealClock)
	e.holdsInContext = !real
	e.realClock = real
	if e.log == nil {
		e.log = logrus.New()
		e.log.SetOutput(io.Discard)
	}
	if e.maxPayload <= 0 {
		e.maxPayload = DefaultMaxPayloadBytes
	}
	if e.retain == 0 {
		e.retain = DefaultRetainExecutions
	}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	if opts.DBPath != "" {
		j, err := journal.Open(ctx, opts.DBPath)
		if err != nil {
			e.cancel()
			return nil, err
		}
		e.journal = j
		if sat, ok := opts.Admission.(SaturationReporter); ok {
			j.DeferCheckpointsWhile(sat.Saturated)
		}
		if err := e.resume(ctx); err != nil {
			e.Close()
			return nil, err
		}
	}
	return e, nil
}

// Close stops every execution's goroutines and timers and closes the
// journal. Durable executions that were running stay RUNNING in the
// journal and resume in the next engine; in-memory ones are lost. Close
// waits for task handlers in flight, which get a cancelled context.
func (e *Engine) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	e.mu.Unlock()
	e.cancel()
	e.wg.Wait()
	e.slowCalls.close()
	e.pool.stop()
	if e.journal != nil {
		return e.journal.Close()
	}
	return nil
}

// errEngineClosed is returned by calls after Close.
var errEngineClosed = errors.New("engine: closed")

// CreateStateMachine validates and stores a state machine. Like AWS it is
// idempotent: the same name with the same definition and role returns the
// existing machine.
func (e *Engine) CreateStateMachine(ctx context.Context, name, definition, roleArn string) (StateMachine, error) {
	if !validName(name) {
		return StateMachine{}, &APIError{Code: "InvalidName", Message: "invalid state machine name: " + name}
	}
	def, err := e.parse(definition)
	if err != nil {
		return StateMachine{}, err
	}
	arn := stateMachineArn(name)
	sm := newStateMachine(StateMachine{
		Arn: arn, Name: name, Definition: definition, RoleArn: roleArn,
		Type: "STANDARD", CreationDate: e.clock.Now(),
	}, def)
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return StateMachine{}, errEngineClosed
	}
	if old := e.machines[arn]; old != nil {
		e.mu.Unlock()
		if old.info.Definition == definition && old.info.RoleArn == roleArn {
			return old.info, nil
		}
		return StateMachine{}, &APIError{Code: "StateMachineAlreadyExists", Message: "State Machine Already Exists: '" + arn + "'"}
	}
	e.machines[arn] = sm
	e.mu.Unlock()
	if e.journal != nil {
		wait := e.journal.Append(&journal.Batch{StateMachines: []journal.StateMachine{{
			Arn: arn, Name: name, Definition: definition, RoleArn: roleArn, Type: sm.info.Type, Created: sm.info.CreationDate,
		}}})
		if err := wait(); err != nil {
			e.mu.Lock()
			delete(e.machines, arn)
			e.mu.Unlock()
			e.log.WithError(err).WithField("stateMachineArn", arn).Error("cannot record state machine")
			return StateMachine{}, errors.New("engine: cannot record the state machine")
		}
	}
	return sm.info, nil
}

// parse applies the engine's substitutions and parses a definition,
// mapping problems to InvalidDefinition.
func (e *Engine) parse(definition string) (*Definition, error) {
	def, err := Parse([]byte(Substitute(definition, e.subs)))
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			return nil, &APIError{Code: "InvalidDefinition", Message: "Invalid State Machine Definition: " + strings.Join(ve.Problems, "; ")}
		}
		return nil, &APIError{Code: "InvalidDefinition", Message: "Invalid State Machine Definition"}
	}
	return def, nil
}

func newStateMachine(info StateMachine, def *Definition) *stateMachine {
	return &stateMachine{
		info:    info,
		def:     def,
		ctxObj:  expr.NewObject([]expr.Member{{Key: "Id", Value: info.Arn}, {Key: "Name", Value: info.Name}}),
		roleArn: &stateError{Cause: info.RoleArn},
	}
}

// DescribeStateMachine returns a state machine.
func (e *Engine) DescribeStateMachine(ctx context.Context, arn string) (StateMachine, error) {
	sm, err := e.machine(arn)
	if err != nil {
		return StateMachine{}, err
	}
	return sm.info, nil
}

// ListStateMachines lists state machines, oldest first.
func (e *Engine) ListStateMachines(ctx context.Context) ([]StateMachine, error) {
	e.mu.RLock()
	out := make([]StateMachine, 0, len(e.machines))
	for _, sm := range e.machines {
		out = append(out, sm.info)
	}
	e.mu.RUnlock()
	sortStateMachines(out)
	return out, nil
}

func (e *Engine) machine(arn string) (*stateMachine, error) {
	if !strings.HasPrefix(arn, "arn:") {
		return nil, &APIError{Code: "InvalidArn", Message: "Invalid Arn: '" + arn + "'"}
	}
	e.mu.RLock()
	sm := e.machines[arn]
	e.mu.RUnlock()
	if sm == nil {
		return nil, &APIError{Code: "StateMachineDoesNotExist", Message: "State Machine Does Not Exist: '" + arn + "'"}
	}
	return sm, nil
}

func (e *Engine) execution(arn string) (*execution, error) {
	if !strings.HasPrefix(arn, "arn:") {
		return nil, &APIError{Code: "InvalidArn", Message: "Invalid Arn: '" + arn + "'"}
	}
	e.mu.RLock()
	x := e.execs[arn]
	e.mu.RUnlock()
	if x == nil {
		return nil, &APIError{Code: "ExecutionDoesNotExist", Message: "Execution Does Not Exist: '" + arn + "'"}
	}
	return x, nil
}

// retainFinished remembers a finished in-memory execution and forgets
// the oldest beyond RetainExecutions.
func (e *Engine) retainFinished(x *execution) {
	if e.journal != nil || e.retain < 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.finished = append(e.finished, x)
	for len(e.finished)-e.finishedHead > e.retain {
		old := e.finished[e.finishedHead]
		e.finished[e.finishedHead] = nil
		e.finishedHead++
		delete(e.execs, old.arn)
	}
	if e.finishedHead > 1024 && e.finishedHead*2 > len(e.finished) {
		e.finished = append([]*execution(nil), e.finished[e.finishedHead:]...)
		e.finishedHead = 0
	}
}

func sortStateMachines(s []StateMachine) {
	slices.SortFunc(s, func(a, b StateMachine) int {
		if c := a.CreationDate.Compare(b.CreationDate); c != 0 {
			return c
		}
		return strings.Compare(a.Arn, b.Arn)
	})
}

// now is the engine's clock reading.
func (e *Engine) now() time.Time { return e.clock.Now() }
