package engine

import (
	"sync"
	"sync/atomic"
	"time"
)

// workerIdle is how long an idle worker goroutine waits for more work
// before it exits.
const workerIdle = 5 * time.Second

// workers reuses goroutines for executions, branches and iterations. A
// fresh goroutine starts with a small stack that the interpreter's call
// depth grows (and copies) several times; reusing one avoids that and was
// the single largest cost in the in-memory benchmark profile.
type workers struct {
	tasks   chan func()
	quit    chan struct{}
	wg      sync.WaitGroup
	spawned atomic.Int64 // work handed out, for tests
}

func newWorkers() *workers {
	return &workers{tasks: make(chan func()), quit: make(chan struct{})}
}

// spawn runs f on an idle worker, or on a new one.
func (w *workers) spawn(f func()) {
	w.spawned.Add(1)
	select {
	case w.tasks <- f:
	default:
		w.wg.Add(1)
		go w.loop(f)
	}
}

func (w *workers) loop(f func()) {
	defer w.wg.Done()
	idle := time.NewTimer(workerIdle)
	defer idle.Stop()
	for {
		f()
		f = nil
		idle.Reset(workerIdle)
		select {
		case f = <-w.tasks:
		case <-idle.C:
			return
		case <-w.quit:
			return
		}
	}
}

// stop ends idle workers and waits for all of them; spawn must not be
// called afterwards.
func (w *workers) stop() {
	close(w.quit)
	w.wg.Wait()
}
