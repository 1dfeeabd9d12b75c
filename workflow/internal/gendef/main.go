// Command gendef writes workflow/onestop.asl.json and the regions of
// template.yaml that list the step functions, both from tracks.Steps. The
// track branches share one shape (run with retries, escalate to a clerk,
// act on the clerk's decision), so they are generated rather than copied
// by hand, and so are the functions, log groups, substitutions and
// invoke permissions that follow from the catalog.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/docissue"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/tracks"
	"github.com/kaiban/kaiban/shared/workdays"
)

func main() {
	out := flag.String("o", "", "definition output file (default stdout)")
	template := flag.String("template", "", "template.yaml whose generated regions to rewrite (default none)")
	flag.Parse()
	if err := run(*out, *template, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gendef:", err)
		os.Exit(1)
	}
}

func run(path, template string, stdout io.Writer) error {
	b, err := Definition()
	if err != nil {
		return err
	}
	if path == "" {
		_, err = stdout.Write(b)
	} else {
		err = os.WriteFile(path, b, 0o644)
	}
	if err != nil || template == "" {
		return err
	}
	src, err := os.ReadFile(template)
	if err != nil {
		return err
	}
	t, err := Template(src)
	if err != nil {
		return err
	}
	if bytes.Equal(t, src) {
		return nil
	}
	return os.WriteFile(template, t, 0o644)
}

// kv is one member of an ordered JSON object, so the generated file reads
// in the order people expect (Type first, Next/End last).
type kv struct {
	k string
	v any
}

type obj []kv

func (o obj) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(m.k)
		buf.Write(k)
		buf.WriteByte(':')
		v, err := marshal(m.v)
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// track is one of the parallel registrations, as tracks.Steps lists it.
type track struct {
	name   string // the track name stored and shown (kaiban.TrackName)
	state  string // the state-name prefix: the track name, capitalised
	fnSubs string // the DefinitionSubstitutions key of its function
}

// trackBranches returns the catalog's tracks, in its order.
func trackBranches() []track {
	var out []track
	for _, st := range tracks.TrackSteps() {
		name := string(st.Track)
		out = append(out, track{name: name, state: strings.ToUpper(name[:1]) + name[1:], fnSubs: st.ArnPlaceholder()})
	}
	return out
}

// arn is the placeholder of the step function called name.
func arn(name string) string {
	st, ok := tracks.StepNamed(name)
	if !ok {
		panic("gendef: tracks.Steps has no step " + name)
	}
	return st.ArnPlaceholder()
}

// Timing, in seconds. Transient agency failures are retried with
// exponential backoff and full jitter (2, 4, 8, 16, 32 s caps, at most 60 s),
// about two minutes in all, before a clerk is asked; a clerk has a working
// day to answer an escalation.
const (
	taskTimeout   = 120
	retryInterval = 2
	retryAttempts = 5
	retryBackoff  = 2.0
	retryMaxDelay = 60
	clerkTimeout  = 8 * 3600
)

// executionTimeout outlasts the registrations (3 days), the founders'
// signatures and the longest wait for a correction.
var executionTimeout = 3*24*3600 + confirmWindow + maxCorrectionWait

// maxCorrectionWait is the longest a branch can wait for the applicant's
// correction: kaiban.CorrectionWorkingDays working days on the holiday
// calendar from the worst day (before Mid-Autumn and National Day 2026:
// 15 days). Each wait itself ends at its correction's dueAt
// (correctionDue).
var maxCorrectionWait = int(workdays.MaxSpan(kaiban.CorrectionWorkingDays) / time.Second)

// The founders' signatures: a reminder after remindAfter, and the window
// (kaiban.ConfirmWindow, which the links' expiry uses too) closes
// confirmWindow after the links were sent.
const (
	remindAfter   = 30 * 60
	confirmWindow = int(kaiban.ConfirmWindow / time.Second)
)

// transient lists the errors that are worth retrying: the agency or the
// store was unavailable, or Lambda itself had a transient problem (the
// names AWS recommends retrying for lambda:invoke).
var transient = []string{
	"Agency.Unavailable", "Store.Unavailable",
	"Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException",
	"States.Timeout",
}

