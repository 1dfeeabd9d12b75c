package engine

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/kaiban/kaiban/workflow/engine/expr"
	"github.com/kaiban/kaiban/workflow/engine/jsonata"
)

// errAborted ends a thread whose execution was stopped, timed out or
// whose engine is closing, or a branch cancelled because a sibling
// failed. Nothing more is recorded for it.
var errAborted = errors.New("engine: aborted")

// errDiverged means a resumed execution's recorded history does not match
// what the definition does with it.
var errDiverged = errors.New("engine: history diverged")

// thread is one path of an execution: the root, a Parallel branch or a Map
// iteration. It runs on one goroutine, which holds the clock (h) while it
// works.
type thread struct {
	x    *execution
	id   string
	last int64 // the thread's newest event (previousEventId of the next)
	ctx  context.Context
	h    *hold
	// replay holds this thread's recorded events not yet replayed, when
	// the execution is being resumed.
	replay []*event
	// item is $$.Map.Item for a Map iteration.
	item *mapItem
	// fan is the fan-out this thread is a child of (nil for the root),
	// whose helpers mayBlock starts.
	fan *fan
	// vars are the workflow variables in scope, never changed in place
	// (assign copies), so a child thread can share its parent's.
	vars *expr.Object
	// varsBytes is the JSON size of vars, for the limit on their total.
	varsBytes int
	// enteredID is the id of the current state's StateEntered event,
	// which runtime error causes name; enteredAt is when it was entered,
	// for a context object built outside the state's own attempt
	// (InputPath, OutputPath and Choice rules on $$).
	enteredID int64
	enteredAt time.Time
	// assignIn is what $ means in a JSONPath state's Assign: the result
	// after ResultSelector (Task, Parallel, Map), after Parameters and
	// Result (Pass), the effective input (Choice, Wait), the error output
	// (Catch).
	assignIn any
	// jsonataCache carries converted values between the JSONata
	// evaluations of this thread.
	jsonataCache *jsonata.Cache
	// slab holds events allocated ahead for emit: a state records two to
	// five events, and one allocation per event was the largest share of
	// the in-memory benchmark's allocations.
	slab     []event
	slabSize int // the size of the newest chunk
	emitted  int // events recorded live by this thread
}

// newEvent returns a zero event from the thread's slab, refilling it with
// a chunk that doubles each time (5 to 40 events): the first holds a Task
// state's five events, so a short branch wastes little, and a long thread
// allocates rarely.
func (th *thread) newEvent() *event {
	if len(th.slab) == 0 {
		th.slabSize = min(max(2*th.slabSize, 5), 40)
		if th.emitted == 0 && th.id == "" { // the root: as many as the previous root's
			if n := int(th.x.sm.rootEventsHint.Load()); n > 0 {
				th.slabSize = min(n, 1<<10)
			}
		}
		th.slab = make([]event, th.slabSize)
	}
	ev := &th.slab[0]
	th.slab = th.slab[1:]
	return ev
}

type mapItem struct {
	index int
	value any
}

// newThread creates a thread whose goroutine owns h; ctx gets h attached
// so that handlers and Sleep can release it while they wait (unless the
// clock is real, whose holds are no-ops and never read).
func (x *execution) newThread(ctx context.Context, id string, last int64, h *hold) *thread {
	th := &thread{x: x, id: id, last: last, h: h}
	th.ctx = ctx
	if x.e.holdsInContext {
		th.ctx = context.WithValue(ctx, holdKey{}, h)
	}
	if x.e.journal != nil { // only a resumed execution has a replay
		x.mu.Lock()
		th.replay = x.replay[id]
		delete(x.replay, id)
		x.mu.Unlock()
	}
	return th
}

// childID names a branch or iteration thread: unique within the
// execution because the started event's id is.
func childID(parent string, startedID int64, index int) string {
	return parent + "/" + strconv.FormatInt(startedID, 10) + "." + strconv.Itoa(index)
}

// peek returns the next recorded event of a resuming thread, or nil.
func (th *thread) peek() *event {
	if len(th.replay) == 0 {
		return nil
	}
	return th.replay[0]
}

// emit records an event of this thread and returns it. A resuming thread
// instead consumes its next recorded event, which must be of the same
// type; callers use the recorded event's data (input, output, time,
// chosen delay) rather than what they computed.
func (th *thread) emit(typ string, d details, meta *eventMeta) (*event, error) {
	if len(th.replay) > 0 {
		ev := th.replay[0]
		if ev.typ != typ {
			return nil, errDiverged
		}
		th.replay = th.replay[1:]
		th.last = ev.id
		return ev, nil
	}
	if th.ctx.Err() != nil {
		return nil, errAborted
	}
	x := th.x
	ev := th.newEvent()
	th.emitted++
	*ev = event{prev: th.last, typ: typ, ts: x.e.eventNanos(), thread: th.id, live: true, d: d, meta: meta}
	if x.e.journal != nil {
		ev.raw = encodeDetails(typ, &ev.d) // outside the lock
	}
	x.mu.Lock()
	if x.status != StatusRunning {
		x.mu.Unlock()
		return nil, errAborted
	}
	x.nextID++
	ev.id = x.nextID
	x.appendLocked(ev)
	x.mu.Unlock()
	th.last = ev.id
	return ev, nil
}

// sync makes the thread's events durable before it acts on them.
func (th *thread) sync() error {
	if len(th.replay) > 0 {
		return nil // replaying what is already durable
	}
	if th.x.e.journal != nil {
		th.mayBlock()
	}
	return th.x.sync()
}

// flush hands the thread's events to the journal without waiting.
func (th *thread) flush() error {
	if len(th.replay) > 0 {
		return nil
	}
	return th.x.flush(false)
}

// sleepUntil waits on the clock until t, releasing the thread's hold
// meanwhile.
func (th *thread) sleepUntil(t time.Time) error {
	d := t.Sub(th.x.e.now())
	if d <= 0 {
		return nil
	}
	th.mayBlock()
	if err := th.x.e.clock.Sleep(th.ctx, d); err != nil {
		return errAborted
	}
	return nil
}

// contextObject builds $$ for a state.
func (th *thread) contextObject(st *state, entered time.Time, retryCount int, token string) any {
	x := th.x
	c := make([]expr.Member, 3, 5)
	c[0] = expr.Member{Key: "Execution", Value: x.contextExecution()}
	c[1] = expr.Member{Key: "State", Value: expr.NewObject([]expr.Member{
		{Key: "EnteredTime", Value: formatTime(entered)},
		{Key: "Name", Value: st.name},
		{Key: "RetryCount", Value: json.Number(strconv.Itoa(retryCount))},
	})}
	c[2] = expr.Member{Key: "StateMachine", Value: x.sm.ctxObj}
	if token != "" {
		c = append(c, expr.Member{Key: "Task", Value: expr.NewObject([]expr.Member{{Key: "Token", Value: token}})})
	}
	if th.item != nil {
		c = append(c, expr.Member{Key: "Map", Value: expr.NewObject([]expr.Member{{Key: "Item", Value: expr.NewObject([]expr.Member{
			{Key: "Index", Value: json.Number(strconv.Itoa(th.item.index))},
			{Key: "Value", Value: th.item.value},
		})}})})
	}
	return expr.NewObject(c)
}

// recordedValue decodes a JSON text recorded in the journal.
func recordedValue(s string) (any, error) {
	if s == "" {
		return nil, errDiverged
	}
	v, err := decodeJSON([]byte(s))
	if err != nil {
		return nil, errDiverged
	}
	return v, nil
}
