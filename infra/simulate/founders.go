package simulate

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/notify"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/validate"
	"github.com/kaiban/kaiban/workflow/engine"
)

// The founders' model: when each person named in the form opens the link
// of their SMS, verifies their identity and signs. No platform publishes
// these times, so they are assumptions, stated so they can be argued with:
//
//   - The submitter (the legal representative, person 0, who filled the
//     form) has the phone in hand: opens within minutes, median 1 min,
//     p95 5 min.
//   - Everyone else gets the SMS at work, during office hours: 72 % open it
//     within minutes (median 4 min, p95 20 min: between two tasks), 22 %
//     later the same day (median 1.5 h, p95 5 h: after a meeting, on the
//     way home), 6 % only the next morning (uniform 07:30–10:30: they saw
//     it late, or wanted to talk it over first).
//   - Nobody acts at night: an opening drawn between 22:00 and 07:30 moves
//     to the next morning (uniform 07:30–10:30).
//   - After opening: the identity check (the identity agency's own
//     latency and failure draws, a new draw per attempt), reading the
//     company, roles and documents (median 1.5 min, p95 5 min), then the
//     decision. A failed or erroring check is tried again after a moment
//     (median 1 min, p95 3 min), at most three times; after that the
//     person gives up for the day.
//   - 0.3 % of people decline (about 1 % of four-person applications),
//     with a reason: a contribution or a role they did not agree to.
//   - Everyone else signs within the day or the next morning: the 3-day
//     window and the 30-minute reminder exist for people who do not, which
//     a one-day run cannot show.
var (
	submitterOpens = sim.Latency{Median: time.Minute, P95: 5 * time.Minute}
	promptOpens    = sim.Latency{Median: 4 * time.Minute, P95: 20 * time.Minute}
	laterOpens     = sim.Latency{Median: 90 * time.Minute, P95: 5 * time.Hour}
	readingTime    = sim.Latency{Median: 90 * time.Second, P95: 5 * time.Minute}
	retryAfter     = sim.Latency{Median: time.Minute, P95: 3 * time.Minute}
)

const (
	laterShare       = 0.22
	overnightShare   = 0.06
	declineRate      = 0.003
	maxIdentityTries = 3
	// The waking day in Shenyang, as minutes after midnight; mornings
	// open uniformly in [morningFrom, morningFrom+morningSpread).
	nightFrom     = 22 * 60
	morningFrom   = 7*60 + 30
	morningSpread = 3 * time.Hour
)

// declineReasons are what a person who declines writes.
var declineReasons = []string{"出资比例与商定的不一致", "未同意担任该职务", "公司名称需再商量"}

// founderPlan is what one person will do, drawn at submission.
type founderPlan struct {
	opensAfter time.Duration // from the SMS
	decline    bool
	reason     string
	r          *rand.Rand // the person's own generator for what follows
}

// planFounder draws person seq of application i, whose SMS arrived at
// sent.
func planFounder(seed uint64, i, seq int, sent time.Time) founderPlan {
	r := rng(seed, i, "founder-"+strconv.Itoa(seq))
	var after time.Duration
	switch u := r.Float64(); {
	case seq == 0:
		after = submitterOpens.Sample(r)
	case u < overnightShare:
		after = nextMorning(sent, r).Sub(sent)
	case u < overnightShare+laterShare:
		after = laterOpens.Sample(r)
	default:
		after = promptOpens.Sample(r)
	}
	if at := sent.Add(after); atNight(at) {
		after = nextMorning(at.Add(-morningFrom*time.Minute), r).Sub(sent)
	}
	p := founderPlan{opensAfter: after, r: r}
	if r.Float64() < declineRate {
		p.decline, p.reason = true, declineReasons[r.IntN(len(declineReasons))]
	}
	return p
}

// atNight reports whether t is between nightFrom and morningFrom in
// Shenyang.
func atNight(t time.Time) bool {
	l := t.In(chinaTime)
	m := l.Hour()*60 + l.Minute()
	return m >= nightFrom || m < morningFrom
}

// nextMorning is a uniform instant of the morning after t's day (in
// Shenyang).
func nextMorning(t time.Time, r *rand.Rand) time.Time {
	l := t.In(chinaTime)
	day := time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, chinaTime)
	return day.Add(morningFrom*time.Minute + time.Duration(r.Int64N(int64(morningSpread))))
}

// linkCatcher is the day's notifier: it hands each founder's
// confirmation link (the SMS of kind "confirm") to onLink as it is sent,
// with the person's order in the application, and sends nothing else (see
// the day's stack.Config). The workflow sends the links once the articles
// and the shareholders' decision are issued, so founders are scheduled
// then, not at the submission.
type linkCatcher struct {
	mu     sync.Mutex
	seen   map[string]bool // message keys handed on: a resent link is one person
	sent   map[string]int  // application ID → links handed on (the next person's order)
	onLink func(applicationID string, seq int, link string)
	// onCorrection is handed each correction the applicant is asked for
	// (the SMS of kind correction_required, once per correction).
	onCorrection func(applicationID string)
}

