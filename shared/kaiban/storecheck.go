package kaiban

import (
	"encoding/json"
	"time"
	"unicode"
	"unicode/utf8"
)

// Store limits. Every Store enforces the same limits so that code tested
// against the SQLite store or the in-memory fake never meets a surprise on
// DynamoDB, whose items may not exceed 400 KB: an application item holds
// the form (160 KB, plus about 10 KB when its personal data is sealed), the
// seven tracks (7 × 16 KB) and at most one audit event in flight (64 KB),
// which stays below that ceiling with room to spare.
const (
	MaxKeyLen            = 128       // IDs, clerk names, idempotency keys
	MaxFormBytes         = 160 << 10 // the form as JSON
	MaxTrackBytes        = 16 << 10  // a track's result plus its message
	MaxMessageBytes      = 4 << 10   // an application's applicant-facing message
	MaxAuditPayloadBytes = 64 << 10  // an audit event's before plus after
	MaxTaskBytes         = 64 << 10  // a clerk task's reason, note, data and token
	MaxSealedBytes       = 1 << 10   // CreateRequest.Sealed
	MinPriority          = -1_000_000_000
	MaxPriority          = 1_000_000_000
)

// CheckKey reports ErrInput unless s can serve as a store key: non-empty,
// at most MaxKeyLen bytes of valid UTF-8 without control characters. what
// names the key in the message ("application id").
func CheckKey(what, s string) error {
	switch {
	case s == "":
		return Errorf(ErrInput, "%s is empty", what)
	case len(s) > MaxKeyLen:
		return Errorf(ErrInput, "%s is longer than %d bytes", what, MaxKeyLen)
	case !utf8.ValidString(s):
		return Errorf(ErrInput, "%s is not valid UTF-8", what)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return Errorf(ErrInput, "%s contains a control character", what)
		}
	}
	return nil
}

// Stored times must lie in this range: it covers every real date and keeps
// every store's encoding (nanoseconds since 1970 in SQLite) exact.
var (
	minTime = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// CheckTime reports ErrInput unless t is set and between 1970 and 2200.
func CheckTime(what string, t time.Time) error {
	if t.Before(minTime) || !t.Before(maxTime) {
		return Errorf(ErrInput, "%s must be set and between 1970 and 2200", what)
	}
	return nil
}

func checkOptionalTime(what string, t *time.Time) error {
	if t == nil {
		return nil
	}
	return CheckTime(what, *t)
}

// CheckIdempotencyKey reports ErrInput unless k is at most MaxKeyLen
// printable ASCII characters. The empty key means "not idempotent".
func CheckIdempotencyKey(k string) error {
	if len(k) > MaxKeyLen {
		return Errorf(ErrInput, "idempotency key is longer than %d characters", MaxKeyLen)
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return Errorf(ErrInput, "idempotency key must be printable ASCII")
		}
	}
	return nil
}

// Valid reports whether s is one of the six application statuses.
func (s AppStatus) Valid() bool {
	switch s {
	case AppSubmitted, AppInProgress, AppActionRequired, AppNeedsCorrection, AppCompleted, AppRejected:
		return true
	}
	return false
}

// Valid reports whether s is one of the seven track statuses.
func (s TrackStatus) Valid() bool {
	switch s {
	case TrackPending, TrackRunning, TrackRetrying, TrackWaitingClerk, TrackSucceeded, TrackFailed, TrackCompensated:
		return true
	}
	return false
}

// Valid reports whether s is one of the three task statuses.
func (s TaskStatus) Valid() bool {
	return s == TaskOpen || s == TaskClaimed || s == TaskResolved
}

// Valid reports whether d is one of the five decisions.
func (d Decision) Valid() bool {
	return d == DecisionRetry || d == DecisionComplete || d == DecisionReject || d == DecisionAcknowledge || d == DecisionCorrect
}