func retry() []obj { return retrySchedule(retryInterval, retryAttempts, retryMaxDelay) }

// retrySchedule retries the transient errors with exponential backoff
// and full jitter.
func retrySchedule(interval, attempts, maxDelay int) []obj {
	return []obj{{
		{"ErrorEquals", transient},
		{"IntervalSeconds", interval},
		{"MaxAttempts", attempts},
		{"BackoffRate", retryBackoff},
		{"MaxDelaySeconds", maxDelay},
		{"JitterStrategy", "FULL"},
	}}
}

func invoke(fn string, payload obj) obj {
	return obj{
		{"FunctionName", "${" + fn + "}"},
		{"Payload", payload},
	}
}

// escalate is the clerk hand-off: the escalate function stores a clerk task
// holding the task token; the state waits until the clerk resolves it.
func escalate(applicationTrack, kind, next, timeoutNext string) obj {
	return escalateFrom("$.failure", "$.failure", applicationTrack, kind, next, timeoutNext)
}

// escalateFrom is escalate reading the failure to report from failurePath
// and storing a failure of the hand-off itself at catchPath.
func escalateFrom(failurePath, catchPath, applicationTrack, kind, next, timeoutNext string) obj {
	return obj{
		{"Type", "Task"},
		{"Comment", "Open a clerk task holding this state's task token and wait for the clerk's decision."},
		{"Resource", "arn:aws:states:::lambda:invoke.waitForTaskToken"},
		{"Parameters", invoke(arn(tracks.FnEscalate), obj{
			{"applicationId.$", "$.applicationId"},
			{"track", applicationTrack},
			{"kind", kind},
			{"taskToken.$", "$$.Task.Token"},
			{"error.$", failurePath + ".Error"},
			{"cause.$", failurePath + ".Cause"},
		})},
		{"ResultPath", "$.clerk"},
		{"TimeoutSeconds", clerkTimeout},
		{"Retry", retry()},
		{"Catch", []obj{{
			{"ErrorEquals", []string{"States.ALL"}},
			{"ResultPath", catchPath},
			{"Next", timeoutNext},
		}}},
		{"Next", next},
	}
}

// decide is the Choice state after a clerk hand-off of class c: one choice
// per decision kaiban.DecisionTable gives that class, routed by routes, in
// the table's order. Anything else (which the API never sends) goes back
// to the clerk rather than down any path. A decision of the table without
// a route panics: the definition cannot be generated until it has one.
func decide(comment string, c kaiban.TaskClass, routes map[kaiban.Decision]string, askAgain string) obj {
	var choices []obj
	for _, r := range kaiban.DecisionsFor(c) {
		if !r.Delivers {
			continue
		}
		next, ok := routes[r.Decision]
		if !ok {
			panic(fmt.Sprintf("gendef: decision %q of %s has no route", r.Decision, c))
		}
		choices = append(choices, obj{{"Variable", "$.clerk.decision"}, {"StringEquals", string(r.Decision)}, {"Next", next}})
	}
	if len(choices) != len(routes) {
		panic(fmt.Sprintf("gendef: %s routes decisions the table does not list", c))
	}
	return obj{
		{"Type", "Choice"},
		{"Comment", comment},
		{"Choices", choices},
		{"Default", askAgain},
	}
}

// correctionDue is the state before a wait for the applicant's correction
// (补正): the escalate function answers the request's time (askedAt), its
// dueAt (kaiban.CorrectionDueAt: 5 working days on the holiday calendar)
// and the whole seconds from askedAt to dueAt. The wait takes those seconds
// as its TimeoutSecondsPath and the correction stores that dueAt, so the
// wait ends at the dueAt the applicant is shown, whatever weekends and
// holidays lie between: one computation, no second calendar.
func correctionDue(applicationTrack, next, p string) obj {
	return obj{
		{"Type", "Task"},
		{"Comment", "Compute the correction's dueAt (5 working days on the holiday calendar) and the seconds until it, which the wait that follows times out after."},
		{"Resource", "arn:aws:states:::lambda:invoke"},
		{"Parameters", invoke(arn(tracks.FnEscalate), obj{
			{"applicationId.$", "$.applicationId"},
			{"track", applicationTrack},
			{"kind", "CORRECTION_DUE"},
		})},
		{"ResultSelector", obj{
			{"askedAt.$", "$.Payload.askedAt"},
			{"dueAt.$", "$.Payload.dueAt"},
			{"timeoutSeconds.$", "$.Payload.timeoutSeconds"},
		}},
		{"ResultPath", "$.correctionDue"},
		{"TimeoutSeconds", taskTimeout},
		{"Retry", retry()},
		{"Catch", []obj{{
			{"ErrorEquals", []string{"States.ALL"}},
			{"ResultPath", "$.failure"},
			{"Next", p + "Escalate"},
		}}},
		{"Next", next},
	}
}

