package engine

import (
	"sync"
	"time"
)

// slowCallAfter is how long a task call on a real clock may run before
// the helpers of the fan-outs around it start: a mocked or in-process
// handler answers well within it; a call that waits (on the network, on
// a sibling branch) is found out and no longer holds its siblings back.
const slowCallAfter = time.Millisecond

// mayBlock starts the waiting helpers of every fan-out this thread is
// inside, before the thread waits for something (the clock, a task token,
// a call, the journal, other children). It must come before the thread
// lets go of its clock hold: a helper takes its own hold when it starts,
// so a virtual clock cannot move on while siblings that have not started
// yet still have work at the current time.
func (th *thread) mayBlock() {
	for f := th.fan; f != nil; f = f.th.fan {
		f.startHelpers()
	}
}

// pendingHelpers reports whether any fan-out around the thread has
// helpers not started yet.
func (th *thread) pendingHelpers() bool {
	for f := th.fan; f != nil; f = f.th.fan {
		if f.pending.Load() {
			return true
		}
	}
	return false
}

// watchCall is called before a task call runs on the thread's own
// goroutine; when it returns true the caller calls unwatch once the call
// is over. A handler on a virtual clock may sleep on it, letting go of the
// thread's hold from inside, so there the helpers start at once. On a
// real clock the engine's call watcher starts them if the call runs
// longer than slowCallAfter.
func (th *thread) watchCall() bool {
	if !th.pendingHelpers() {
		return false
	}
	if th.x.e.holdsInContext {
		th.mayBlock()
		return false
	}
	th.x.e.slowCalls.add(th)
	return true
}

func (th *thread) unwatch() { th.x.e.slowCalls.remove(th) }

// callWatcher finds task calls that run long. One goroutine looks at the
// calls in progress every slowCallAfter while there are any, so a quick
// call costs a map insert and delete, not a timer of its own (arming a
// timer per call woke an idle processor each time).
type callWatcher struct {
	mu      sync.Mutex
	calls   map[*thread]time.Time
	running bool
	closed  bool
	quit    chan struct{} // closed by close
	wg      sync.WaitGroup
}

func (w *callWatcher) add(th *thread) {
	now := time.Now()
	w.mu.Lock()
	if w.calls == nil {
		w.calls = map[*thread]time.Time{}
	}
	w.calls[th] = now
	start := !w.running && !w.closed
	if start {
		w.running = true
		if w.quit == nil {
			w.quit = make(chan struct{})
		}
		w.wg.Add(1)
	}
	w.mu.Unlock()
	if start {
		go w.loop()
	}
}

// close stops the watcher's goroutine and waits for it.
func (w *callWatcher) close() {
	w.mu.Lock()
	w.closed = true
	if w.quit != nil {
		close(w.quit)
	}
	w.mu.Unlock()
	w.wg.Wait()
}

func (w *callWatcher) remove(th *thread) {
	w.mu.Lock()
	delete(w.calls, th)
	w.mu.Unlock()
}

// loop runs while calls are watched, and ends after a second with none.
func (w *callWatcher) loop() {
	defer w.wg.Done()
	tick := time.NewTicker(slowCallAfter)
	defer tick.Stop()
	idleSince := time.Now()
	var slow []*thread
	for {
		var now time.Time
		select {
		case now = <-tick.C:
		case <-w.quit:
			return
		}
		slow = slow[:0]
		w.mu.Lock()
		for th, began := range w.calls {
			if now.Sub(began) >= slowCallAfter {
				slow = append(slow, th)
				delete(w.calls, th)
			}
		}
		if len(w.calls) > 0 || len(slow) > 0 {
			idleSince = now
		} else if now.Sub(idleSince) > time.Second {
			w.running = false
			w.mu.Unlock()
			return
		}
		w.mu.Unlock()
		for _, th := range slow {
			th.mayBlock()
		}
	}
}
