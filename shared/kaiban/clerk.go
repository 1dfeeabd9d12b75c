package kaiban

import (
	"encoding/json"
	"time"
)

// TaskKind says why a clerk is needed.
type TaskKind string

const (
	TaskNameReview     TaskKind = "NAME_REVIEW"     // the proposed name needs a human decision
	TaskTrackException TaskKind = "TRACK_EXCEPTION" // an agency rejected, or retries ran out
	TaskDeadlineRisk   TaskKind = "DEADLINE_RISK"   // opened by the watchdog
	// TaskRatingFollowUp follows up a bad rating; only supervisors claim
	// and close it, and closing it needs a note the applicant is sent.
	TaskRatingFollowUp TaskKind = "RATING_FOLLOWUP"
)

// What a clerk task is about besides the seven tracks (ClerkTask.Track).
const (
	TaskSubjectName         = "name"         // the company name needs review
	TaskSubjectCompensation = "compensation" // undoing registrations needs a person
	TaskSubjectDeadline     = "deadline"     // the watchdog asks a clerk to chase
	TaskSubjectExecution    = "execution"    // the application's execution is gone or cannot resume
	TaskSubjectRating       = "rating"       // the applicant's bad rating is followed up
)

// ValidTaskSubject reports whether s may be a clerk task's Track: one of
// the seven tracks or one of the TaskSubject constants.
func ValidTaskSubject(s string) bool {
	switch s {
	case TaskSubjectName, TaskSubjectCompensation, TaskSubjectDeadline, TaskSubjectExecution, TaskSubjectRating:
		return true
	}
	return TrackName(s).Valid()
}

// TaskStatus is the life of a clerk task: OPEN → CLAIMED → RESOLVED.
type TaskStatus string

const (
	TaskOpen     TaskStatus = "OPEN"
	TaskClaimed  TaskStatus = "CLAIMED"
	TaskResolved TaskStatus = "RESOLVED"
)

// Decision is a clerk's resolution of a task.
type Decision string

const (
	DecisionRetry    Decision = "retry"
	DecisionComplete Decision = "complete"
	DecisionReject   Decision = "reject"
	// DecisionAcknowledge closes a task that no workflow waits on (the
	// watchdog's DEADLINE_RISK).
	DecisionAcknowledge Decision = "acknowledge"
)

// ClaimLease is how long a claim holds: a task claimed longer ago than
// this may be claimed by another clerk (the first clerk went home, or
// their browser died), so no task is stuck with one person.
const ClaimLease = 30 * time.Minute

// ClaimExpired reports whether a CLAIMED task's claim has lapsed at now.
func (t ClerkTask) ClaimExpired(now time.Time) bool {
	return t.Status == TaskClaimed && t.ClaimedAt != nil && !now.Before(t.ClaimedAt.Add(ClaimLease))
}

// ClerkTask is one exception in the clerk queue. TaskToken is the Step
// Functions task token that resumes the execution; it never leaves the
// server (it is tagged json:"-").
type ClerkTask struct {
	ID            string     `json:"id"`
	ApplicationID string     `json:"applicationId"`
	Track         string     `json:"track"` // a TrackName, or "name" for name review
	Kind          TaskKind   `json:"kind"`
	Status        TaskStatus `json:"status"`
	ErrorName     string     `json:"error,omitempty"`
	Reason        string     `json:"reason"`
	TaskToken     string     `json:"-"`
	Deadline      time.Time  `json:"deadline"` // the application's deadline
	// Priority raises a task above others regardless of deadline; the
	// watchdog sets it for applications about to miss their deadline.
	Priority   int             `json:"priority"`
	CreatedAt  time.Time       `json:"createdAt"`
	ClaimedBy  string          `json:"claimedBy,omitempty"`
	ClaimedAt  *time.Time      `json:"claimedAt,omitempty"`
	ResolvedBy string          `json:"resolvedBy,omitempty"`
	ResolvedAt *time.Time      `json:"resolvedAt,omitempty"`
	Decision   Decision        `json:"decision,omitempty"`
	Note       string          `json:"note,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	// DeliveredAt is when the decision reached the waiting workflow (or
	// was found to need no delivery). A RESOLVED task without it still
	// owes its workflow the decision; the re-delivery loop finds it.
	DeliveredAt *time.Time `json:"deliveredAt,omitempty"`
}

// Resolution is what a clerk decides about a claimed task.
type Resolution struct {
	Decision Decision        `json:"decision"`
	Note     string          `json:"note"`
	Data     json.RawMessage `json:"data,omitempty"`
	// Settled says nothing is to be delivered to a workflow (the decision
	// does not deliver, or the task has no token): the store records the
	// task as delivered at the resolution time.
	Settled bool `json:"-"`
}

// TaskFilter selects clerk tasks. Empty fields match everything. Results are
// ordered by Priority (highest first), then Deadline (soonest first), then
// CreatedAt.
type TaskFilter struct {
	Status TaskStatus
	Track  string
	Limit  int // 0 means DefaultListLimit; never more than MaxListLimit
}

// List limits shared by every store and the API.
const (
	DefaultListLimit = 50
	MaxListLimit     = 200
)

// ClampLimit applies DefaultListLimit and MaxListLimit.
func ClampLimit(n int) int {
	if n <= 0 {
		return DefaultListLimit
	}
	if n > MaxListLimit {
		return MaxListLimit
	}
	return n
}

// ClerkOutcome is what a resolved clerk task sends the waiting execution
// (SendTaskSuccess output). The definition stores it at $.clerk and its
// Choice states branch on $.clerk.decision; a track completed by hand gets
// it as its input's "clerk".
type ClerkOutcome struct {
	Decision Decision        `json:"decision"`
	Note     string          `json:"note"`
	Data     json.RawMessage `json:"data"` // null when the clerk gave none
	Clerk    ClerkIdentity   `json:"clerk"`
}

// ClerkIdentity names the clerk who acted, from the JWT's sub and username
// (or email) claims.
type ClerkIdentity struct {
	Sub      string `json:"sub"`
	Username string `json:"username,omitempty"`
	// Groups are the identity provider's groups the clerk is in
	// (cognito:groups); SupervisorGroup among them opens the
	// supervisor's view.
	Groups []string `json:"groups,omitempty"`
}

// SupervisorGroup is the group whose members see the supervisor's view
// and follow up bad ratings.
const SupervisorGroup = "supervisors"

// Supervisor reports whether the clerk is in SupervisorGroup.
func (c ClerkIdentity) Supervisor() bool {
	for _, g := range c.Groups {
		if g == SupervisorGroup {
			return true
		}
	}
	return false
}

// Actor is the clerk as the audit trail names actors: "clerk:<sub>".
func (c ClerkIdentity) Actor() string { return "clerk:" + c.Sub }
