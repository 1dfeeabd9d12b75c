package engine

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
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
	clock := th.x.e.clock
	var (
		next     atomic.Int64
		mu       sync.Mutex
		firstErr error
		// cancelHold is taken by the failing child that cancels the
		// others, while it still holds the clock, and released once every
		// worker is done: a sibling parked without a hold (on a task token)
		// wakes to the cancellation with nothing holding the clock, and in
		// that gap a virtual clock would jump to its next timer, so when
		// the failure is recorded would depend on goroutine scheduling.
		cancelHold func()
	)
	record := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil || (errors.Is(firstErr, errAborted) && !errors.Is(err, errAborted)) {
			firstErr = err
		}
		if !errors.Is(err, errAborted) {
			if cancelHold == nil {
				cancelHold = clock.Hold()
			}
			cancel()
		}
	}
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		if cancelHold != nil {
			cancelHold()
		}
	}()
	// The parent is worker 0 and keeps its hold; the others each hold the
	// clock while they run and release it when done.
	work := func(h *hold) {
		for {
			i := int(next.Add(1) - 1)
			if i >= n || ctx.Err() != nil {
				return
			}
			child := th.x.newThread(ctx, childID(th.id, startedID, i), startedID, h)
			child.vars, child.varsBytes = th.vars, th.varsBytes // inner states see outer variables, not the reverse
			if err := body(child, i); err != nil {
				record(err)
			}
		}
	}
	// The worker that finishes last, if not the parent, takes a hold for
	// the parent before letting go of its own, so the clock cannot slip
	// forward between the last child finishing and the parent going on.
	// Only the last may: a hold taken by an early finisher would stop a
	// virtual clock while the other children still wait on it.
	running := atomic.Int64{}
	running.Store(int64(workers))
	done := make(chan func(), workers-1)
	for range workers - 1 {
		h := &hold{clock: clock, release: clock.Hold()}
		th.x.e.pool.spawn(func() {
			work(h)
			var r func() // nil: not the last
			if running.Add(-1) == 0 {
				r = clock.Hold()
			}
			h.drop()
			done <- r
		})
	}
	work(th.h)
	if workers > 1 {
		if running.Add(-1) != 0 {
			th.h.drop() // waiting for the others is blocked time
		}
		for range workers - 1 {
			if r := <-done; r != nil {
				th.h.adopt(r)
			}
		}
	}
	if firstErr == nil && th.ctx.Err() != nil {
		return errAborted
	}
	return firstErr
}
