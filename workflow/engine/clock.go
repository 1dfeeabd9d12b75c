package engine

import (
	"context"
	"time"
)

// Clock is the engine's only source of time. Waits, retry delays, task
// timeouts, heartbeats and execution timeouts all go through it, so a
// VirtualClock can run hours of them in milliseconds.
//
// # Holds
//
// A virtual clock may only jump forward when nothing could still act
// "now": every piece of in-flight work is blocked on a timer, a task token
// or an outside caller. Work tells the clock it is in flight by holding
// it. The contract every Clock implementation and every user follows:
//
//   - Hold marks one unit of runnable work; the returned release ends it.
//     Release exactly once (extra calls are ignored).
//   - A callback passed to AfterFunc runs while the clock holds on its
//     behalf. If it hands work to another goroutine, it takes a Hold for
//     that goroutine before returning, so there is no gap in which the
//     clock could advance.
//   - Sleep(ctx, d) waits d of clock time. If ctx carries a hold from
//     WithHold, Sleep releases it for the duration of the wait and holds
//     again, on the sleeper's behalf, at the instant the timer fires: a
//     sleeper is never "runnable but unheld". Without a hold in ctx, Sleep
//     simply waits.
//
// RealClock implements holds as no-ops.
type Clock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine after d of clock time.
	AfterFunc(d time.Duration, f func()) Timer
	// Sleep blocks for d of clock time or until ctx ends (returning
	// ctx.Err()).
	Sleep(ctx context.Context, d time.Duration) error
	// Hold marks one unit of in-flight work; see the type's comment.
	Hold() (release func())
}

// Timer is a pending AfterFunc call.
type Timer interface {
	// Stop prevents the call if it has not started; it reports whether
	// it did so.
	Stop() bool
}

// RealClock is wall-clock time.
type RealClock struct{}

var _ Clock = RealClock{}

// Now returns time.Now().
func (RealClock) Now() time.Time { return time.Now() }

// AfterFunc wraps time.AfterFunc.
func (RealClock) AfterFunc(d time.Duration, f func()) Timer { return time.AfterFunc(d, f) }

// Sleep waits d or until ctx ends.
func (RealClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Hold is a no-op: real time advances regardless.
func (RealClock) Hold() func() { return noRelease }

func noRelease() {}

// hold is one goroutine's unit of in-flight work. Only its owner touches
// it, except that a timer callback may re-take it for a sleeping owner
// (ordered before the owner wakes by the channel that wakes it).
type hold struct {
	clock   Clock
	release func()
}

type holdKey struct{}

// WithHold takes a hold on c and returns a context carrying it, so that
// Sleep(ctx, ...) (and anything that sleeps on the engine's behalf, such
// as a task handler given that context) releases it while asleep. Call
// release when the work is done.
func WithHold(ctx context.Context, c Clock) (context.Context, func()) {
	h := &hold{clock: c, release: c.Hold()}
	return context.WithValue(ctx, holdKey{}, h), h.drop
}

// holdFrom returns the hold on c carried by ctx, if any.
func holdFrom(ctx context.Context, c Clock) *hold {
	h, _ := ctx.Value(holdKey{}).(*hold)
	if h == nil || h.clock != c {
		return nil
	}
	return h
}

// drop releases the hold if held.
func (h *hold) drop() {
	if h.release != nil {
		r := h.release
		h.release = nil
		r()
	}
}

// take holds the clock (again); it must not be held already.
func (h *hold) take() { h.release = h.clock.Hold() }

// adopt takes over a hold someone else took on this owner's behalf.
func (h *hold) adopt(release func()) {
	if h.release != nil {
		release() // already holding: one is enough
		return
	}
	h.release = release
}
