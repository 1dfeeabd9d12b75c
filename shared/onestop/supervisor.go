package onestop

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// SupervisorView is the supervisor's picture of the hall: what waits, who
// works on what, what is late and which applicants are awaited.
type SupervisorView struct {
	AsOf time.Time `json:"asOf"`
	// DayStart is the start of "today" (China time) for the clerks'
	// counts.
	DayStart time.Time `json:"dayStart"`
	// Queue is the open (unclaimed) tasks, least time left first.
	Queue []SupervisedTask `json:"queue"`
	// Clerks is each clerk's tasks in hand (claimed now) and resolved
	// today, busiest first.
	Clerks []ClerkLoad `json:"clerks"`
	// Overdue is the open and claimed tasks past their deadline, latest
	// first.
	Overdue []SupervisedTask `json:"overdue"`
	// Corrections is the applications sent back to their applicants
	// (NEEDS_CORRECTION), longest waiting first.
	Corrections []CorrectionWait `json:"corrections"`
	// Partial: a list reached its limit (kaiban.MaxListLimit tasks per
	// status, kaiban.DefaultActivityLimit resolutions), so counts may be
	// low.
	Partial bool `json:"partial"`
}

// SupervisedTask is a task in the supervisor's lists.
type SupervisedTask struct {
	ID            string            `json:"id"`
	ApplicationID string            `json:"applicationId"`
	Track         string            `json:"track"`
	Kind          kaiban.TaskKind   `json:"kind"`
	Status        kaiban.TaskStatus `json:"status"`
	Deadline      time.Time         `json:"deadline"`
	ClaimedBy     string            `json:"claimedBy,omitempty"`
	// TimeLeftSeconds is deadline − now: negative once it has passed.
	TimeLeftSeconds int64 `json:"timeLeftSeconds"`
}

// ClerkLoad is one clerk's work.
type ClerkLoad struct {
	Clerk         string `json:"clerk"`
	Claimed       int    `json:"claimed"`
	ResolvedToday int    `json:"resolvedToday"`
}

// CorrectionWait is an application waiting for its applicant's
// correction: since the correction was asked (its askedAt, the moment the
// half-day clock stopped; later changes to the application, such as other
// tracks finishing, do not move it), for how long, and until when the
// applicant may correct (DueAt, the moment the wait expires and the
// application is rejected).
type CorrectionWait struct {
	ApplicationID  string     `json:"applicationId"`
	Since          time.Time  `json:"since"`
	WaitingSeconds int64      `json:"waitingSeconds"`
	Deadline       time.Time  `json:"deadline"`
	DueAt          *time.Time `json:"dueAt,omitempty"`
}

// farFuture bounds the listing of applications waiting for correction:
// every one of them, whatever its (paused) deadline.
var farFuture = time.Date(2199, 1, 1, 0, 0, 0, 0, time.UTC)