// CheckCreateRequest reports ErrInput for a request no store may accept.
// It returns the form encoded as JSON, which every store needs anyway, so
// the size check costs no second encoding.
func CheckCreateRequest(req CreateRequest) ([]byte, error) {
	a := req.Application
	if err := CheckKey("application id", a.ID); err != nil {
		return nil, err
	}
	if err := CheckIdempotencyKey(req.IdempotencyKey); err != nil {
		return nil, err
	}
	switch {
	case !a.Status.Valid():
		return nil, Errorf(ErrInput, "unknown application status %q", a.Status)
	case CheckTime("submission time", a.SubmittedAt) != nil || CheckTime("deadline", a.Deadline) != nil:
		return nil, Errorf(ErrInput, "submission time and deadline must be set and between 1970 and 2200")
	case !a.UpdatedAt.IsZero() && CheckTime("update time", a.UpdatedAt) != nil:
		return nil, Errorf(ErrInput, "update time must be between 1970 and 2200")
	case checkOptionalTime("completion time", a.CompletedAt) != nil:
		return nil, Errorf(ErrInput, "completion time must be between 1970 and 2200")
	case req.IdempotencyKey != "" && req.BodyHash == "":
		return nil, Errorf(ErrInput, "an idempotency key needs a body hash")
	case len(req.BodyHash) > MaxKeyLen:
		return nil, Errorf(ErrInput, "body hash is longer than %d bytes", MaxKeyLen)
	case len(a.Message) > MaxMessageBytes:
		return nil, Errorf(ErrInput, "message is larger than %d bytes", MaxMessageBytes)
	case len(req.Sealed) > MaxSealedBytes:
		return nil, Errorf(ErrInput, "sealed data is larger than %d bytes", MaxSealedBytes)
	}
	form, err := json.Marshal(a.Form)
	if err != nil {
		return nil, Wrap(ErrInput, err, "form cannot be encoded")
	}
	if len(form) > MaxFormBytes {
		return nil, Errorf(ErrInput, "form is larger than %d bytes", MaxFormBytes)
	}
	return form, nil
}

// CheckTrack reports ErrInput for a track write no store may accept.
func CheckTrack(applicationID string, t Track) error {
	if err := CheckKey("application id", applicationID); err != nil {
		return err
	}
	switch {
	case !t.Name.Valid():
		return Errorf(ErrInput, "unknown track %q", t.Name)
	case !t.Status.Valid():
		return Errorf(ErrInput, "unknown track status %q", t.Status)
	case t.Attempts < 0:
		return Errorf(ErrInput, "attempts is negative")
	case len(t.Result)+len(t.Message) > MaxTrackBytes:
		return Errorf(ErrInput, "track result and message are larger than %d bytes", MaxTrackBytes)
	case len(t.Result) > 0 && !json.Valid(t.Result):
		return Errorf(ErrInput, "track result is not valid JSON")
	}
	if err := checkOptionalTime("track start time", t.StartedAt); err != nil {
		return err
	}
	return checkOptionalTime("track finish time", t.FinishedAt)
}

// CheckApplicationUpdate reports ErrInput for an update no store may accept.
func CheckApplicationUpdate(id string, u ApplicationUpdate) error {
	if err := CheckKey("application id", id); err != nil {
		return err
	}
	switch {
	case u.Status != "" && !u.Status.Valid():
		return Errorf(ErrInput, "unknown application status %q", u.Status)
	case u.Message != nil && len(*u.Message) > MaxMessageBytes:
		return Errorf(ErrInput, "message is larger than %d bytes", MaxMessageBytes)
	case len(u.CreditCode) > MaxKeyLen:
		return Errorf(ErrInput, "credit code is longer than %d bytes", MaxKeyLen)
	case !u.UpdatedAt.IsZero() && CheckTime("update time", u.UpdatedAt) != nil:
		return Errorf(ErrInput, "update time must be between 1970 and 2200")
	}
	return checkOptionalTime("completion time", u.CompletedAt)
}

