package admission

import (
	"context"
	"errors"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"
)

// pressure is a settable runnable-goroutine count that counts its reads.
// Each permit makes one read report no pressure, so a test can let
// exactly one waiter through at a time.
type pressure struct{ n, reads, permits atomic.Int64 }

func (p *pressure) get() int {
	p.reads.Add(1)
	for {
		left := p.permits.Load()
		if left <= 0 {
			return int(p.n.Load())
		}
		if p.permits.CompareAndSwap(left, left-1) {
			return 0
		}
	}
}

func newTestGate(t *testing.T, p *pressure) *Gate {
	t.Helper()
	g := New(Config{MaxRunnable: 4, Interval: time.Millisecond, Burst: 1, MinInterval: time.Hour, Runnable: p.get})
	t.Cleanup(func() { _ = g.Close() })
	return g
}

// admitAsync runs Admit on its own goroutine and reports its result.
func admitAsync(ctx context.Context, g *Gate) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- g.Admit(ctx) }()
	return ch
}

// waitFor polls cond until it holds or ten seconds have passed (CI
// machines are shared and slow under -race).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestAdmitsAtOnceWhenIdle(t *testing.T) {
	g := newTestGate(t, &pressure{})
	for range 100 {
		if err := g.Admit(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if n := g.Waiting(); n != 0 {
		t.Fatalf("Waiting() = %d, want 0", n)
	}
}

func TestHoldsUnderPressureThenAdmitsInOrder(t *testing.T) {
	p := &pressure{}
	p.n.Store(100)
	g := newTestGate(t, p)
	var order []int
	results := make([]<-chan error, 3)
	for i := range results {
		results[i] = admitAsync(context.Background(), g)
		waitFor(t, "the waiter to queue", func() bool { return g.Waiting() == i+1 })
	}
	seen := p.reads.Load()
	waitFor(t, "the gate to look again", func() bool { return p.reads.Load() > seen+20 })
	if n := g.Waiting(); n != 3 {
		t.Fatalf("under pressure %d of 3 executions were let through", 3-n)
	}
	// One permit at a time: the waiter that returns is the one the gate
	// admitted, whatever order the goroutines then run in.
	for range results {
		p.permits.Store(1)
		got := -1
		deadline := time.After(5 * time.Second)
		for got < 0 {
			select {
			case err := <-results[0]:
				got = 0
				if err != nil {
					t.Fatal(err)
				}
			case err := <-results[1]:
				got = 1
				if err != nil {
					t.Fatal(err)
				}
			case err := <-results[2]:
				got = 2
				if err != nil {
					t.Fatal(err)
				}
			case <-deadline:
				t.Fatalf("no waiter admitted after a permit; admitted so far %v", order)
			}
		}
		order = append(order, got)
	}
	for i, got := range order {
		if got != i {
			t.Fatalf("admitted in order %v, want arrival order", order)
		}
	}
}

func TestAdmitsAtTheFloorRateUnderEndlessPressure(t *testing.T) {
	p := &pressure{}
	p.n.Store(100)
	g := New(Config{MaxRunnable: 4, Interval: time.Millisecond, MinInterval: 5 * time.Millisecond, Runnable: p.get})
	defer g.Close()
	results := make([]<-chan error, 5)
	for i := range results {
		results[i] = admitAsync(context.Background(), g)
	}
	for i, ch := range results {
		select {
		case err := <-ch:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("execution %d of 5 starved under pressure that never ends", i+1)
		}
	}
}

func TestNewcomerQueuesBehindWaitersEvenWhenPressureDrops(t *testing.T) {
	p := &pressure{}
	p.n.Store(100)
	g := New(Config{MaxRunnable: 4, Interval: time.Hour, MinInterval: time.Hour, Runnable: p.get}) // the loop never looks
	defer g.Close()
	first := admitAsync(context.Background(), g)
	waitFor(t, "the first waiter to queue", func() bool { return g.Waiting() == 1 })
	p.n.Store(0)
	second := admitAsync(context.Background(), g)
	waitFor(t, "the newcomer to queue", func() bool { return g.Waiting() == 2 })
	select {
	case <-second:
		t.Fatal("a newcomer overtook an execution that was already waiting")
	case <-first:
		t.Fatal("admitted without the loop looking")
	default:
	}
}

func TestCancelledWaiterLeavesTheQueue(t *testing.T) {
	p := &pressure{}
	p.n.Store(100)
	g := newTestGate(t, p)
	ctx, cancel := context.WithCancel(context.Background())
	gone := admitAsync(ctx, g)
	waitFor(t, "the waiter to queue", func() bool { return g.Waiting() == 1 })
	cancel()
	if err := <-gone; !errors.Is(err, context.Canceled) {
		t.Fatalf("Admit after cancel = %v, want context.Canceled", err)
	}
	if n := g.Waiting(); n != 0 {
		t.Fatalf("Waiting() = %d after the only waiter left", n)
	}
	next := admitAsync(context.Background(), g)
	waitFor(t, "the next waiter to queue", func() bool { return g.Waiting() == 1 })
	p.n.Store(0)
	if err := <-next; err != nil {
		t.Fatal(err)
	}
}

func TestCloseReleasesWaiters(t *testing.T) {
	p := &pressure{}
	p.n.Store(100)
	g := New(Config{MinInterval: time.Hour, Runnable: p.get})
	waiting := admitAsync(context.Background(), g)
	waitFor(t, "the waiter to queue", func() bool { return g.Waiting() == 1 })
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-waiting; err != nil {
		t.Fatalf("a waiter released by Close got %v", err)
	}
	if err := g.Admit(context.Background()); err != nil {
		t.Fatalf("Admit after Close = %v", err)
	}
}

func TestSchedulerSignalIsReadable(t *testing.T) {
	g := New(Config{})
	defer g.Close()
	if n := g.schedulerRunnable(); n < 0 {
		t.Fatalf("runnable goroutines = %d", n)
	}
	if g.sample[0].Value.Kind() != metrics.KindUint64 {
		t.Fatalf("this Go runtime does not publish %s: the gate would never hold anything back", runnableMetric)
	}
}

// Saturated is what the stores' checkpointers follow: true exactly while
// executions are held back.
func TestSaturatedWhileExecutionsWait(t *testing.T) {
	p := &pressure{}
	g := newTestGate(t, p)
	if g.Saturated() {
		t.Fatal("an idle gate reports saturation")
	}
	p.n.Store(100)
	held := admitAsync(context.Background(), g)
	waitFor(t, "the waiter to queue", func() bool { return g.Waiting() == 1 })
	if !g.Saturated() {
		t.Fatal("the gate holds an execution back but does not report saturation")
	}
	p.n.Store(0)
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	waitFor(t, "saturation to end", func() bool { return !g.Saturated() })
}
