package simulate

import (
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// The clerk model. No bureau publishes handling times for exception work,
// so these are assumptions, stated so they can be argued with:
//
//   - Name review (NAME_REVIEW): the clerk compares the name with the
//     similar registered names the check returned and decides; median
//     5 min, p95 12 min. 95 % are approved (the similarity is incidental),
//     5 % refused (too close to an existing trade mark or company).
//   - Track exception (TRACK_EXCEPTION): the clerk reads the agency's
//     reason and phones the agency or the applicant; median 8 min, p95
//     20 min, the longest task of the day. Retries that ran out
//     (Agency.Unavailable, timeouts) are always sent back for another try:
//     the cause was the agency's, not the application's. A rejection
//     (Agency.Rejected) is retried after the clerk has the record fixed in
//     90 % of cases and refused in 10 % (a genuine obstacle, such as an
//     outstanding tax debt of the legal representative); a third exception
//     on the same track is refused. A rejection that names the
//     applicant's own choice is sent back for correction instead of being
//     retried in a share of cases (CorrectionRates.Clerk in corrections.go).
//   - Deadline chase (DEADLINE_RISK, opened by the watchdog 30 minutes
//     before an application's deadline): the clerk checks where it stands
//     and chases the agency; median 3 min, p95 6 min; acknowledged.
//
// Clerks work the shared queue in the service's order (priority, then
// deadline, then age), one task at a time, through the clerk API: list,
// claim, work, resolve. An idle clerk looks at the queue every pollEvery;
// after resolving a task, they take a moment (wrapUp) to close it and look
// again (every nightPollEvery at night, on call). They work until the
// queue is empty, past the end of the day if need be (overtime is
// reported as the day's end).
var (
	nameReviewTime = sim.Latency{Median: 5 * time.Minute, P95: 12 * time.Minute}
	exceptionTime  = sim.Latency{Median: 8 * time.Minute, P95: 20 * time.Minute}
	chaseTime      = sim.Latency{Median: 3 * time.Minute, P95: 6 * time.Minute}
)

const (
	nameRefusalRate      = 0.05
	rejectionRefusalRate = 0.10
	maxClerkRetries      = 2 // exceptions on one track the clerk sends back before refusing
	pollEvery            = 30 * time.Second
	nightPollEvery       = 10 * time.Minute // on call, 20:00–07:30
	wrapUp               = 20 * time.Second
)

// decide returns what a clerk does with a task and how long it takes. n
// counts earlier tasks of the same application and track (0 for the
// first); correctShare is the share of the track's rejections the clerk
// sends back to the applicant (0: never); draw and u are that task's own
// generator.
func decide(kind kaiban.TaskKind, errorName string, n int, correctShare float64, draw func(sim.Latency) time.Duration, u func() float64) (kaiban.Decision, time.Duration) {
	switch kind {
	case kaiban.TaskNameReview:
		d := draw(nameReviewTime)
		if u() < nameRefusalRate {
			return kaiban.DecisionReject, d
		}
		return kaiban.DecisionComplete, d
	case kaiban.TaskDeadlineRisk:
		return kaiban.DecisionAcknowledge, draw(chaseTime)
	}
	d := draw(exceptionTime)
	refuse := u() < rejectionRefusalRate
	switch {
	case n >= maxClerkRetries:
		return kaiban.DecisionReject, d
	case errorName == kaiban.ErrAgencyRejected && refuse:
		return kaiban.DecisionReject, d
	case errorName == kaiban.ErrAgencyRejected && correctShare > 0 && u() < correctShare:
		return kaiban.DecisionCorrect, d
	}
	return kaiban.DecisionRetry, d
}