// askApplicant is the wait for the applicant's correction (补正): the
// escalate function opens the correction holding this state's task token
// (from the agency's refusal at $.failure, or, byClerk, from the clerk's
// correct decision at $.clerk) with the askedAt and dueAt correctionDue
// computed, and the applicant's correction sends a retry. Without a
// correction by dueAt (TimeoutSecondsPath) the branch fails with
// Correction.Expired, which rejects the application and compensates.
func askApplicant(applicationTrack string, byClerk bool, p string) obj {
	payload := obj{
		{"applicationId.$", "$.applicationId"},
		{"track", applicationTrack},
		{"kind", "CORRECTION"},
		{"taskToken.$", "$$.Task.Token"},
		{"error.$", "$.failure.Error"},
		{"cause.$", "$.failure.Cause"},
		{"askedAt.$", "$.correctionDue.askedAt"},
		{"dueAt.$", "$.correctionDue.dueAt"},
	}
	comment := "Ask the applicant to correct the fields the agency's refusal names, and wait for the correction until its dueAt."
	if byClerk {
		payload = append(payload, kv{"clerk.$", "$.clerk"})
		comment = "Ask the applicant to correct the fields the clerk named, and wait for the correction until its dueAt."
	}
	return obj{
		{"Type", "Task"},
		{"Comment", comment},
		{"Resource", "arn:aws:states:::lambda:invoke.waitForTaskToken"},
		{"Parameters", invoke(arn(tracks.FnEscalate), payload)},
		{"ResultPath", "$.clerk"},
		{"TimeoutSecondsPath", "$.correctionDue.timeoutSeconds"},
		{"Retry", retryWithout("States.Timeout")},
		{"Catch", []obj{{
			{"ErrorEquals", []string{"States.Timeout"}},
			{"ResultPath", "$.failure"},
			{"Next", p + "CorrectionExpired"},
		}, {
			{"ErrorEquals", []string{"States.ALL"}},
			{"ResultPath", "$.failure"},
			{"Next", p + "Escalate"},
		}}},
		{"Next", p + "Decide"},
	}
}

