package kaiban

import (
	"context"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The public dashboard is computed from daily aggregates, never from the
// applications themselves: each change that matters (a submission, an
// application ending, a rating, a follow-up closed) adds a few counters
// to the aggregate of its day (China Standard Time), and GET /v1/stats
// reads at most MaxStatsDays of them. Durations are counted in fixed
// histogram buckets (DurationBuckets, log-spaced minutes), so days merge
// by adding and percentiles come from the merged histogram. The maths is
// here; the stores only add counters (Stats).

// MaxStatsDays is the longest window the dashboard reads.
const MaxStatsDays = 90

// Counters are named counts added to a day's aggregate. Names are
// StatsKey strings: letters, digits, '.', '_' and '-'.
type Counters map[string]int64

// DayCounters is one day's aggregate.
type DayCounters struct {
	Day      string // YYYY-MM-DD, China Standard Time
	Counters Counters
}

// Stats is the store part of the dashboard's aggregates, implemented by
// each store beside kaiban.Store.
type Stats interface {
	// AddStats adds c to the aggregate of day (YYYY-MM-DD), creating it
	// when missing: an atomic add per counter, so concurrent writers never
	// lose a count.
	AddStats(ctx context.Context, day string, c Counters) error
	// StatsDays returns the aggregates of the days from..to (inclusive,
	// at most MaxStatsDays), oldest first; days with nothing are absent.
	StatsDays(ctx context.Context, from, to string) ([]DayCounters, error)
}

var statsKeyPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// CheckStats reports ErrInput for a day or counters no store may take.
func CheckStats(day string, c Counters) error {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return Errorf(ErrInput, "stats day %q is not YYYY-MM-DD", day)
	}
	if len(c) > 200 {
		return Errorf(ErrInput, "at most 200 counters at once")
	}
	for k := range c {
		if !statsKeyPattern.MatchString(k) {
			return Errorf(ErrInput, "bad counter name %q", k)
		}
	}
	return nil
}

// CheckStatsRange reports ErrInput for a range StatsDays refuses.
func CheckStatsRange(from, to string) error {
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil || t.Before(f) || t.Sub(f) >= MaxStatsDays*24*time.Hour {
		return Errorf(ErrInput, "stats range %s..%s is not 1–%d days", from, to, MaxStatsDays)
	}
	return nil
}

var statsCST = time.FixedZone("CST", 8*3600)

// StatsDay is the aggregate day of t: its date in China Standard Time.
func StatsDay(t time.Time) string { return t.In(statsCST).Format(time.DateOnly) }

// DurationBuckets are the upper bounds, in minutes, of the duration
// histogram's buckets (about ×1.5 apart); a duration above the last falls
// in one more, open bucket. Never change a bound: stored histograms would
// be read against other bounds.
var DurationBuckets = []float64{1, 2, 3, 5, 7, 10, 15, 20, 30, 45, 60, 90, 120, 180, 240, 360, 480, 720, 1080, 1440, 2160, 2880, 4320, 7200, 10080}

// DurationBucket is the bucket of d.
func DurationBucket(d time.Duration) int {
	m := d.Minutes()
	return sort.SearchFloat64s(DurationBuckets, m) // first bound ≥ m
}

// BucketUpper is the upper bound of bucket i in minutes (+Inf for the
// open bucket).
func BucketUpper(i int) float64 {
	if i >= len(DurationBuckets) {
		return math.Inf(1)
	}
	return DurationBuckets[i]
}

// Counter names. A histogram is "<prefix>.b<i>" per bucket.
const (
	StatSubmitted        = "submitted"
	StatCompleted        = "completed"
	StatRejected         = "rejected"
	StatWithinHalfDay    = "completed.halfday" // completed within HalfWorkingDay of acceptance
	StatNoClerk          = "completed.noclerk" // completed with no clerk task
	StatCompletionHist   = "completion"        // acceptance → completion histogram
	StatFollowUpsClosed  = "followups.closed"
	StatFollowUpsInTime  = "followups.intime"
	statAgencyPrefix     = "agency."
	statReasonPrefix     = "reason."
	statRatingPrefix     = "rating."
	statHistBucketMarker = ".b"
)

// HalfWorkingDay is the promise: completed within 4 hours of acceptance.
const HalfWorkingDay = 4 * time.Hour