// Supervisor answers the supervisor's view to a clerk in the supervisors
// group (kaiban.ErrForbidden otherwise). Every list is read through an
// index: the queue by status, the day's resolutions by time
// (kaiban.TaskActivity), the corrections by status among the open
// applications.
func (s *Service) Supervisor(ctx context.Context, clerk ClerkIdentity) (SupervisorView, error) {
	if !clerk.Supervisor() {
		return SupervisorView{}, kaiban.Errorf(kaiban.ErrForbidden, "not in the supervisors group")
	}
	if s.activity == nil {
		return SupervisorView{}, kaiban.Errorf(kaiban.ErrConfig, "the store cannot list the clerks' activity")
	}
	now := s.now()
	y, m, d := now.In(chinaTime).Date()
	v := SupervisorView{AsOf: now, DayStart: time.Date(y, m, d, 0, 0, 0, 0, chinaTime),
		Queue: []SupervisedTask{}, Clerks: []ClerkLoad{}, Overdue: []SupervisedTask{}, Corrections: []CorrectionWait{}}

	open, err := s.store.ListClerkTasks(ctx, kaiban.TaskFilter{Status: kaiban.TaskOpen, Limit: kaiban.MaxListLimit})
	if err != nil {
		return SupervisorView{}, err
	}
	claimed, err := s.store.ListClerkTasks(ctx, kaiban.TaskFilter{Status: kaiban.TaskClaimed, Limit: kaiban.MaxListLimit})
	if err != nil {
		return SupervisorView{}, err
	}
	resolved, err := s.activity.ResolvedTasksBetween(ctx, v.DayStart, now.Add(time.Nanosecond), kaiban.DefaultActivityLimit)
	if err != nil {
		return SupervisorView{}, err
	}
	waiting, err := s.store.ListByStatus(ctx, kaiban.StatusQuery{Status: kaiban.AppNeedsCorrection, DeadlineBefore: farFuture, Limit: kaiban.MaxListLimit})
	if err != nil {
		return SupervisorView{}, err
	}
	v.Partial = len(open) == kaiban.MaxListLimit || len(claimed) == kaiban.MaxListLimit ||
		len(resolved) == kaiban.DefaultActivityLimit || len(waiting) == kaiban.MaxListLimit

	for _, t := range open {
		v.Queue = append(v.Queue, supervised(t, now))
	}
	slices.SortStableFunc(v.Queue, func(a, b SupervisedTask) int { return cmp.Compare(a.TimeLeftSeconds, b.TimeLeftSeconds) })

	loads := map[string]*ClerkLoad{}
	load := func(c string) *ClerkLoad {
		if loads[c] == nil {
			loads[c] = &ClerkLoad{Clerk: c}
		}
		return loads[c]
	}
	for _, t := range claimed {
		load(t.ClaimedBy).Claimed++
	}
	for _, t := range resolved {
		load(t.ResolvedBy).ResolvedToday++
	}
	for _, l := range loads {
		v.Clerks = append(v.Clerks, *l)
	}
	slices.SortFunc(v.Clerks, func(a, b ClerkLoad) int {
		return cmp.Or(cmp.Compare(b.Claimed+b.ResolvedToday, a.Claimed+a.ResolvedToday), cmp.Compare(a.Clerk, b.Clerk))
	})

	for _, t := range slices.Concat(open, claimed) {
		if t.Deadline.Before(now) {
			v.Overdue = append(v.Overdue, supervised(t, now))
		}
	}
	slices.SortStableFunc(v.Overdue, func(a, b SupervisedTask) int { return cmp.Compare(a.TimeLeftSeconds, b.TimeLeftSeconds) })

	for _, a := range waiting {
		w, err := s.correctionWait(ctx, a, now)
		if err != nil {
			return SupervisorView{}, err
		}
		v.Corrections = append(v.Corrections, w)
	}
	slices.SortStableFunc(v.Corrections, func(a, b CorrectionWait) int { return cmp.Compare(b.WaitingSeconds, a.WaitingSeconds) })
	return v, nil
}

// correctionWait is app's wait for its applicant: since its open
// correction was asked (one key read per application), or since its last
// change when the store keeps no correction for it.
func (s *Service) correctionWait(ctx context.Context, app kaiban.Application, now time.Time) (CorrectionWait, error) {
	w := CorrectionWait{ApplicationID: app.ID, Since: app.UpdatedAt, Deadline: app.Deadline}
	if s.corrections != nil {
		c, err := s.corrections.GetCorrection(ctx, app.ID)
		switch {
		case err == nil && c.Status == kaiban.CorrectionOpen:
			due := c.DueAt
			w.Since, w.DueAt = c.AskedAt, &due
		case err != nil && !kaiban.IsName(err, kaiban.ErrNotFound):
			return CorrectionWait{}, err
		}
	}
	w.WaitingSeconds = max(0, int64(now.Sub(w.Since)/time.Second))
	return w, nil
}

func supervised(t kaiban.ClerkTask, now time.Time) SupervisedTask {
	return SupervisedTask{ID: t.ID, ApplicationID: t.ApplicationID, Track: t.Track, Kind: t.Kind, Status: t.Status,
		Deadline: t.Deadline, ClaimedBy: t.ClaimedBy, TimeLeftSeconds: int64(t.Deadline.Sub(now) / time.Second)}
}
