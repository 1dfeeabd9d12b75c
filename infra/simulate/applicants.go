package simulate

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/validate"
	"github.com/kaiban/kaiban/workflow/engine"
)

// correctionWait bounds how long the workflow waits for a correction (the
// definition's AskApplicant and SendBack states wait at most 7 days, 5
// working days and a weekend); the day runs that much longer, with a
// margin, so that unanswered corrections expire within it.
const correctionWait = 10 * 24 * time.Hour

// CorrectionRecord is one correction as the applicant lived it.
type CorrectionRecord struct {
	Application int
	Track       kaiban.TrackName
	AskedBy     string // "agency:<track>" or "clerk:<sub>"
	Reason      string
	AskedAt     time.Time
	// Answered is when the applicant's correction was accepted; zero if
	// it never was.
	Answered time.Time
	// DeadlineMoved is how far the answer moved the application's
	// deadline, read from the status before and after.
	DeadlineMoved time.Duration
	// Expired reports an unanswered correction whose application ended
	// REJECTED with it still open, once it was due (filled in by
	// collect).
	Expired bool
}

// Wait is the time the application waited for the applicant: zero if
// the correction was never answered.
func (c CorrectionRecord) Wait() time.Duration {
	if c.Answered.IsZero() {
		return 0
	}
	return c.Answered.Sub(c.AskedAt)
}

// applicants are the applicants' side of the day: the access tokens the
// submissions returned, and the corrections they were asked for.
type applicants struct {
	mu      sync.Mutex
	tokens  map[int]string
	records []CorrectionRecord
	pending sync.WaitGroup // answers still to give
}

func (a *applicants) token(i int) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.tokens[i]
}

func (a *applicants) setToken(i int, tok string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.tokens == nil {
		a.tokens = map[int]string{}
	}
	a.tokens[i] = tok
}

// add records a new correction and returns its index and how many the
// application had before it.
func (a *applicants) add(r CorrectionRecord) (k, before int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, o := range a.records {
		if o.Application == r.Application {
			before++
		}
	}
	a.records = append(a.records, r)
	return len(a.records) - 1, before
}

func (a *applicants) update(k int, f func(*CorrectionRecord)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f(&a.records[k])
}

// answerPlan draws when the applicant answers correction n of application
// i, asked at asked: ok is false for a correction never answered.
func answerPlan(rates CorrectionRates, seed uint64, i, n int, asked time.Time) (after time.Duration, ok bool) {
	r := rng(seed, i, "correction-"+strconv.Itoa(n))
	switch u := r.Float64(); {
	case u < rates.Never:
		return 0, false
	case u < rates.Never+rates.NextDay:
		after = nextMorning(asked, r).Sub(asked)
	default:
		after = correctionAnswer.Sample(r)
	}
	if at := asked.Add(after); atNight(at) {
		after = nextMorning(at.Add(-morningFrom*time.Minute), r).Sub(asked)
	}
	return after, true
}

// scheduleCorrection records the correction application i was just asked
// for and sets a timer at the moment its applicant answers. Called while
// the workflow step that asks holds the clock, so no answer is late.
func (d *day) scheduleCorrection(i int) {
	ctx := d.waitCtx
	id := d.ids[i]
	corr, ok := d.svc.Store.(kaiban.Corrections)
	if !ok {
		d.fail(fmt.Errorf("application %d: the store keeps no corrections", i))
		return
	}
	c, err := corr.GetCorrection(ctx, id)
	if err != nil {
		d.fail(fmt.Errorf("application %d: reading its correction: %w", i, err))
		return
	}
	k, n := d.applicants.add(CorrectionRecord{Application: i, Track: c.Track, AskedBy: c.AskedBy, Reason: c.ReasonCode, AskedAt: c.AskedAt})
	after, answers := answerPlan(d.cfg.correctionRates(), d.cfg.Seed, i, n, d.clock.Now())
	if !answers {
		return
	}
	d.applicants.pending.Add(1)
	d.clock.AfterFunc(after, func() {
		hctx, release := engine.WithHold(ctx, d.clock)
		go func() {
			defer d.applicants.pending.Done()
			defer release()
			if hctx.Err() != nil {
				return
			}
			if err := d.correct(hctx, i, k); err != nil {
				d.fail(fmt.Errorf("application %d, correction: %w", i, err))
			}
		}()
	})
}

// correct is the applicant on the status page: reads what is asked and
// sends a change that removes the problem, through the service's use
// cases as the page calls them, and records the wait and how far the
// deadline moved.
func (d *day) correct(ctx context.Context, i, k int) error {
	svc := d.svc.API.Service()
	id, tok := d.ids[i], d.applicants.token(i)
	v, err := svc.Status(ctx, id, tok, validate.LangZH)
	if err != nil {
		return err
	}
	if v.Correction == nil {
		return nil // the application ended (another track refused) first
	}
	changes := map[string]json.RawMessage{}
	for _, f := range v.Correction.Fields {
		val, ok := correctedValue(f, v.Correction.Current[f])
		if !ok {
			return fmt.Errorf("asked to correct %s, which no applicant of the day is asked for", f)
		}
		changes[f], _ = json.Marshal(val)
	}
	now := d.clock.Now()
	if _, err := svc.Correct(ctx, id, tok, onestop.CorrectionRequest{Changes: changes}, validate.LangZH); err != nil {
		if kaiban.IsName(err, kaiban.ErrNotAwaitingCorrection) {
			return nil
		}
		return err
	}
	app, err := d.svc.Store.GetApplication(ctx, id)
	if err != nil {
		return err
	}
	d.applicants.update(k, func(c *CorrectionRecord) {
		c.Answered, c.DeadlineMoved = now, app.Deadline.Sub(v.Deadline)
	})
	return nil
}