func histKey(prefix string, d time.Duration) string {
	return prefix + statHistBucketMarker + strconv.Itoa(DurationBucket(d))
}

// SubmittedCounters are the counters of one submission.
func SubmittedCounters() Counters { return Counters{StatSubmitted: 1} }

// EndedCounters are the counters of app having ended (COMPLETED or
// REJECTED). accepted is its acceptance (AcceptedAt); a completion
// before it (a workflow that does not wait for the signatures) counts
// as zero minutes;
// clerkInvolved says whether any clerk task was opened for it. Each
// track that finished counts for its agency, with its time and whether
// the agency refused it; a rejection counts its reason.
func EndedCounters(app *Application, accepted time.Time, clerkInvolved bool, reason string) Counters {
	c := Counters{}
	switch app.Status {
	case AppCompleted:
		c[StatCompleted] = 1
		end := app.UpdatedAt
		if app.CompletedAt != nil {
			end = *app.CompletedAt
		}
		d := max(0, end.Sub(accepted))
		c[histKey(StatCompletionHist, d)] = 1
		if d <= HalfWorkingDay {
			c[StatWithinHalfDay] = 1
		}
		if !clerkInvolved {
			c[StatNoClerk] = 1
		}
	case AppRejected:
		c[StatRejected] = 1
		if reason = statsKeyPart(reason); reason != "" {
			c[statReasonPrefix+reason] = 1
		}
	default:
		return c
	}
	for _, t := range app.Tracks {
		if t.StartedAt == nil || t.FinishedAt == nil {
			continue
		}
		p := statAgencyPrefix + string(t.Name)
		c[p+".n"]++
		c[histKey(p, t.FinishedAt.Sub(*t.StartedAt))]++
		if t.Status == TrackFailed {
			c[p+".refused"]++
		}
	}
	return c
}

// CorrectionCounters count a correction asked of the applicant, by reason.
func CorrectionCounters(reason string) Counters {
	if reason = statsKeyPart(reason); reason == "" {
		return Counters{}
	}
	return Counters{statReasonPrefix + reason: 1}
}

// RatingCounters are the counters of one rating.
func RatingCounters(score int) Counters {
	return Counters{statRatingPrefix + strconv.Itoa(score): 1}
}

// FollowUpClosedCounters are the counters of a follow-up closed at
// closed, due at deadline.
func FollowUpClosedCounters(closed, deadline time.Time) Counters {
	c := Counters{StatFollowUpsClosed: 1}
	if !closed.After(deadline) {
		c[StatFollowUpsInTime] = 1
	}
	return c
}

// statsKeyPart makes s usable inside a counter name.
func statsKeyPart(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			return r
		}
		return '_'
	}, s)
	if len(s) > 48 {
		s = s[:48]
	}
	return s
}

// CountStats adds c to the aggregate of at's day; a nil s counts nothing.
// The counters are added after the change they count has been written,
// by the one caller that made it (the write that changed the status), so
// a retried step that finds the change done counts nothing again; a
// crash between the two loses the count, never doubles it.
func CountStats(ctx context.Context, s Stats, at time.Time, c Counters) error {
	if s == nil || len(c) == 0 {
		return nil
	}
	return s.AddStats(ctx, StatsDay(at), c)
}

// AcceptedAt is when app was accepted (受理): the last founder's
// signature when cs (its confirmations) are all signed; else, for an
// application without confirmations, the earliest start of a track, or
// its submission when none started.
func AcceptedAt(app *Application, cs []Confirmation) time.Time {
	var last time.Time
	for _, c := range cs {
		if c.State != ConfirmSigned || c.DecidedAt == nil {
			last = time.Time{}
			break
		}
		if c.DecidedAt.After(last) {
			last = *c.DecidedAt
		}
	}
	if !last.IsZero() {
		return last
	}
	at := app.SubmittedAt
	first := true
	for _, t := range app.Tracks {
		if t.StartedAt != nil && (first || t.StartedAt.Before(at)) {
			at, first = *t.StartedAt, false
		}
	}
	return at
}

// ClerkInvolved reports whether the trail shows a clerk task opened for
// the application.
func ClerkInvolved(trail []AuditEvent) bool {
	for _, e := range trail {
		if e.Action == "task.opened" {
			return true
		}
	}
	return false
}
