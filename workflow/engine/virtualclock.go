package engine

import (
	"container/heap"
	"context"
	"sync"
	"time"
)

// VirtualClock is a Clock whose time only moves when nothing is runnable:
// when the last hold is released (see Clock) it jumps straight to the
// earliest pending timer and fires every timer due at that instant. Hours
// of waits, retries, heartbeats and timeouts therefore take as long as the
// work between them. Work blocked on something other than the clock (a
// task token, an outside caller) does not hold it, so while an execution
// waits for a callback, virtual time runs on to its next timer, e.g. its
// heartbeat timeout; a test that wants to act "before" that holds the
// clock (WithHold) and moves it with Sleep.
//
// It starts no goroutines of its own; fired callbacks run in short-lived
// goroutines.
type VirtualClock struct {
	mu     sync.Mutex
	now    time.Time
	holds  int
	seq    uint64
	timers timerHeap
}

var _ Clock = (*VirtualClock)(nil)

// NewVirtualClock returns a virtual clock reading start.
func NewVirtualClock(start time.Time) *VirtualClock {
	return &VirtualClock{now: start}
}

// Now returns the current virtual time.
func (c *VirtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Hold marks one unit of runnable work; time stands still until every
// hold is released.
func (c *VirtualClock) Hold() func() {
	c.mu.Lock()
	c.holds++
	c.mu.Unlock()
	var once sync.Once
	return func() { once.Do(c.release) }
}

func (c *VirtualClock) release() {
	c.mu.Lock()
	c.holds--
	if c.holds < 0 {
		c.holds = 0 // defensive: an unbalanced release must not wedge the clock
	}
	c.advanceLocked()
	c.mu.Unlock()
}

// AfterFunc schedules f after d of virtual time.
func (c *VirtualClock) AfterFunc(d time.Duration, f func()) Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	if d < 0 {
		d = 0
	}
	c.seq++
	t := &vtimer{c: c, due: c.now.Add(d), seq: c.seq, f: f, index: -1}
	heap.Push(&c.timers, t)
	c.advanceLocked()
	return t
}

// Sleep waits d of virtual time; see Clock for how it treats a hold
// carried by ctx.
func (c *VirtualClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	h := holdFrom(ctx, c)
	woke := make(chan struct{}, 1)
	t := c.AfterFunc(d, func() {
		if h != nil {
			h.take() // runs under the clock's hold for this callback
		}
		woke <- struct{}{}
	})
	if h != nil {
		h.drop() // after the timer exists, so a release to zero fires it
	}
	select {
	case <-woke:
		return nil
	case <-ctx.Done():
		if t.Stop() {
			if h != nil {
				h.take()
			}
		} else {
			<-woke
		}
		return ctx.Err()
	}
}

// Pending reports how many timers are scheduled (for tests and
// diagnostics).
func (c *VirtualClock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// advanceLocked fires the earliest timers if nothing holds the clock.
func (c *VirtualClock) advanceLocked() {
	if c.holds > 0 || len(c.timers) == 0 {
		return
	}
	first := c.timers[0]
	if first.due.After(c.now) {
		c.now = first.due
	}
	for len(c.timers) > 0 && !c.timers[0].due.After(c.now) {
		t := heap.Pop(&c.timers).(*vtimer)
		c.holds++
		go func() {
			t.f()
			c.release()
		}()
	}
}

type vtimer struct {
	c     *VirtualClock
	due   time.Time
	seq   uint64
	f     func()
	index int
}

// Stop removes the timer if it has not fired.
func (t *vtimer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	if t.index < 0 {
		return false
	}
	heap.Remove(&t.c.timers, t.index)
	return true
}

// timerHeap orders timers by due time, then by creation.
type timerHeap []*vtimer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if !h[i].due.Equal(h[j].due) {
		return h[i].due.Before(h[j].due)
	}
	return h[i].seq < h[j].seq
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*vtimer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	n := len(old)
	t := old[n-1]
	old[n-1] = nil
	t.index = -1
	*h = old[:n-1]
	return t
}