func branch(t track) obj {
	p := t.state + "."
	runPayload := func(action string) obj {
		o := obj{
			{"action", action},
			{"applicationId.$", "$.applicationId"},
			{"track", t.name},
			{"creditCode.$", "$.reservation.creditCode"},
			{"nameReservation.$", "$.reservation.nameReservation"},
			{"identity.$", "$.identity"},
			{"attempt.$", "$$.State.RetryCount"},
		}
		if action == "complete" {
			o = append(o, kv{"clerk.$", "$.clerk"})
		}
		return o
	}
	selector := obj{{"track.$", "$.Payload.track"}, {"status.$", "$.Payload.status"}}
	states := obj{
		{p + "Run", obj{
			{"Type", "Task"},
			{"Comment", "Register with the " + t.name + " agency; transient failures are retried, anything else goes to a clerk."},
			{"Resource", "arn:aws:states:::lambda:invoke"},
			{"Parameters", invoke(t.fnSubs, runPayload("run"))},
			{"ResultSelector", selector},
			{"ResultPath", "$.result"},
			{"TimeoutSeconds", taskTimeout},
			{"Retry", retry()},
			{"Catch", []obj{{
				{"ErrorEquals", []string{kaiban.ErrAgencyNeedsCorrection}},
				{"ResultPath", "$.failure"},
				{"Next", p + "AskApplicantDue"},
			}, {
				{"ErrorEquals", []string{"States.ALL"}},
				{"ResultPath", "$.failure"},
				{"Next", p + "Escalate"},
			}}},
			{"Next", p + "Documents"},
		}},
		{p + "Documents", documents(p, "Issue the "+t.name+" registration's documents; a failure that outlasts the retries never fails the registration.",
			obj{{"applicationId.$", "$.applicationId"}, {"phase", docissue.PhaseTrack}, {"track", t.name}}, "$.result", "")},
		{p + "DocumentsMissed", obj{
			{"Type", "Pass"},
			{"Comment", "The documents could not be issued now: end the branch with its result, marked for the re-issue after the application completes."},
			{"Parameters", obj{{"track.$", "$.result.track"}, {"status.$", "$.result.status"}, {"documentsMissed", true}}},
			{"End", true},
		}},
		{p + "Escalate", escalate(t.name, "TRACK_EXCEPTION", p+"Decide", p+"Unresolved")},
		{p + "Decide", decide("Act on the clerk's decision (kaiban.DecisionTable, TRACK_EXCEPTION).", kaiban.ClassTrackException,
			map[kaiban.Decision]string{kaiban.DecisionRetry: p + "Run", kaiban.DecisionComplete: p + "Complete", kaiban.DecisionReject: p + "Rejected",
				kaiban.DecisionCorrect: p + "SendBackDue"},
			p+"Escalate")},
		{p + "AskApplicantDue", correctionDue(t.name, p+"AskApplicant", p)},
		{p + "AskApplicant", askApplicant(t.name, false, p)},
		{p + "SendBackDue", correctionDue(t.name, p+"SendBack", p)},
		{p + "SendBack", askApplicant(t.name, true, p)},
		{p + "CorrectionExpired", obj{
			{"Type", "Fail"},
			{"Error", "Correction.Expired"},
			{"Cause", "The " + t.name + " correction was not made in time."},
		}},
		{p + "Complete", obj{
			{"Type", "Task"},
			{"Comment", "Record the result the clerk entered by hand; if it cannot be recorded, a clerk is asked again."},
			{"Resource", "arn:aws:states:::lambda:invoke"},
			{"Parameters", invoke(t.fnSubs, runPayload("complete"))},
			{"ResultSelector", selector},
			{"ResultPath", "$.result"},
			{"TimeoutSeconds", taskTimeout},
			{"Retry", retry()},
			// A clerk's completion that cannot be recorded goes back to a
			// clerk with the reason; it never fails the branch (which would
			// reject the application and compensate every track).
			{"Catch", []obj{{
				{"ErrorEquals", []string{"States.ALL"}},
				{"ResultPath", "$.failure"},
				{"Next", p + "Escalate"},
			}}},
			{"Next", p + "Documents"},
		}},
		{p + "Rejected", obj{
			{"Type", "Fail"},
			{"Error", "Clerk.Rejected"},
			{"Cause", "A clerk rejected the " + t.name + " registration."},
		}},
		{p + "Unresolved", obj{
			{"Type", "Fail"},
			{"Error", "Clerk.Unresolved"},
			{"Cause", "The " + t.name + " exception was not resolved in time."},
		}},
	}
	return obj{{"StartAt", p + "Run"}, {"States", states}}
}

// documents is a Task state of the documents step (the prefix p names
// its states: p+"Documents", p+"DocumentsMissed"). Its result is not kept
// (the records are in the store); outputPath selects the state's output
// ("" keeps it whole) and next follows it ("" ends the branch). A
// failure that outlasts the retries goes to p+"DocumentsMissed": issuing
// is idempotent per slot, so a later issue (the same step run again)
// fills the gap, and documents never decide a registration.
func documents(p, comment string, payload obj, outputPath, next string) obj {
	o := obj{
		{"Type", "Task"},
		{"Comment", comment},
		{"Resource", "arn:aws:states:::lambda:invoke"},
		{"Parameters", invoke(arn(tracks.FnDocuments), payload)},
		{"ResultPath", nil},
	}
	if outputPath != "" {
		o = append(o, kv{"OutputPath", outputPath})
	}
	o = append(o,
		kv{"TimeoutSeconds", taskTimeout},
		kv{"Retry", retry()},
		kv{"Catch", []obj{{{"ErrorEquals", []string{"States.ALL"}}, {"ResultPath", "$.documentsFailure"}, {"Next", p + "DocumentsMissed"}}}},
	)
	return append(o, endOrNext(next)...)
}

