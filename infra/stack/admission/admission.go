// Package admission decides when a new workflow execution may start
// running in a process that also answers people.
//
// The local stack runs the API, the engine, the track handlers, the store
// and the agency simulators in one process on a few cores. When
// submissions arrive faster than their workflows can be processed, every
// started workflow adds runnable goroutines, the Go scheduler shares the
// cores among all of them, and an applicant's request waits behind the
// backlog at every step: its latency grows without bound. On AWS the API
// and the workflows run on separate compute and this cannot happen.
//
// A Gate restores that separation: an execution starts (its record is
// already durable, so nothing is lost) only while the scheduler's queue
// of runnable goroutines is short. Under overload the backlog waits here,
// costing nothing, the executions already running finish quickly, and
// requests are served at once; when load falls the backlog drains in
// order. Executions that wait on agencies or clerks are not runnable, so
// slow agencies never hold admission shut.
package admission

import (
	"context"
	"runtime/metrics"
	"sync"
	"time"
)

// runnableMetric is the scheduler's count of goroutines ready to run but
// not running.
const runnableMetric = "/sched/goroutines/runnable:goroutines"

// Config tunes a Gate. Zero values take the defaults.
type Config struct {
	// MaxRunnable admits executions while at most this many goroutines
	// wait for a core; default 0: only while none does. Measured on 2
	// cores at 200 submissions/s (4 pairs of runs, two code versions):
	// 0 kept submissions' p99 at 24–30 ms where 1 gave 26–39 ms, and 1
	// about a third of what 4 did. Negative means 0.
	MaxRunnable int
	// Interval is how often waiting executions are reconsidered; default
	// 1 ms.
	Interval time.Duration
	// Burst is how many waiting executions one look may admit; default
	// 1, so admissions are spread out instead of arriving together.
	Burst int
	// MinInterval guarantees progress: while executions wait, one is
	// admitted at least this often whatever the pressure. Without it a
	// storm of status reads (6,000 applicants polling every 250 ms) held
	// new workflows back until the pollers gave up. Default 50 ms: at
	// least 20 starts/s (72,000 an hour, far above a province's demand);
	// 10 ms doubled submissions' p99 at 200/s on 2 cores.
	MinInterval time.Duration
	// Runnable reads the pressure signal; default the Go scheduler's
	// runnable goroutines. Tests set it.
	Runnable func() int
}

// Gate admits executions in arrival order while the process has CPU to
// spare. It is safe for concurrent use; Close releases every waiter.
type Gate struct {
	cfg Config

	mu      sync.Mutex
	waiting []chan struct{} // FIFO; nil entries were abandoned
	live    int             // non-nil entries in waiting
	closed  bool
	wake    chan struct{}
	stop    chan struct{}
	done    chan struct{}

	sampleMu sync.Mutex
	sample   []metrics.Sample
}

// New starts a Gate's admission loop.
func New(cfg Config) *Gate {
	cfg.MaxRunnable = max(0, cfg.MaxRunnable)
	if cfg.Interval <= 0 {
		cfg.Interval = time.Millisecond
	}
	if cfg.Burst <= 0 {
		cfg.Burst = 1
	}
	if cfg.MinInterval <= 0 {
		cfg.MinInterval = 50 * time.Millisecond
	}
	g := &Gate{cfg: cfg, wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	if g.cfg.Runnable == nil {
		g.sample = []metrics.Sample{{Name: runnableMetric}}
		g.cfg.Runnable = g.schedulerRunnable
	}
	go g.loop()
	return g
}

// Admit returns at once when nobody is queued and the process has CPU to
// spare; otherwise it queues the caller behind earlier ones.
func (g *Gate) Admit(ctx context.Context) error {
	g.mu.Lock()
	if g.closed || (g.live == 0 && g.cfg.Runnable() <= g.cfg.MaxRunnable) {
		g.mu.Unlock()
		return nil
	}
	ch := make(chan struct{})
	g.waiting = append(g.waiting, ch)
	g.live++
	g.mu.Unlock()
	select {
	case g.wake <- struct{}{}:
	default:
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		g.mu.Lock()
		defer g.mu.Unlock()
		for i, w := range g.waiting {
			if w == ch {
				g.waiting[i] = nil
				g.live--
				return ctx.Err()
			}
		}
		return nil // admitted just as ctx ended: let it run
	}
}

// Waiting reports how many executions are queued.
func (g *Gate) Waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.live
}

// Saturated reports whether the gate is holding executions back: the
// process has no CPU to spare, and other deferrable work (checkpoints)
// should wait too.
func (g *Gate) Saturated() bool {
	return g.Waiting() > 0
}

// Close admits every waiter and stops the loop; later Admits return at
// once.
func (g *Gate) Close() error {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return nil
	}
	g.closed = true
	for _, w := range g.waiting {
		if w != nil {
			close(w)
		}
	}
	g.waiting, g.live = nil, 0
	g.mu.Unlock()
	close(g.stop)
	<-g.done
	return nil
}

// loop looks at the queue every Interval while someone waits, and sleeps
// otherwise.
func (g *Gate) loop() {
	defer close(g.done)
	tick := time.NewTicker(g.cfg.Interval)
	defer tick.Stop()
	last := time.Now() // of the last admission from the queue
	for {
		if g.Waiting() == 0 {
			select {
			case <-g.wake:
				last = time.Now()
			case <-g.stop:
				return
			}
		}
		var now time.Time
		select {
		case now = <-tick.C:
		case <-g.stop:
			return
		}
		n := 0
		switch {
		case g.cfg.Runnable() <= g.cfg.MaxRunnable:
			n = g.release(g.cfg.Burst)
		case now.Sub(last) >= g.cfg.MinInterval:
			n = g.release(1)
		}
		if n > 0 {
			last = now
		}
	}
}

// release admits up to n waiters, oldest first, and reports how many.
func (g *Gate) release(n int) (admitted int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for admitted < n && len(g.waiting) > 0 {
		w := g.waiting[0]
		g.waiting[0] = nil
		g.waiting = g.waiting[1:]
		if w == nil {
			continue
		}
		close(w)
		g.live--
		admitted++
	}
	if len(g.waiting) == 0 {
		g.waiting = nil // let the backing array go
	}
	return admitted
}

// schedulerRunnable reads the Go scheduler's runnable goroutine count.
func (g *Gate) schedulerRunnable() int {
	g.sampleMu.Lock()
	defer g.sampleMu.Unlock()
	metrics.Read(g.sample)
	if g.sample[0].Value.Kind() != metrics.KindUint64 {
		return 0 // not supported by this runtime: never hold anything back
	}
	return int(g.sample[0].Value.Uint64())
}
