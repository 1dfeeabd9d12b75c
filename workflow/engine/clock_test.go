package engine

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// TestVirtualClockFiresInOrder: with nothing holding it, the clock jumps
// to each timer in due order and reads exactly the due time there.
func TestVirtualClockFiresInOrder(t *testing.T) {
	c := NewVirtualClock(epoch)
	release := c.Hold() // schedule everything before time may move
	var mu sync.Mutex
	var got []time.Duration
	done := make(chan struct{})
	for _, d := range []time.Duration{3 * time.Hour, time.Second, time.Minute, time.Minute} {
		c.AfterFunc(d, func() {
			mu.Lock()
			got = append(got, c.Now().Sub(epoch))
			if len(got) == 4 {
				close(done)
			}
			mu.Unlock()
		})
	}
	if c.Now() != epoch {
		t.Fatal("time moved while held")
	}
	release()
	<-done
	want := []time.Duration{time.Second, time.Minute, time.Minute, 3 * time.Hour}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("fired at %v, want %v", got, want)
			break
		}
	}
}

// TestVirtualClockStop: a stopped timer never fires, and Stop reports
// whether it stopped it.
func TestVirtualClockStop(t *testing.T) {
	c := NewVirtualClock(epoch)
	release := c.Hold()
	fired := make(chan struct{}, 1)
	tm := c.AfterFunc(time.Hour, func() { fired <- struct{}{} })
	if !tm.Stop() || tm.Stop() {
		t.Fatal("Stop should succeed once")
	}
	if c.Pending() != 0 {
		t.Fatal("stopped timer still pending")
	}
	release()
	select {
	case <-fired:
		t.Fatal("stopped timer fired")
	default:
	}
}

// TestVirtualClockSleepWithHold: sleepers that hold the clock wake in due
// order, each at its exact time, and the clock does not run ahead while
// a woken sleeper works.
func TestVirtualClockSleepWithHold(t *testing.T) {
	c := NewVirtualClock(epoch)
	ctx := context.Background()
	start := c.Hold() // keep time still until every sleeper is asleep
	var wg sync.WaitGroup
	woke := make(chan time.Duration, 3)
	for _, d := range []time.Duration{30 * time.Second, 10 * time.Second, 20 * time.Second} {
		wg.Add(1)
		hctx, release := WithHold(ctx, c)
		go func() {
			defer wg.Done()
			defer release()
			if err := c.Sleep(hctx, d); err != nil {
				t.Error(err)
				return
			}
			// Holding again: time must not move while we "work".
			now := c.Now()
			woke <- now.Sub(epoch)
			if c.Now() != now {
				t.Error("clock advanced while a woken sleeper held it")
			}
		}()
	}
	start()
	wg.Wait()
	close(woke)
	var got []time.Duration
	for d := range woke {
		got = append(got, d)
	}
	want := []time.Duration{10 * time.Second, 20 * time.Second, 30 * time.Second}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("woke at %v, want %v", got, want)
		}
	}
}

// TestVirtualClockSleepCancelled: cancelling a sleep returns the context's
// error and leaves the hold balanced (time can still move afterwards).
func TestVirtualClockSleepCancelled(t *testing.T) {
	c := NewVirtualClock(epoch)
	ctx, cancel := context.WithCancel(context.Background())
	hctx, release := WithHold(ctx, c)
	blocker := c.Hold() // so the sleep cannot complete before we cancel
	errc := make(chan error, 1)
	go func() { errc <- c.Sleep(hctx, time.Hour) }()
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep: %v", err)
	}
	release()
	blocker()
	fired := make(chan struct{})
	c.AfterFunc(time.Minute, func() { close(fired) })
	<-fired
}

// TestRealClockSleep returns early when its context ends.
func TestRealClockSleep(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (RealClock{}).Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep: %v", err)
	}
	if err := (RealClock{}).Sleep(context.Background(), time.Microsecond); err != nil {
		t.Fatal(err)
	}
}

// TestDayInMilliseconds: a day of waits and retries on the virtual clock
// takes no wall time worth mentioning.
func TestDayInMilliseconds(t *testing.T) {
	e := newTestEngine(t, Options{Clock: NewVirtualClock(epoch), Handlers: map[string]Handler{"f": scripted("E", "E", "E")}})
	arn := mustCreate(t, e, "day", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":86400,"Next":"T"},
		"T":{`+taskF+`,"Retry":[{"ErrorEquals":["E"],"IntervalSeconds":3600,"MaxAttempts":3}],"End":true}}}`)
	began := time.Now()
	x := runToEnd(t, e, arn, `{}`)
	if x.Status != StatusSucceeded {
		t.Fatalf("%s %s", x.Status, x.Error)
	}
	if d := x.StopDate.Sub(x.StartDate); d != 24*time.Hour+7*time.Hour {
		t.Errorf("virtual duration %v, want 31h", d)
	}
	if wall := time.Since(began); wall > 5*time.Second {
		t.Errorf("took %v of wall time", wall)
	}
}
