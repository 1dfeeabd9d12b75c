package engine

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

// fanOut runs n child threads (Parallel branches or Map iterations) on at
// most workers goroutines. Each worker holds the clock while it runs;
// the parent releases its own hold while it waits and gets one back from
// the last worker to finish. The first child failure (a *stateError, or
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
	)
	record := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil || (errors.Is(firstErr, errAborted) && !errors.Is(err, errAborted)) {
			firstErr = err
		}
		if !errors.Is(err, errAborted) {
			cancel()
		}
	}
	done := make(chan func(), workers)
	for range workers {
		h := &hold{clock: clock, release: clock.Hold()}
		th.x.e.pool.spawn(func() {
			defer func() {
				r := clock.Hold() // for the parent, before letting go of ours
				h.drop()
				done <- r
			}()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				child := th.x.newThread(ctx, childID(th.id, startedID, i), startedID, h)
				if err := body(child, i); err != nil {
					record(err)
				}
			}
		})
	}
	th.h.drop()
	for w := range workers {
		r := <-done
		if w == workers-1 {
			th.h.adopt(r)
		} else {
			r()
		}
	}
	if firstErr == nil && th.ctx.Err() != nil {
		return errAborted
	}
	return firstErr
}
