package simulate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/infra/stack"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/validate"
	"github.com/kaiban/kaiban/workflow/engine"
)

// DayStart is when the simulated day opens: Friday 27 November 2026, 09:00
// in Shenyang.
var DayStart = time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)

// Config describes one simulated day.
type Config struct {
	Applications int
	Clerks       int
	Hours        float64 // length of the submission window
	Seed         uint64
	// Profile is the agencies' behaviour; zero → sim.Realistic() seeded
	// with Seed. Its Seed is always replaced by Seed.
	Profile *sim.Profile
	// Corrections are the corrections model's shares; nil → the
	// documented ones (DefaultCorrectionRates).
	Corrections *CorrectionRates
	// Dir holds the SQLite store; "" → a temporary directory removed at
	// the end.
	Dir    string
	Logger *logrus.Logger // nil → discard
}

// Check reports a configuration the simulation cannot run.
func (c Config) Check() error {
	switch {
	case c.Applications < 1:
		return kaiban.Errorf(kaiban.ErrConfig, "simulate: at least one application is needed")
	case c.Clerks < 1:
		return kaiban.Errorf(kaiban.ErrConfig, "simulate: at least one clerk is needed")
	case c.Hours <= 0 || c.Hours > 24:
		return kaiban.Errorf(kaiban.ErrConfig, "simulate: hours must be in (0, 24]")
	}
	return nil
}

// tailWatchdogEvery is the watchdog's period after dayEnd (watchdog).
const tailWatchdogEvery = 5 * time.Minute

// overtime bounds how long after the submission window the day may run in
// virtual time before the applications still open are reported unfinished.
const overtime = 24 * time.Hour

// dayEnd is when the working day's own work ends: overtime after the
// submission window, and not before noon of the next day, so that
// founders who sign the next morning (founders.go) always do.
func dayEnd(window time.Duration) time.Duration {
	l := DayStart.In(chinaTime)
	noon := time.Date(l.Year(), l.Month(), l.Day()+1, 12, 0, 0, 0, chinaTime)
	return max(window+overtime, noon.Sub(DayStart))
}

// horizon is when the day ends: dayEnd, and with corrections the
// workflow's wait for them later, so that the ones never answered expire
// within the day.
func horizon(window time.Duration, corrections bool) time.Duration {
	h := dayEnd(window)
	if corrections {
		h += correctionWait
	}
	return h
}

// Run simulates the day and returns what happened to every application.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = logrus.New()
		log.Out = io.Discard
	}
	profile := sim.Realistic()
	if cfg.Profile != nil {
		profile = *cfg.Profile
	}
	profile.Seed = cfg.Seed
	profile.StallFor = stallFor
	dir := cfg.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "kaiban-simulate-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	clock := engine.NewVirtualClock(DayStart)
	// The real service, with every hop in-process so the engine's hold on
	// the virtual clock reaches the simulators' latency, and seeded retry
	// jitter so a seed replays the same day.
	d := &day{cfg: cfg, clock: clock, ids: make([]string, cfg.Applications), links: &linkCatcher{}}
	svc, err := stack.Start(ctx, stack.Config{
		DataDir: dir, Profile: profile, AgencyTimeout: agencyTimeout, Clock: clock,
		WatchdogEvery: -1, Logger: log, InProcess: true, JitterSeed: cfg.Seed | 1,
		NewApplicationID: func(time.Time) string { return d.ids[d.next] },
		// The day measures the workflow. Its messages (one per recipient
		// at each of about nine milestones per application) would be rows
		// of the local outbox, SQLite writes a deployment does not make
		// (on AWS they go to SNS and SES), which cost half as much CPU
		// again as the rest of the day (seed 1: 63 s instead of 41 s).
		// Only the founders' links are kept, for the founders to open.
		Notifier: d.links,
		// Nor does it render the company's documents: a bundle is about
		// 165 ms of CPU (5,000 of them, 14 minutes), rendering takes no
		// virtual time, and the documents have tests of their own.
		NoDocuments: true,
	})
	if err != nil {
		return nil, err
	}
	defer svc.Close()
	d.svc = svc
	window := time.Duration(cfg.Hours * float64(time.Hour))
	d.at = arrivals(cfg.Seed, cfg.Applications, window)
	index := make(map[string]int, cfg.Applications)
	for i := range d.ids {
		d.ids[i] = applicationID(cfg.Seed, i, DayStart)
		index[d.ids[i]] = i
	}
	d.room = &clerkRoom{svc: svc, clock: clock, seed: cfg.Seed, start: DayStart, index: index, rates: cfg.correctionRates(), attempts: map[string]int{}}
	d.links.onLink = func(applicationID string, seq int, link string) {
		if i, ok := index[applicationID]; ok {
			d.scheduleFounder(i, seq, link)
		}
	}
	d.links.onCorrection = func(applicationID string) {
		if i, ok := index[applicationID]; ok {
			d.scheduleCorrection(i)
		}
	}
	if err := d.run(ctx, horizon(window, !cfg.correctionRates().Disabled)); err != nil {
		return nil, err
	}
	return d.collect(ctx)
}