// Re-issuing what a documents state missed, once the application has
// completed (so it never delays the applicant): retried for about an
// hour, for an object store or a key that was down for longer than a
// documents state's own retries.
const (
	reissueInterval = 60
	reissueAttempts = 6
	reissueMaxDelay = 1800
)

// reissueStates follow Finalize: they find whether the submission's
// documents state ($.documentsFailure) or a track's (its branch result
// marked documentsMissed) gave up, and if so issue the application's
// documents again (issuing fills only the empty slots).
func reissueStates() obj {
	return obj{
		{"FindMissedDocuments", obj{
			{"Type", "Pass"},
			{"Comment", "Collect the tracks whose documents state gave up."},
			{"Parameters", obj{{"tracks.$", "$.tracks[*].documentsMissed"}}},
			{"ResultPath", "$.missedDocuments"},
			{"Next", "DocumentsComplete"},
		}},
		{"DocumentsComplete", obj{
			{"Type", "Choice"},
			{"Comment", "Re-issue only when a documents state gave up."},
			{"Choices", []obj{{
				{"Or", []obj{
					{{"Variable", "$.documentsFailure"}, {"IsPresent", true}},
					{{"Variable", "$.missedDocuments.tracks[0]"}, {"IsPresent", true}},
				}},
				{"Next", "ReissueDocuments"},
			}}},
			{"Default", "Done"},
		}},
		{"ReissueDocuments", obj{
			{"Type", "Task"},
			{"Comment", "Issue every document the completed application is due that is still missing."},
			{"Resource", "arn:aws:states:::lambda:invoke"},
			{"Parameters", invoke(arn(tracks.FnDocuments), obj{{"applicationId.$", "$.applicationId"}, {"phase", docissue.PhaseCompleted}})},
			{"ResultPath", nil},
			{"TimeoutSeconds", taskTimeout},
			{"Retry", retrySchedule(reissueInterval, reissueAttempts, reissueMaxDelay)},
			{"Catch", []obj{{{"ErrorEquals", []string{"States.ALL"}}, {"ResultPath", "$.documentsFailure"}, {"Next", "DocumentsStillMissing"}}}},
			{"Next", "Done"},
		}},
		{"DocumentsStillMissing", obj{
			{"Type", "Pass"},
			{"Comment", "The documents could still not be issued (the cause is in $.documentsFailure); the registrations stand, and the documents step can be run again for this application."},
			{"Next", "Done"},
		}},
	}
}

// documentsMissed is where a documents state's failure goes: it carries
// on as the documents state would have.
func documentsMissed(p, outputPath, next string) obj {
	o := obj{
		{"Type", "Pass"},
		{"Comment", "The documents could not be issued now (the cause is in $.documentsFailure); carry on without them."},
	}
	if outputPath != "" {
		o = append(o, kv{"OutputPath", outputPath})
	}
	return append(o, endOrNext(next)...)
}

func endOrNext(next string) obj {
	if next == "" {
		return obj{{"End", true}}
	}
	return obj{{"Next", next}}
}

// compensate undoes the completed tracks. When the agencies cannot be
// reached even after retries, a clerk takes over rather than leaving the
// application stuck; byHand records the clerk's manual cancellation.
func compensate(byHand bool) obj {
	payload := obj{
		{"applicationId.$", "$.applicationId"},
		{"error.$", "$.failure.Error"},
		{"cause.$", "$.failure.Cause"},
	}
	comment := "Undo every completed registration, close open clerk tasks and mark the application REJECTED."
	if byHand {
		payload = append(payload, kv{"byHand", true}, kv{"clerk.$", "$.clerk"})
		comment = "Record that a clerk cancelled the registrations by hand, and mark the application REJECTED."
	}
	o := obj{
		{"Type", "Task"},
		{"Comment", comment},
		{"Resource", "arn:aws:states:::lambda:invoke"},
		{"Parameters", invoke(arn(tracks.FnCompensate), payload)},
		{"ResultPath", "$.compensation"},
		{"TimeoutSeconds", taskTimeout},
		{"Retry", []obj{{
			{"ErrorEquals", []string{"States.ALL"}},
			{"IntervalSeconds", retryInterval},
			{"MaxAttempts", 10},
			{"BackoffRate", retryBackoff},
			{"MaxDelaySeconds", 300},
			{"JitterStrategy", "FULL"},
		}}},
	}
	// Either way a failure that outlasts the retries goes to a clerk; a
	// clerk's own record of cancelling by hand is no exception.
	o = append(o, kv{"Catch", []obj{{{"ErrorEquals", []string{"States.ALL"}}, {"ResultPath", "$.compensationFailure"}, {"Next", "CompensationReview"}}}})
	return append(o, kv{"Next", "Rejected"})
}

