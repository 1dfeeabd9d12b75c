package simulate

import (
	"math"
	"slices"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// handoff is the time an applicant lost between two agencies in the old,
// counter-by-counter process: travelling to the next office, taking a
// number, queueing and handing over paper. Half an hour each is a low
// estimate (before the one-stop reforms a hand-off commonly cost a day),
// used only for sequentialWithHandoffsP50Minutes.
const handoff = 30 * time.Minute

// handoffs is how many times the old process changed counter: identity and
// name at market regulation, then six more agencies (seal, tax, social,
// medical, housing fund, bank).
const handoffs = 6

// Summary is summary.json: the day's figures. Field names are a contract
// with the README and the chart.
//
// The half-day promise runs from acceptance (受理, the last founder's
// signature), so withinDeadlinePct and p50Minutes … maxMinutes measure
// from there, less the time the application waited for the applicant's
// corrections (the service moves the deadline by that wait); the time from
// submission to acceptance is the founders' (acceptanceP50Minutes …), and
// submission to completion both together.
type Summary struct {
	Applications int `json:"applications"`
	// WithinDeadlinePct is the share of applications the service could
	// complete (all but those refused for cause or declined by a founder)
	// completed within 4 hours of acceptance.
	WithinDeadlinePct float64 `json:"withinDeadlinePct"`
	// WithinDeadlinePctOfAll counts refused applications as misses too.
	WithinDeadlinePctOfAll float64 `json:"withinDeadlinePctOfAll"`
	P50Minutes             float64 `json:"p50Minutes"`
	P95Minutes             float64 `json:"p95Minutes"`
	P99Minutes             float64 `json:"p99Minutes"`
	MaxMinutes             float64 `json:"maxMinutes"`
	// SequentialP50Minutes is the median of the same applications done
	// one agency after another with the same agency times.
	SequentialP50Minutes             float64            `json:"sequentialP50Minutes"`
	SequentialWithHandoffsP50Minutes float64            `json:"sequentialWithHandoffsP50Minutes"`
	ClerkQueuePeak                   int                `json:"clerkQueuePeak"`
	LongestClerkWaitMinutes          float64            `json:"longestClerkWaitMinutes"`
	Completed                        int                `json:"completed"`
	Rejected                         int                `json:"rejected"`
	Unfinished                       int                `json:"unfinished"`
	ClerkTasks                       int                `json:"clerkTasks"`
	ClerkTasksByKind                 map[string]int     `json:"clerkTasksByKind"`
	ClerkDecisions                   map[string]int     `json:"clerkDecisions"`
	TrackMedianMinutes               map[string]float64 `json:"trackMedianMinutes"`
	BeforeTracksMedianMinutes        float64            `json:"beforeTracksMedianMinutes"`
	Clerks                           int                `json:"clerks"`
	Hours                            float64            `json:"hours"`
	Seed                             uint64             `json:"seed"`
	LastCompletion                   time.Time          `json:"lastCompletion"`

	// DeadlineFrom names the instant the deadline figures measure from.
	DeadlineFrom string `json:"deadlineFrom"`
	// Founders counts the people who confirmed or were asked to.
	Founders int `json:"founders"`
	// Accepted counts applications every founder signed; Declined those
	// a founder declined (REJECTED by a workflow that waits for them).
	Accepted int `json:"accepted"`
	Declined int `json:"declined"`
	// AcceptanceP50Minutes … are the time from submission to acceptance
	// over accepted applications; AcceptedWithin1hPct is the share of
	// them accepted within an hour of submission.
	AcceptanceP50Minutes float64 `json:"acceptanceP50Minutes"`
	AcceptanceP95Minutes float64 `json:"acceptanceP95Minutes"`
	AcceptanceP99Minutes float64 `json:"acceptanceP99Minutes"`
	AcceptanceMaxMinutes float64 `json:"acceptanceMaxMinutes"`
	AcceptedWithin1hPct  float64 `json:"acceptedWithin1hPct"`
	// SubmissionToCompletionP50Minutes and P95 include the founders' time.
	SubmissionToCompletionP50Minutes float64 `json:"submissionToCompletionP50Minutes"`
	SubmissionToCompletionP95Minutes float64 `json:"submissionToCompletionP95Minutes"`
	// TracksBeforeAcceptance counts applications whose tracks started
	// before the last signature: 0 once the workflow waits for them.
	TracksBeforeAcceptance int `json:"tracksBeforeAcceptance"`
	// IdentityChecks counts the founders' identity checks, IdentityRetries
	// those after a failed one; FoundersGaveUp the people who stopped
	// after three failures; LinksClosed links that answered 404 or 409
	// because the application had ended.
	IdentityChecks  int `json:"identityChecks"`
	IdentityRetries int `json:"identityRetries"`
	FoundersGaveUp  int `json:"foundersGaveUp"`
	LinksClosed     int `json:"linksClosed"`

	// CorrectionsAsked counts the corrections (补正) asked of applicants:
	// by an agency's refusal (CorrectionsByAgency, by track) or by a
	// clerk's send-back (CorrectionsByClerk, by clerk, and
	// CorrectionsByClerkTrack, by track). Each was answered, expired
	// unanswered (its application REJECTED and its registrations
	// cancelled), or became moot (the application ended first).
	CorrectionsAsked        int            `json:"correctionsAsked"`
	CorrectionsByAgency     map[string]int `json:"correctionsByAgency"`
	CorrectionsByClerk      map[string]int `json:"correctionsByClerk"`
	CorrectionsByClerkTrack map[string]int `json:"correctionsByClerkTrack"`
	CorrectionsAnswered     int            `json:"correctionsAnswered"`
	CorrectionsExpired      int            `json:"correctionsExpired"`
	CorrectionsMoot         int            `json:"correctionsMoot"`
	// ClerkSendBacksDeferred counts clerks' correct decisions the
	// applicant was not asked yet: the application already had a
	// correction open on another track (a store keeps one per
	// application), so the task went back to a clerk saying so.
	ClerkSendBacksDeferred int `json:"clerkSendBacksDeferred"`
	// CorrectionWaitP50Minutes … are the time from the ask to the
	// applicant's answer, over answered corrections.
	CorrectionWaitP50Minutes float64 `json:"correctionWaitP50Minutes"`
	CorrectionWaitP95Minutes float64 `json:"correctionWaitP95Minutes"`
	CorrectionWaitMaxMinutes float64 `json:"correctionWaitMaxMinutes"`
	// DeadlineMovedP50Minutes … are how far each answer moved its
	// application's deadline (read from the status before and after);
	// DeadlineMovedAsWaited counts the answers that moved it by exactly
	// the wait, as the service defines the pause.
	DeadlineMovedP50Minutes float64 `json:"deadlineMovedP50Minutes"`
	DeadlineMovedP95Minutes float64 `json:"deadlineMovedP95Minutes"`
	DeadlineMovedMaxMinutes float64 `json:"deadlineMovedMaxMinutes"`
	DeadlineMovedAsWaited   int     `json:"deadlineMovedAsWaited"`
	// CorrectedApplications counts the applications asked for at least
	// one correction; CorrectedCompleted those completed (…WithinDeadline:
	// within 4 hours of acceptance, paused time excluded), CorrectedRejected
	// those REJECTED.
	CorrectedApplications            int `json:"correctedApplications"`
	CorrectedCompleted               int `json:"correctedCompleted"`
	CorrectedCompletedWithinDeadline int `json:"correctedCompletedWithinDeadline"`
	CorrectedRejected                int `json:"correctedRejected"`
	// WithinDeadlineOnlyByPause counts completions within the deadline
	// only because the paused time is left out: more than 4 hours on the
	// wall from acceptance. The dashboard's within-half-day share
	// (GET /v1/stats) counts time on the wall, so it counts them late.
	WithinDeadlineOnlyByPause int `json:"withinDeadlineOnlyByPause"`
}

// Summarize computes the day's figures from its result.
func Summarize(r *Result) Summary {
	s := Summary{
		Applications: len(r.Apps), Clerks: r.Config.Clerks, Hours: r.Config.Hours, Seed: r.Config.Seed,
		ClerkTasksByKind: map[string]int{}, ClerkDecisions: map[string]int{}, TrackMedianMinutes: map[string]float64{},
		CorrectionsByAgency: map[string]int{}, CorrectionsByClerk: map[string]int{}, CorrectionsByClerkTrack: map[string]int{},
		LastCompletion: r.End.UTC(), DeadlineFrom: "acceptance",
		IdentityChecks: r.Founders.IdentityTries, IdentityRetries: r.Founders.IdentityFailed - r.Founders.GaveUp,
		FoundersGaveUp: r.Founders.GaveUp, LinksClosed: r.Founders.Closed,
	}
	var elapsed, seq, seqH, before, toAccept, fromSubmission []float64
	perTrack := map[kaiban.TrackName][]float64{}
	within, withinHour, declinedOpen := 0, 0, 0
	for _, a := range r.Apps {
		s.Founders += a.Founders
		if !a.Accepted.IsZero() {
			s.Accepted++
			toAccept = append(toAccept, minutes(a.ToAcceptance()))
			if a.ToAcceptance() <= time.Hour {
				withinHour++
			}
		}
		if a.TracksBeforeAcceptance() {
			s.TracksBeforeAcceptance++
		}
		if a.Declined {
			s.Declined++
			if a.Status != kaiban.AppRejected {
				declinedOpen++
			}
		}
		switch {
		case a.Done() && a.Declined:
			s.Completed++ // by a workflow that did not wait: no promise to measure
		case a.Done():
			s.Completed++
			elapsed = append(elapsed, minutes(a.Active()))
			if a.WithinDeadline() {
				within++
				if a.Elapsed() > kaiban.DeadlineAfterSubmission {
					s.WithinDeadlineOnlyByPause++
				}
			}
			fromSubmission = append(fromSubmission, minutes(a.FromSubmission()))
			seq = append(seq, minutes(a.Sequential()))
			seqH = append(seqH, minutes(a.Sequential()+handoffs*handoff))
			before = append(before, minutes(a.Before))
			for t, d := range a.Tracks {
				perTrack[t] = append(perTrack[t], minutes(d))
			}
		case a.Status == kaiban.AppRejected:
			s.Rejected++
		default:
			s.Unfinished++
		}
	}
	if n := len(r.Apps) - s.Rejected - declinedOpen; n > 0 {
		s.WithinDeadlinePct = round(100 * float64(within) / float64(n))
	}
	s.WithinDeadlinePctOfAll = round(100 * float64(within) / float64(max(1, len(r.Apps))))
	s.P50Minutes, s.P95Minutes, s.P99Minutes = quantile(elapsed, 0.50), quantile(elapsed, 0.95), quantile(elapsed, 0.99)
	s.MaxMinutes = quantile(elapsed, 1)
	s.AcceptanceP50Minutes, s.AcceptanceP95Minutes = quantile(toAccept, 0.50), quantile(toAccept, 0.95)
	s.AcceptanceP99Minutes, s.AcceptanceMaxMinutes = quantile(toAccept, 0.99), quantile(toAccept, 1)
	if s.Accepted > 0 {
		s.AcceptedWithin1hPct = round(100 * float64(withinHour) / float64(s.Accepted))
	}
	s.SubmissionToCompletionP50Minutes = quantile(fromSubmission, 0.50)
	s.SubmissionToCompletionP95Minutes = quantile(fromSubmission, 0.95)
	s.SequentialP50Minutes = quantile(seq, 0.50)
	s.SequentialWithHandoffsP50Minutes = quantile(seqH, 0.50)
	s.BeforeTracksMedianMinutes = quantile(before, 0.50)
	for _, t := range kaiban.Tracks {
		s.TrackMedianMinutes[string(t)] = quantile(perTrack[t], 0.50)
	}
	s.ClerkTasks = len(r.Tasks)
	for _, t := range r.Tasks {
		s.ClerkTasksByKind[string(t.Kind)]++
		s.ClerkDecisions[string(t.Decision)]++
		if w := minutes(t.Claimed.Sub(t.Created)); w > s.LongestClerkWaitMinutes {
			s.LongestClerkWaitMinutes = w
		}
	}
	s.LongestClerkWaitMinutes = round(s.LongestClerkWaitMinutes)
	s.ClerkQueuePeak = queuePeak(r.Tasks)
	summarizeCorrections(r, &s)
	return s
}

// CorrectionsByClerkTotal is the number of corrections clerks asked.
func (s Summary) CorrectionsByClerkTotal() int {
	n := 0
	for _, k := range s.CorrectionsByClerk {
		n += k
	}
	return n
}

// summarizeCorrections fills in the corrections' figures.
func summarizeCorrections(r *Result, s *Summary) {
	var wait, moved []float64
	for _, c := range r.Corrections {
		s.CorrectionsAsked++
		if clerk, ok := strings.CutPrefix(c.AskedBy, "clerk:"); ok {
			s.CorrectionsByClerk[clerk]++
			s.CorrectionsByClerkTrack[string(c.Track)]++
		} else {
			s.CorrectionsByAgency[string(c.Track)]++
		}
		switch {
		case !c.Answered.IsZero():
			s.CorrectionsAnswered++
			wait = append(wait, minutes(c.Wait()))
			moved = append(moved, minutes(c.DeadlineMoved))
			if c.DeadlineMoved == c.Wait() {
				s.DeadlineMovedAsWaited++
			}
		case c.Expired:
			s.CorrectionsExpired++
		default:
			s.CorrectionsMoot++
		}
	}
	s.ClerkSendBacksDeferred = max(0, s.ClerkDecisions[string(kaiban.DecisionCorrect)]-s.CorrectionsByClerkTotal())
	s.CorrectionWaitP50Minutes, s.CorrectionWaitP95Minutes = quantile(wait, 0.50), quantile(wait, 0.95)
	s.CorrectionWaitMaxMinutes = quantile(wait, 1)
	s.DeadlineMovedP50Minutes, s.DeadlineMovedP95Minutes = quantile(moved, 0.50), quantile(moved, 0.95)
	s.DeadlineMovedMaxMinutes = quantile(moved, 1)
	for _, a := range r.Apps {
		if a.Corrections == 0 {
			continue
		}
		s.CorrectedApplications++
		switch {
		case a.Done():
			s.CorrectedCompleted++
			if a.WithinDeadline() {
				s.CorrectedCompletedWithinDeadline++
			}
		case a.Status == kaiban.AppRejected:
			s.CorrectedRejected++
		}
	}
}

// queuePeak is the largest number of tasks waiting for a clerk at once:
// a task waits from its creation until a clerk claims it.
func queuePeak(tasks []TaskRecord) int {
	type edge struct {
		at time.Time
		d  int
	}
	edges := make([]edge, 0, 2*len(tasks))
	for _, t := range tasks {
		edges = append(edges, edge{t.Created, +1}, edge{t.Claimed, -1})
	}
	// At equal instants a claim comes before a creation: a task claimed
	// the moment another appears never waited alongside it.
	slices.SortFunc(edges, func(a, b edge) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return a.d - b.d
	})
	cur, peak := 0, 0
	for _, e := range edges {
		cur += e.d
		peak = max(peak, cur)
	}
	return peak
}

// quantile returns the q-quantile of xs (nearest rank), rounded to 0.01;
// 0 for no data.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return round(s[min(max(i, 0), len(s)-1)])
}

func minutes(d time.Duration) float64 { return d.Minutes() }

func round(x float64) float64 { return math.Round(x*100) / 100 }