// CheckClerkTask reports ErrInput for a task no store may accept.
func CheckClerkTask(t ClerkTask) error {
	if err := CheckKey("task id", t.ID); err != nil {
		return err
	}
	if err := CheckKey("application id", t.ApplicationID); err != nil {
		return err
	}
	switch {
	case !ValidTaskSubject(t.Track):
		return Errorf(ErrInput, "unknown track %q", t.Track)
	case t.Kind != TaskNameReview && t.Kind != TaskTrackException && t.Kind != TaskDeadlineRisk && t.Kind != TaskRatingFollowUp:
		return Errorf(ErrInput, "unknown task kind %q", t.Kind)
	case t.Status != "" && t.Status != TaskOpen:
		return Errorf(ErrInput, "a new task must be OPEN")
	case t.TaskToken == "" && NeedsToken(t.Class()):
		// No decision could close it: every one is delivered to a workflow.
		return Errorf(ErrInput, "a %s task needs a task token", t.Class())
	case CheckTime("task deadline", t.Deadline) != nil || CheckTime("task creation time", t.CreatedAt) != nil:
		return Errorf(ErrInput, "task deadline and creation time must be set and between 1970 and 2200")
	case CheckPriority(t.Priority) != nil:
		return CheckPriority(t.Priority)
	case len(t.ErrorName) > MaxKeyLen:
		return Errorf(ErrInput, "error name is longer than %d bytes", MaxKeyLen)
	case len(t.Reason)+len(t.Data)+len(t.TaskToken) > MaxTaskBytes:
		return Errorf(ErrInput, "task is larger than %d bytes", MaxTaskBytes)
	case len(t.Data) > 0 && !json.Valid(t.Data):
		return Errorf(ErrInput, "task data is not valid JSON")
	}
	return nil
}

// CheckClaim reports ErrInput for a claim no store may accept.
func CheckClaim(id, clerk string, now time.Time) error {
	if err := CheckKey("task id", id); err != nil {
		return err
	}
	if err := CheckKey("clerk", clerk); err != nil {
		return err
	}
	return CheckTime("claim time", now)
}

// CheckPriority reports ErrInput for a priority outside the stored range.
func CheckPriority(p int) error {
	if p < MinPriority || p > MaxPriority {
		return Errorf(ErrInput, "priority must be between %d and %d", MinPriority, MaxPriority)
	}
	return nil
}

// CheckResolution reports ErrInput for a resolution no store may accept.
func CheckResolution(id, clerk string, r Resolution, now time.Time) error {
	if err := CheckTime("resolution time", now); err != nil {
		return err
	}
	if err := CheckKey("task id", id); err != nil {
		return err
	}
	if err := CheckKey("clerk", clerk); err != nil {
		return err
	}
	switch {
	case !r.Decision.Valid():
		return Errorf(ErrInput, "unknown decision %q", r.Decision)
	case len(r.Note)+len(r.Data) > MaxTaskBytes:
		return Errorf(ErrInput, "resolution is larger than %d bytes", MaxTaskBytes)
	case len(r.Data) > 0 && !json.Valid(r.Data):
		return Errorf(ErrInput, "resolution data is not valid JSON")
	}
	return nil
}

// CheckAuditEventOf is CheckAuditEvent for the event of a change to
// applicationID: an event of another application is ErrInput too.
func CheckAuditEventOf(applicationID string, e AuditEvent) error {
	if err := CheckAuditEvent(e); err != nil {
		return err
	}
	if e.ApplicationID != applicationID {
		return Errorf(ErrInput, "the audit event belongs to another application")
	}
	return nil
}

// CheckAuditEvent reports ErrInput for an event no store may accept.
func CheckAuditEvent(e AuditEvent) error {
	if err := CheckKey("application id", e.ApplicationID); err != nil {
		return err
	}
	switch {
	case CheckTime("audit event time", e.Time) != nil:
		return Errorf(ErrInput, "audit event time must be set and between 1970 and 2200")
	case e.Actor == "" || e.Action == "":
		return Errorf(ErrInput, "audit event actor and action are required")
	case len(e.Actor) > MaxKeyLen*2 || len(e.Action) > MaxKeyLen:
		return Errorf(ErrInput, "audit event actor or action is too long")
	case len(e.Before)+len(e.After) > MaxAuditPayloadBytes:
		return Errorf(ErrInput, "audit event is larger than %d bytes", MaxAuditPayloadBytes)
	case len(e.Before) > 0 && !json.Valid(e.Before), len(e.After) > 0 && !json.Valid(e.After):
		return Errorf(ErrInput, "audit event before/after is not valid JSON")
	}
	return nil
}