// confirmCall invokes the confirm step with action; its output (a
// kaiban.ConfirmOutcome) goes to $.confirmation.
func confirmCall(comment, action, next string) obj {
	return obj{
		{"Type", "Task"},
		{"Comment", comment},
		{"Resource", "arn:aws:states:::lambda:invoke"},
		{"Parameters", invoke(arn(tracks.FnConfirm), obj{{"action", action}, {"applicationId.$", "$.applicationId"}})},
		{"ResultSelector", obj{{"outcome.$", "$.Payload.outcome"}, {"cause.$", "$.Payload.cause"}}},
		{"ResultPath", "$.confirmation"},
		{"TimeoutSeconds", taskTimeout},
		{"Retry", retry()},
		{"Catch", []obj{{{"ErrorEquals", []string{"States.ALL"}}, {"ResultPath", "$.failure"}, {"Next", "Compensate"}}}},
		{"Next", next},
	}
}

// awaitSignatures waits on its task token, which the confirm step stores,
// for the decision that settles the confirmations (the last signature or
// a decline) to send the outcome. At the timeout it goes to timeoutNext;
// confirmations settled before the token was stored are read again.
func awaitSignatures(comment string, timeout int, timeoutNext string) obj {
	return obj{
		{"Type", "Task"},
		{"Comment", comment},
		{"Resource", "arn:aws:states:::lambda:invoke.waitForTaskToken"},
		{"Parameters", invoke(arn(tracks.FnConfirm), obj{
			{"action", "wait"},
			{"applicationId.$", "$.applicationId"},
			{"taskToken.$", "$$.Task.Token"},
		})},
		{"ResultSelector", obj{{"outcome.$", "$.outcome"}, {"cause.$", "$.cause"}}},
		{"ResultPath", "$.confirmation"},
		{"TimeoutSeconds", timeout},
		{"Retry", retryWithout("States.Timeout")},
		{"Catch", []obj{
			{{"ErrorEquals", []string{"States.Timeout"}}, {"ResultPath", "$.wait"}, {"Next", timeoutNext}},
			{{"ErrorEquals", []string{kaiban.ErrConfirmationSettled}}, {"ResultPath", "$.wait"}, {"Next", "CheckSignatures"}},
			{{"ErrorEquals", []string{"States.ALL"}}, {"ResultPath", "$.failure"}, {"Next", "Compensate"}},
		}},
		{"Next", "SignaturesDecide"},
	}
}

// retryWithout is retry() without the error except: a wait's timeout is
// its answer, not a failure to retry.
func retryWithout(except string) []obj {
	var errs []string
	for _, e := range transient {
		if e != except {
			errs = append(errs, e)
		}
	}
	r := retry()
	r[0][0] = kv{"ErrorEquals", errs}
	return r
}

