package simulate

import (
	"context"
	"fmt"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/onestop"
)

// Result is what happened on the day.
type Result struct {
	Config Config
	Apps   []AppResult
	Tasks  []TaskRecord
	// Corrections are the corrections asked for, in the order asked.
	Corrections []CorrectionRecord
	// End is the virtual time at which the last application ended.
	End time.Time
	// Founders is what the founders did, counted over the day.
	Founders FounderCounts
	// Dashboard is GET /v1/stats over the day's dates, from the
	// aggregates the stack kept as the applications changed.
	Dashboard kaiban.Dashboard
}

// FounderCounts counts the founders' attempts on their pages.
type FounderCounts struct {
	IdentityTries  int // identity checks asked for
	IdentityFailed int // answered "not verified" or failed (the agency's failure draws)
	GaveUp         int // people who stopped after three failed checks
	Closed         int // links that answered 404 or 409: the application had ended
}

// readConfirmations fills in the application's founders, acceptance and
// decline from the store, as the status reads them.
func (d *day) readConfirmations(ctx context.Context, a *AppResult) error {
	store, ok := d.svc.Store.(kaiban.Confirmations)
	if !ok {
		return fmt.Errorf("the store keeps no confirmations")
	}
	cs, err := store.ListConfirmations(ctx, a.ID)
	if err != nil {
		return err
	}
	a.Founders = len(cs)
	for _, c := range cs {
		if c.State == kaiban.ConfirmDeclined {
			a.Declined = true
		}
	}
	if at := onestop.AcceptedAt(cs); at != nil {
		a.Accepted = *at
	}
	return nil
}

// collectCorrections copies the corrections into res, marks those that
// expired (never answered, still open in the store, the application
// REJECTED at or after the correction was due) and adds each application's count and paused time.
func (d *day) collectCorrections(ctx context.Context, res *Result) error {
	d.applicants.mu.Lock()
	res.Corrections = append([]CorrectionRecord(nil), d.applicants.records...)
	d.applicants.mu.Unlock()
	corr, _ := d.svc.Store.(kaiban.Corrections)
	for k := range res.Corrections {
		c := &res.Corrections[k]
		a := &res.Apps[c.Application]
		a.Corrections++
		a.Paused += c.Wait()
		if !c.Answered.IsZero() || a.Status != kaiban.AppRejected || corr == nil {
			continue
		}
		stored, err := corr.GetCorrection(ctx, a.ID)
		if err != nil {
			return fmt.Errorf("reading application %d's correction: %w", c.Application, err)
		}
		// Expired, not moot: the application ended when the wait did, not
		// earlier (a clerk refusing another track).
		c.Expired = stored.Status == kaiban.CorrectionOpen && stored.AskedAt.Equal(c.AskedAt) && !a.Rejected.Before(stored.DueAt)
	}
	return nil
}

// AppResult is one application's day.
type AppResult struct {
	Index     int
	ID        string
	Submitted time.Time
	Status    kaiban.AppStatus
	Completed time.Time // zero unless COMPLETED
	Rejected  time.Time // when it was REJECTED; zero unless REJECTED
	// Before is the time from submission to the start of the parallel
	// tracks: identity verification, name check and reservation, credit
	// code (and a name review, if one was needed).
	Before time.Duration
	// Tracks holds, per track that ran, the time from its start to its
	// end, retries and clerk work included.
	Tracks map[kaiban.TrackName]time.Duration
	// ClerkTasks counts the clerk tasks the application needed.
	ClerkTasks int
	// Accepted (受理) is when the last founder signed; zero if someone
	// declined or has not signed.
	Accepted time.Time
	// Founders counts the people who confirm; Declined reports whether
	// one of them declined.
	Founders int
	Declined bool
	// Corrections counts the corrections the application was asked for;
	// Paused is the time it waited for the applicant's answers, by which
	// its deadline moved (kaiban.CorrectionPause); Deadline is the
	// deadline the store holds at the end.
	Corrections int
	Paused      time.Duration
	Deadline    time.Time
}

// Start is where the half-day promise runs from: the acceptance, or the
// submission for an application never accepted.
func (a AppResult) Start() time.Time {
	if a.Accepted.IsZero() {
		return a.Submitted
	}
	return a.Accepted
}

// Done reports whether the application was completed.
func (a AppResult) Done() bool { return a.Status == kaiban.AppCompleted }

// Elapsed is the time from acceptance (Start) to completion: zero unless
// done, and zero for a workflow that completed before the last signature
// (one that does not wait for them).
func (a AppResult) Elapsed() time.Duration {
	if !a.Done() {
		return 0
	}
	return max(0, a.Completed.Sub(a.Start()))
}

