package engine

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// fanOut runs n child threads (Parallel branches or Map iterations) on at
// most workers goroutines, the parent's included. The first child failure (a *stateError, or
// divergence) cancels the others and is returned; errAborted is returned
// only if nothing failed.
func (th *thread) fanOut(n, workers int, startedID int64, body func(child *thread, i int) error) error {
	if n == 0 {
		return nil
	}
	if workers <= 0 || workers > n {
		workers = n
	}
	ctx, cancel := context.WithCancel(th.ctx)
	defer cancel()
	// One allocation for the fan-out's shared state, instead of one per
	// captured variable and closure (a Parallel state runs on every
	// execution of most machines).
	f := &fan{th: th, ctx: ctx, cancel: cancel, n: n, startedID: startedID, body: body, clock: th.x.e.clock}
	defer f.releaseCancelHold()
	// The worker that finishes last, if not the parent, takes a hold for
	// the parent before letting go of its own, so the clock cannot slip
	// forward between the last child finishing and the parent going on.
	// Only the last may: a hold taken by an early finisher would stop a
	// virtual clock while the other children still wait on it. running
	// counts the parent and the helpers that joined (see helper).
	f.running.Store(1)
	// Helpers start only when they can help: when a thread under this
	// fan-out is about to block (thread.mayBlock) or once the parent has
	// spent inlineBudget on children itself. Quick children (mocked tasks,
	// Pass and Choice states) then run on the parent alone, without
	// waking another processor and waiting for it, which cost more than
	// the children themselves.
	f.pendingHelpers = int32(workers - 1)
	f.pending.Store(f.pendingHelpers > 0)
	// The parent is worker 0 and keeps its hold; the others each hold the
	// clock while they run and release it when done.
	f.work(th.h, true)
	if workers > 1 {
		// Helpers that have not started by now find every child taken:
		// the parent does not wait for them to be scheduled (a wake-up of
		// an idle processor, which was the long tail of a Parallel state
		// whose branches are quick).
		f.mu.Lock()
		f.closed = true
		joined := f.joined
		f.mu.Unlock()
		if f.running.Add(-1) != 0 {
			th.mayBlock()
			th.h.drop() // waiting for the others is blocked time
		}
		for range joined {
			if r := <-f.done; r != nil {
				th.h.adopt(r)
			}
		}
	}
	if f.firstErr == nil && th.ctx.Err() != nil {
		return errAborted
	}
	return f.firstErr
}

// fan is one fanOut's state, shared by its workers.
type fan struct {
	th        *thread
	ctx       context.Context
	cancel    context.CancelFunc
	n         int
	startedID int64
	body      func(child *thread, i int) error
	clock     Clock
	next      atomic.Int64
	running   atomic.Int64
	done      chan func() // each joined helper's hold for the parent, or nil
	mu        sync.Mutex
	firstErr  error
	// closed is set once the parent has run out of children to take;
	// joined counts the helpers that started before.
	closed bool
	joined int
	// pendingHelpers is how many helpers have not been started (under
	// mu); pending mirrors pendingHelpers > 0 for a lock-free check.
	pendingHelpers int32
	pending        atomic.Bool
	// cancelHold is taken by the failing child that cancels the
	// others, while it still holds the clock, and released once every
	// worker is done: a sibling parked without a hold (on a task token)
	// wakes to the cancellation with nothing holding the clock, and in
	// that gap a virtual clock would jump to its next timer, so when
	// the failure is recorded would depend on goroutine scheduling.
	cancelHold func()
}

func (f *fan) record(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.firstErr == nil || (errors.Is(f.firstErr, errAborted) && !errors.Is(err, errAborted)) {
		f.firstErr = err
	}
	if !errors.Is(err, errAborted) {
		if f.cancelHold == nil {
			f.cancelHold = f.clock.Hold()
		}
		f.cancel()
	}
}

func (f *fan) releaseCancelHold() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cancelHold != nil {
		f.cancelHold()
	}
}

// inlineBudget is how long the parent runs children on its own before
// it starts the helpers, so that a fan-out of many CPU-bound children
// still uses every processor.
const inlineBudget = 250 * time.Microsecond

// work runs children until none is left or the fan-out is cancelled.
func (f *fan) work(h *hold, parent bool) {
	th := f.th
	var began time.Time
	for {
		i := int(f.next.Add(1) - 1)
		if i >= f.n || f.ctx.Err() != nil {
			return
		}
		if parent && f.pending.Load() {
			if began.IsZero() {
				began = time.Now()
			} else if time.Since(began) > inlineBudget {
				f.startHelpers()
			}
		}
		child := th.x.newThread(f.ctx, childID(th.id, f.startedID, i), f.startedID, h)
		child.fan = f
		child.vars, child.varsBytes = th.vars, th.varsBytes // inner states see outer variables, not the reverse
		if err := f.body(child, i); err != nil {
			f.record(err)
		}
	}
}

// startHelpers starts the helpers not started yet, each holding the
// clock from now on, unless the parent has already taken every child.
func (f *fan) startHelpers() {
	if !f.pending.Load() {
		return
	}
	f.mu.Lock()
	k := f.pendingHelpers
	if k == 0 || f.closed {
		f.mu.Unlock()
		return
	}
	f.pendingHelpers = 0
	f.pending.Store(false)
	f.done = make(chan func(), k)
	f.mu.Unlock()
	e := f.th.x.e
	for range k {
		h := &hold{clock: f.clock, release: f.clock.Hold()}
		if gate := e.helperGate; gate != nil { // tests: helpers start late
			e.pool.spawn(func() { <-gate; f.helper(h) })
			continue
		}
		e.pool.spawn(func() { f.helper(h) })
	}
}

// helper is a worker other than the parent: it holds h while it works.
// One that starts after the parent has taken every child and stopped
// waiting for latecomers only lets go of its hold.
func (f *fan) helper(h *hold) {
	f.mu.Lock()
	if f.closed {
		f.mu.Unlock()
		h.drop()
		return
	}
	f.joined++
	f.running.Add(1)
	f.mu.Unlock()
	f.work(h, false)
	var r func() // nil: not the last
	if f.running.Add(-1) == 0 {
		r = f.clock.Hold()
	}
	h.drop()
	f.done <- r
}