// day is one run in progress.
type day struct {
	cfg   Config
	svc   *stack.Stack
	clock *engine.VirtualClock
	room  *clerkRoom
	ids   []string
	at    []time.Duration
	// next is the index of the application being submitted: its ID is
	// ids[next].
	next int
	// links hands on the founders' confirmation links as they are sent;
	// founders counts the people still to act, stats what they did, and
	// waitCtx is the context their work holds the clock with.
	links    *linkCatcher
	waitCtx  context.Context
	founders sync.WaitGroup
	stats    founderStats
	// applicants are the applicants' tokens and corrections.
	applicants applicants

	mu   sync.Mutex
	errs []error
}

func (d *day) fail(err error) {
	d.mu.Lock()
	d.errs = append(d.errs, err)
	d.mu.Unlock()
}

// run submits the day's applications at their arrival times while the
// clerks and the watchdog work, and returns when every execution has ended
// or the horizon is reached.
//
// Every actor's hold on the virtual clock is taken here, before any of them
// starts: otherwise the clock could run ahead while a goroutine has yet to
// be scheduled (first arrivals late, a clerk's first look at the queue
// missed), and the day would depend on the scheduler instead of the seed.
func (d *day) run(ctx context.Context, horizon time.Duration) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var staff sync.WaitGroup
	start := func(f func(ctx context.Context)) {
		hctx, release := engine.WithHold(ctx, d.clock)
		staff.Go(func() {
			defer release()
			f(hctx)
		})
	}
	submitCtx, releaseSubmitter := engine.WithHold(ctx, d.clock)
	for i := range d.cfg.Clerks {
		start(func(ctx context.Context) {
			if err := d.room.work(ctx, i); err != nil {
				d.fail(err)
				cancel()
			}
		})
	}
	start(d.watchdog)
	start(func(ctx context.Context) { d.stopAt(ctx, horizon, cancel) })

	var flights sync.WaitGroup
	d.waitCtx = ctx
	d.submitAll(submitCtx, ctx, &flights)
	releaseSubmitter()
	flights.Wait()
	// A workflow that does not wait for the signatures may end before
	// its founders have acted; the day is not over until they have.
	d.founders.Wait()
	d.applicants.pending.Wait()
	cancel()
	staff.Wait()
	d.mu.Lock()
	defer d.mu.Unlock()
	return errors.Join(d.errs...)
}

// submitAll files each application at its arrival time, holding the clock
// (ctx carries the hold) between arrivals so that none is late, and waits
// on each execution in flights (with waitCtx, which holds nothing).
func (d *day) submitAll(ctx, waitCtx context.Context, flights *sync.WaitGroup) {
	for i, at := range d.at {
		if err := d.clock.Sleep(ctx, DayStart.Add(at).Sub(d.clock.Now())); err != nil {
			return
		}
		arn, err := d.submit(ctx, i)
		if err != nil {
			d.fail(fmt.Errorf("application %d: %w", i, err))
			continue
		}
		flights.Go(func() { _, _ = d.svc.Engine.Wait(waitCtx, arn) })
	}
}

// submit files application i through the application service, as the
// API does, and returns its execution's ARN. Its ID is the day's
// deterministic one (Config.NewApplicationID of the stack): submissions
// are made one at a time, in order.
func (d *day) submit(ctx context.Context, i int) (string, error) {
	d.next = i
	out, err := d.svc.API.Service().Submit(ctx, onestop.SubmitRequest{Body: formFor(d.cfg.Seed, i, d.cfg.correctionRates()), Lang: validate.LangZH})
	if err != nil {
		return "", err
	}
	if out.ID != d.ids[i] {
		return "", fmt.Errorf("submitted as %s, want the day's ID %s", out.ID, d.ids[i])
	}
	d.applicants.setToken(i, out.AccessToken)
	return executionArn(d.svc.StateMachineArn, out.ID), nil
}

// executionArn is the ARN of the execution named name of the state
// machine machineArn.
func executionArn(machineArn, name string) string {
	return strings.Replace(machineArn, ":stateMachine:", ":execution:", 1) + ":" + name
}

// watchdog runs the SLA watchdog every minute of virtual time, as the
// local stack does, holding the clock (ctx carries the hold) while it runs.
// After dayEnd, while the last applications wait days for their
// applicants' corrections, it runs every tailWatchdogEvery, as the
// deployed schedule does (template.yaml): each run reads every paused
// application, and a week of runs every minute would cost more than the
// day itself.
func (d *day) watchdog(ctx context.Context) {
	tail := DayStart.Add(dayEnd(time.Duration(d.cfg.Hours * float64(time.Hour))))
	every := func() time.Duration {
		if d.clock.Now().Before(tail) {
			return time.Minute
		}
		return tailWatchdogEvery
	}
	for d.clock.Sleep(ctx, every()) == nil {
		if _, err := d.svc.Tracks.Watchdog(ctx); err != nil && ctx.Err() == nil {
			d.fail(fmt.Errorf("watchdog: %w", err))
		}
	}
}

// stopAt ends the day at the horizon; applications still open are
// reported unfinished.
func (d *day) stopAt(ctx context.Context, horizon time.Duration, cancel func()) {
	if d.clock.Sleep(ctx, horizon) == nil {
		cancel()
	}
}