// signatureStates are the states between VerifyIdentity and ReserveName:
// every founder gets a link, the workflow waits for all of them to sign,
// reminds after remindAfter and gives up when the window closes. One
// decline or the window's end rejects the application before any agency
// registered anything.
func signatureStates() obj {
	outcome := func(o, next string) obj {
		return obj{{"Variable", "$.confirmation.outcome"}, {"StringEquals", o}, {"Next", next}}
	}
	return obj{
		{"OpenConfirmations", confirmCall("Send every founder their confirmation link (SMS, e-mail where given); a founder who verified on Kaiban within 30 days only signs.", "open", "SignaturesDecide")},
		{"SignaturesDecide", obj{
			{"Type", "Choice"},
			{"Comment", "Everyone signed: accepted. Someone declined, or the window closed: rejected. Otherwise wait."},
			{"Choices", []obj{
				outcome(kaiban.OutcomeSigned, "Accepted"),
				outcome(kaiban.OutcomeDeclined, "ConfirmationRejected"),
				outcome(kaiban.OutcomeExpired, "ConfirmationRejected"),
			}},
			{"Default", "AwaitSignatures"},
		}},
		{"AwaitSignatures", awaitSignatures("Wait for the last signature or a decline; after 30 minutes remind whoever has not decided.", remindAfter, "RemindSignatures")},
		{"RemindSignatures", confirmCall("Remind every founder who has not decided yet, with their link (once).", "remind", "AwaitSignaturesReminded")},
		{"AwaitSignaturesReminded", awaitSignatures("Wait for the rest of the 3-day window.", confirmWindow-remindAfter, "ExpireSignatures")},
		{"ExpireSignatures", confirmCall("The window has closed: read the outcome once more; still pending is expired.", "expire", "SignaturesDecide")},
		{"CheckSignatures", confirmCall("The confirmations were settled before the wait stored its token: read the outcome.", "open", "SignaturesDecide")},
		{"Accepted", confirmCall("Everyone signed: record the acceptance (the half-day deadline runs from the last signature) and tell the applicant.", "accept", "ReserveName")},
		{"ConfirmationRejected", obj{
			{"Type", "Pass"},
			{"Comment", "A founder declined (the person and the reason are in the cause) or the window closed: reject; nothing was registered."},
			{"Parameters", obj{{"Error", "Confirmation.Rejected"}, {"Cause.$", "$.confirmation.cause"}}},
			{"ResultPath", "$.failure"},
			{"Next", "Compensate"},
		}},
	}
}