var _ kaiban.Notifier = (*linkCatcher)(nil)

// Send implements kaiban.Notifier.
func (c *linkCatcher) Send(_ context.Context, m kaiban.Message) error {
	if m.Channel != kaiban.ChannelSMS {
		return nil
	}
	if m.Kind == string(notify.CorrectionRequired) {
		c.correction(m)
		return nil
	}
	if m.Kind != "confirm" {
		return nil
	}
	c.mu.Lock()
	c.init()
	if c.seen[m.Key] {
		c.mu.Unlock()
		return nil
	}
	c.seen[m.Key] = true
	seq := c.sent[m.ApplicationID]
	c.sent[m.ApplicationID]++
	on := c.onLink
	c.mu.Unlock()
	if on != nil {
		on(m.ApplicationID, seq, m.Link)
	}
	return nil
}

func (c *linkCatcher) init() {
	if c.seen == nil {
		c.seen, c.sent = map[string]bool{}, map[string]int{}
	}
}

// correction hands on a correction's SMS once: the legal representative
// and the liaison each get one (the key's last two parts are the channel
// and the recipient).
func (c *linkCatcher) correction(m kaiban.Message) {
	key := m.Key
	for range 2 {
		if j := strings.LastIndex(key, "/"); j >= 0 {
			key = key[:j]
		}
	}
	c.mu.Lock()
	c.init()
	seen := c.seen[key]
	c.seen[key] = true
	on := c.onCorrection
	c.mu.Unlock()
	if !seen && on != nil {
		on(m.ApplicationID)
	}
}

// founderStats counts what the founders did.
type founderStats struct {
	mu             sync.Mutex
	identityTries  int // identity checks that reached the service
	identityFailed int // checks answered "not verified" or with an error
	gaveUp         int // people who stopped after maxIdentityTries
	closed         int // links that answered 404/409 (the application ended first)
}

func (s *founderStats) add(f func(*founderStats)) {
	s.mu.Lock()
	f(s)
	s.mu.Unlock()
}

// scheduleFounder sets a timer at the moment person seq of application
// i opens the link they were just sent. Called while the workflow step
// that sends it holds the clock, so no founder is late.
func (d *day) scheduleFounder(i, seq int, link string) {
	ctx := d.waitCtx
	_, token, _ := strings.Cut(link, "#")
	p := planFounder(d.cfg.Seed, i, seq, d.clock.Now())
	d.founders.Add(1)
	d.clock.AfterFunc(p.opensAfter, func() {
		// The timer's callback runs under the clock's own hold; the
		// person's work holds it through ctx, which their calls (the
		// identity agency's latency) release while they sleep.
		hctx, release := engine.WithHold(ctx, d.clock)
		go func() {
			defer d.founders.Done()
			defer release()
			if hctx.Err() != nil {
				return
			}
			if err := d.confirm(hctx, token, p); err != nil {
				d.fail(fmt.Errorf("application %d, person %d: %w", i, seq, err))
			}
		}()
	})
}

// confirm is one person on their confirmation page, through the service's
// use cases as the page calls them: open, verify, read, decide.
func (d *day) confirm(ctx context.Context, token string, p founderPlan) error {
	svc := d.svc.API.Service()
	closed := func(err error) bool {
		if kaiban.IsName(err, kaiban.ErrNotFound) || kaiban.IsName(err, kaiban.ErrConfirmationDecided) {
			d.stats.add(func(s *founderStats) { s.closed++ })
			return true
		}
		return false
	}
	if _, err := svc.Confirmation(ctx, token, validate.LangZH); err != nil {
		if closed(err) {
			return nil
		}
		return err
	}
	for try := 1; ; try++ {
		d.stats.add(func(s *founderStats) { s.identityTries++ })
		r, err := svc.VerifyIdentity(ctx, token, onestop.IdentityInput{Liveness: &onestop.Liveness{Passed: true}}, validate.LangZH)
		if err != nil && closed(err) {
			return nil
		}
		if err == nil && r.Verified {
			break
		}
		d.stats.add(func(s *founderStats) { s.identityFailed++ })
		if try == maxIdentityTries {
			d.stats.add(func(s *founderStats) { s.gaveUp++ })
			return nil
		}
		if err := d.clock.Sleep(ctx, retryAfter.Sample(p.r)); err != nil {
			return nil // the day ended
		}
	}
	if err := d.clock.Sleep(ctx, readingTime.Sample(p.r)); err != nil {
		return nil
	}
	sign := !p.decline
	if _, err := svc.Decide(ctx, token, onestop.DecisionInput{Sign: &sign, Reason: p.reason}, validate.LangZH); err != nil && !closed(err) {
		return err
	}
	return nil
}
