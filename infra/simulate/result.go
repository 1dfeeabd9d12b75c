package simulate

import (
	"context"
	"fmt"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Result is what happened on the day.
type Result struct {
	Config Config
	Apps   []AppResult
	Tasks  []TaskRecord
	// End is the virtual time at which the last application ended.
	End time.Time
}

// AppResult is one application's day.
type AppResult struct {
	Index     int
	ID        string
	Submitted time.Time
	Status    kaiban.AppStatus
	Completed time.Time // zero unless COMPLETED
	// Before is the time from submission to the start of the parallel
	// tracks: identity verification, name check and reservation, credit
	// code (and a name review, if one was needed).
	Before time.Duration
	// Tracks holds, per track that ran, the time from its start to its
	// end, retries and clerk work included.
	Tracks map[kaiban.TrackName]time.Duration
	// ClerkTasks counts the clerk tasks the application needed.
	ClerkTasks int
}

// Done reports whether the application was completed.
func (a AppResult) Done() bool { return a.Status == kaiban.AppCompleted }

// Elapsed is the time from submission to completion (zero unless done).
func (a AppResult) Elapsed() time.Duration {
	if !a.Done() {
		return 0
	}
	return a.Completed.Sub(a.Submitted)
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
	for i, id := range d.ids {
		app, err := d.svc.Store.GetApplication(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("reading application %d: %w", i, err)
		}
		a := AppResult{Index: i, ID: id, Submitted: app.SubmittedAt, Status: app.Status, Tracks: map[kaiban.TrackName]time.Duration{}}
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
		res.Apps[i] = a
	}
	d.room.mu.Lock()
	res.Tasks = append([]TaskRecord(nil), d.room.records...)
	d.room.mu.Unlock()
	for _, t := range res.Tasks {
		res.Apps[t.Application].ClerkTasks++
		if t.Resolved.After(res.End) {
			res.End = t.Resolved
		}
	}
	return res, nil
}