// Definition returns the whole state machine as indented JSON.
func Definition() ([]byte, error) {
	trs := trackBranches()
	branches := make([]obj, len(trs))
	names := make([]string, len(trs))
	for i, t := range trs {
		branches[i] = branch(t)
		names[i] = t.name
	}
	catchAll := func(next string) []obj {
		return []obj{{{"ErrorEquals", []string{"States.ALL"}}, {"ResultPath", "$.failure"}, {"Next", next}}}
	}
	def := obj{
		{"Comment", "Kaiban one-stop company start-up: verify identity once, wait for every founder's signature, reserve the name and credit code, then run the seven registrations (" + strings.Join(names, ", ") + ") in parallel; exceptions go to clerks; a final rejection compensates every completed track. Generated by workflow/internal/gendef; edit the generator, not this file."},
		{"StartAt", "Init"},
		{"TimeoutSeconds", executionTimeout},
		{"States", append(append(append(append(obj{
			{"Init", obj{
				{"Type", "Pass"},
				{"Comment", "Keep only the application ID; every handler reads the form from the store."},
				{"Parameters", obj{{"applicationId.$", "$.applicationId"}, {"nameApproved", false}}},
				{"Next", "VerifyIdentity"},
			}},
			{"VerifyIdentity", obj{
				{"Type", "Task"},
				{"Comment", "Real-name check of every person on the form, once. The attestation is shared with every track."},
				{"Resource", "arn:aws:states:::lambda:invoke"},
				{"Parameters", invoke(arn(tracks.FnIdentity), obj{{"applicationId.$", "$.applicationId"}})},
				{"ResultSelector", obj{{"attestation.$", "$.Payload.attestation"}}},
				{"ResultPath", "$.identity"},
				{"TimeoutSeconds", taskTimeout},
				{"Retry", retry()},
				{"Catch", catchAll("Compensate")},
				{"Next", "SubmissionDocuments"},
			}},
			{"SubmissionDocuments", documents("Submission", "Render and issue the articles of association and the shareholders' decision, whose SHA-256 the founders sign beside the form's.",
				obj{{"applicationId.$", "$.applicationId"}, {"phase", docissue.PhaseSubmission}}, "", "OpenConfirmations")},
			{"SubmissionDocumentsMissed", documentsMissed("Submission", "", "OpenConfirmations")},
		}, signatureStates()...), obj{
			{"ReserveName", obj{
				{"Type", "Task"},
				{"Comment", "Check and reserve the company name and assign the unified social credit code."},
				{"Resource", "arn:aws:states:::lambda:invoke"},
				{"Parameters", invoke(arn(tracks.FnReserve), obj{
					{"applicationId.$", "$.applicationId"},
					{"identity.$", "$.identity"},
					{"nameApproved.$", "$.nameApproved"},
				})},
				{"ResultSelector", obj{{"creditCode.$", "$.Payload.creditCode"}, {"nameReservation.$", "$.Payload.nameReservation"}}},
				{"ResultPath", "$.reservation"},
				{"TimeoutSeconds", taskTimeout},
				{"Retry", retry()},
				{"Catch", []obj{
					{{"ErrorEquals", []string{"Name.NeedsReview", "Agency.Rejected"}}, {"ResultPath", "$.failure"}, {"Next", "NameReview"}},
					{{"ErrorEquals", []string{"States.ALL"}}, {"ResultPath", "$.failure"}, {"Next", "Compensate"}},
				}},
				{"Next", "Tracks"},
			}},
			{"NameReview", escalate("name", "NAME_REVIEW", "NameDecision", "Compensate")},
			{"NameDecision", decide("Act on the clerk's name review (kaiban.DecisionTable, NAME_REVIEW).", kaiban.ClassNameReview,
				map[kaiban.Decision]string{kaiban.DecisionComplete: "NameApproved", kaiban.DecisionReject: "NameRejected"},
				"NameReview")},
			{"NameApproved", obj{
				{"Type", "Pass"},
				{"Comment", "The clerk approved the name: reserve it without another review."},
				{"Result", true},
				{"ResultPath", "$.nameApproved"},
				{"Next", "ReserveName"},
			}},
			{"NameRejected", obj{
				{"Type", "Pass"},
				{"Parameters", obj{{"Error", "Clerk.Rejected"}, {"Cause", "A clerk rejected the company name."}}},
				{"ResultPath", "$.failure"},
				{"Next", "Compensate"},
			}},
			{"Tracks", obj{
				{"Type", "Parallel"},
				{"Comment", "The seven registrations, all at once, sharing the credit code and the identity attestation."},
				{"Branches", branches},
				{"ResultPath", "$.tracks"},
				{"Catch", catchAll("Compensate")},
				{"Next", "Finalize"},
			}},
			{"Finalize", obj{
				{"Type", "Task"},
				{"Comment", "Assemble the results, mark the application COMPLETED and record the time against the deadline."},
				{"Resource", "arn:aws:states:::lambda:invoke"},
				{"Parameters", invoke(arn(tracks.FnFinalize), obj{{"applicationId.$", "$.applicationId"}})},
				{"ResultSelector", obj{{"status.$", "$.Payload.status"}, {"creditCode.$", "$.Payload.creditCode"}, {"withinDeadline.$", "$.Payload.withinDeadline"}}},
				{"ResultPath", "$.final"},
				{"TimeoutSeconds", taskTimeout},
				{"Retry", retry()},
				{"Next", "FindMissedDocuments"},
			}},
		}...), reissueStates()...), obj{
			{"Done", obj{{"Type", "Succeed"}}},
			{"Compensate", compensate(false)},
			{"CompensationReview", escalateFrom("$.compensationFailure", "$.compensationFailure", "compensation", "TRACK_EXCEPTION", "CompensationDecision", "Compensate")},
			{"CompensationDecision", decide("The clerk either cancelled the registrations by hand (complete) or asks to try the agencies again (retry); kaiban.DecisionTable, COMPENSATION.",
				kaiban.ClassCompensation,
				map[kaiban.Decision]string{kaiban.DecisionComplete: "CompensateByHand", kaiban.DecisionRetry: "Compensate"},
				"CompensationReview")},
			{"CompensateByHand", compensate(true)},
			{"Rejected", obj{
				{"Type", "Fail"},
				{"ErrorPath", "$.failure.Error"},
				{"CausePath", "$.failure.Cause"},
			}},
		}...)},
	}
	raw, err := marshal(def)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}