// Active is the time from acceptance to completion that counts against
// the half-day promise: Elapsed less the time the application waited for
// the applicant's corrections, as the service moves the deadline.
func (a AppResult) Active() time.Duration {
	return max(0, a.Elapsed()-a.Paused)
}

// WithinDeadline reports whether the application was completed within 4
// hours of acceptance, paused time excluded.
func (a AppResult) WithinDeadline() bool {
	return a.Done() && a.Active() <= kaiban.DeadlineAfterSubmission
}

// FromSubmission is the time from submission to completion (zero unless
// done).
func (a AppResult) FromSubmission() time.Duration {
	if !a.Done() {
		return 0
	}
	return a.Completed.Sub(a.Submitted)
}

// ToAcceptance is the time from submission to acceptance (zero if not
// accepted).
func (a AppResult) ToAcceptance() time.Duration {
	if a.Accepted.IsZero() {
		return 0
	}
	return a.Accepted.Sub(a.Submitted)
}

// TracksBeforeAcceptance reports whether the tracks started before the
// last signature: never, for a workflow that waits for them.
func (a AppResult) TracksBeforeAcceptance() bool {
	return !a.Accepted.IsZero() && len(a.Tracks) > 0 && a.Submitted.Add(a.Before).Before(a.Accepted)
}

// Sequential is the same application done the old way: the same agency
// times one after another instead of in parallel.
func (a AppResult) Sequential() time.Duration {
	d := a.Before
	for _, t := range a.Tracks {
		d += t
	}
	return d
}

// collect reads every application back from the store.
func (d *day) collect(ctx context.Context) (*Result, error) {
	res := &Result{Config: d.cfg, Apps: make([]AppResult, len(d.ids)), End: DayStart}
	// last is when the last application ended, rejections included (an
	// unanswered correction ends its application days after the last
	// completion): the dashboard covers the dates up to it.
	last := DayStart
	for i, id := range d.ids {
		app, err := d.svc.Store.GetApplication(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("reading application %d: %w", i, err)
		}
		a := AppResult{Index: i, ID: id, Submitted: app.SubmittedAt, Status: app.Status, Deadline: app.Deadline, Tracks: map[kaiban.TrackName]time.Duration{}}
		if app.Status == kaiban.AppRejected {
			a.Rejected = app.UpdatedAt
			if a.Rejected.After(last) {
				last = a.Rejected
			}
		}
		if app.CompletedAt != nil && app.Status == kaiban.AppCompleted {
			a.Completed = *app.CompletedAt
			if a.Completed.After(res.End) {
				res.End = a.Completed
			}
		}
		var first time.Time
		for _, t := range app.Tracks {
			if t.StartedAt == nil {
				continue
			}
			if first.IsZero() || t.StartedAt.Before(first) {
				first = *t.StartedAt
			}
			if t.FinishedAt != nil {
				a.Tracks[t.Name] = t.FinishedAt.Sub(*t.StartedAt)
			}
		}
		if !first.IsZero() {
			a.Before = first.Sub(app.SubmittedAt)
		}
		if err := d.readConfirmations(ctx, &a); err != nil {
			return nil, fmt.Errorf("reading application %d's confirmations: %w", i, err)
		}
		res.Apps[i] = a
	}
	d.stats.mu.Lock()
	res.Founders = FounderCounts{IdentityTries: d.stats.identityTries, IdentityFailed: d.stats.identityFailed,
		GaveUp: d.stats.gaveUp, Closed: d.stats.closed}
	d.stats.mu.Unlock()
	d.room.mu.Lock()
	res.Tasks = append([]TaskRecord(nil), d.room.records...)
	d.room.mu.Unlock()
	if err := d.collectCorrections(ctx, res); err != nil {
		return nil, err
	}
	for _, t := range res.Tasks {
		res.Apps[t.Application].ClerkTasks++
		if t.Resolved.After(res.End) {
			res.End = t.Resolved
		}
	}
	stats, ok := d.svc.Store.(kaiban.Stats)
	if !ok {
		return nil, fmt.Errorf("the store keeps no figures")
	}
	if res.End.After(last) {
		last = res.End
	}
	from, to := kaiban.StatsDay(DayStart), kaiban.StatsDay(last)
	days, err := stats.StatsDays(ctx, from, to)
	if err != nil {
		return nil, fmt.Errorf("reading the dashboard's aggregates: %w", err)
	}
	f, _ := time.Parse(time.DateOnly, from)
	t, _ := time.Parse(time.DateOnly, to)
	res.Dashboard = kaiban.Summarize(days, from, to, int(t.Sub(f).Hours()/24)+1)
	return res, nil
}
