package kaiban

import (
	"context"
	"crypto/sha256"
	"time"
)

// Store keeps applications, their tracks, clerk tasks and the audit trail.
// Implementations: infra/stack/sqlite (local stack) and shared/aws/dynamodb (AWS),
// both checked by the contract suite in shared/storetest.
//
// Every method returns *Error with a stable name: ErrNotFound,
// ErrIdempotencyConflict, ErrVersionConflict, ErrTaskClaimed,
// ErrTaskNotClaimed, ErrTaskResolved, ErrInput (invalid keys, oversize
// items), ErrStoreUnavailable (transient), ErrStoreCorrupt. A write either
// happens once, completely, or returns an error.
//
// Every store commits an audited change and its audit event as one write
// (AuditedWriter, TaskAuditedWriter): both are visible or neither is, so
// the trail never misses a change that happened nor records one that did
// not.
type Store interface {
	AuditedWriter
	TaskAuditedWriter

	// CreateApplication stores a new application idempotently. With an
	// IdempotencyKey, a second call with the same key and BodyHash returns
	// the first application with Created=false and the first call's Sealed
	// bytes; the same key with another BodyHash is ErrIdempotencyConflict.
	CreateApplication(ctx context.Context, req CreateRequest) (CreateResult, error)
	// GetApplication returns the application with its seven tracks.
	GetApplication(ctx context.Context, id string) (*Application, error)
	// CheckAccessToken compares the hash of token with the stored hash in
	// constant time. Unknown application and wrong token are the same
	// ErrNotFound, so a caller cannot probe which IDs exist.
	CheckAccessToken(ctx context.Context, id, token string) error
	// UpdateApplication sets the given fields of the application.
	UpdateApplication(ctx context.Context, id string, u ApplicationUpdate) (*Application, error)
	// UpdateTrack writes t (status, attempts, times, result, message) if the
	// stored track still has version t.Version; the returned track has the
	// new version. Otherwise ErrVersionConflict. Use MutateTrack to retry.
	UpdateTrack(ctx context.Context, applicationID string, t Track) (Track, error)

	// CreateClerkTask stores a task. Creating a task whose ID exists returns
	// the stored task unchanged (handlers may be retried).
	CreateClerkTask(ctx context.Context, t ClerkTask) (ClerkTask, error)
	GetClerkTask(ctx context.Context, id string) (ClerkTask, error)
	// ListClerkTasks returns tasks matching f in queue order (see TaskFilter).
	ListClerkTasks(ctx context.Context, f TaskFilter) ([]ClerkTask, error)
	// ClaimClerkTask gives an OPEN task, or a CLAIMED one whose claim has
	// lapsed (ClaimLease), to clerk. Exactly one of concurrent claimers
	// wins; the others get ErrTaskClaimed. Claiming again by the same clerk
	// changes nothing and returns Fresh false.
	ClaimClerkTask(ctx context.Context, id, clerk string, now time.Time) (ClaimedTask, error)
	// ReleaseClerkTask returns a task clerk has claimed to OPEN
	// (ErrTaskNotClaimed if clerk does not hold it, ErrTaskResolved).
	ReleaseClerkTask(ctx context.Context, id, clerk string, now time.Time) (ClerkTask, error)
	// ResolveClerkTask records the clerk's decision: a conditional write
	// from CLAIMED by clerk to RESOLVED, so of concurrent resolutions
	// exactly one wins. Only the claimer may resolve (ErrTaskNotClaimed
	// otherwise); a resolved task is ErrTaskResolved. With r.Settled the
	// task is also recorded as delivered.
	ResolveClerkTask(ctx context.Context, id, clerk string, r Resolution, now time.Time) (ClerkTask, error)
	// MarkClerkTaskDelivered records that a RESOLVED task's decision has
	// reached its workflow. Marking again keeps the first time; a task
	// that is not resolved is ErrInput.
	MarkClerkTaskDelivered(ctx context.Context, id string, now time.Time) error
	// UndeliveredClerkTasks lists RESOLVED tasks whose decision has not
	// been delivered, oldest resolution first, at most limit (clamped as
	// ClampLimit does).
	UndeliveredClerkTasks(ctx context.Context, limit int) ([]ClerkTask, error)
	// RaiseClerkTask sets a task's priority (the watchdog's escalation).
	RaiseClerkTask(ctx context.Context, id string, priority int) error
	// OpenTasksFor lists the unresolved tasks of one application.
	OpenTasksFor(ctx context.Context, applicationID string) ([]ClerkTask, error)

	// ListAtRisk lists applications not yet COMPLETED or REJECTED whose
	// deadline is before the given time, soonest first (SLA watchdog).
	ListAtRisk(ctx context.Context, before time.Time, limit int) ([]Application, error)
	// ListByStatus lists applications in one unfinished status by
	// deadline, oldest first (the reconciler: submissions whose execution
	// never started, executions that are gone); see StatusQuery.
	ListByStatus(ctx context.Context, q StatusQuery) ([]Application, error)
	// Counts summarises the store for the ops view.
	Counts(ctx context.Context) (Counts, error)

	// AppendAudit chains e after the application's newest event (setting
	// Seq, PrevHash and Hash, keyed with the store's AuditKey, and signing
	// the new head; see ChainAfter) and stores it; concurrent appends never
	// fork the chain. A head whose signature does not verify is
	// ErrStoreCorrupt; a store given no AuditKey is ErrConfig.
	AppendAudit(ctx context.Context, e AuditEvent) (AuditEvent, error)
	// ListAudit returns the application's events in Seq order.
	ListAudit(ctx context.Context, applicationID string) ([]AuditEvent, error)
	// VerifyAudit checks the stored trail under the store's AuditKey,
	// signed head included; nil or *AuditBreak. VerifyApplication also
	// checks the stored state against it.
	VerifyAudit(ctx context.Context, applicationID string) error

	Close() error
}

// ClaimedTask is a claimed task together with its task token, which only
// the server uses (to call SendTaskSuccess/SendTaskFailure).
type ClaimedTask struct {
	ClerkTask
	Token string
	// Fresh is true when this call claimed the task, false when clerk
	// already held it (nothing changed, nothing to audit).
	Fresh bool
}

// CreateRequest is what CreateApplication stores. Application must have ID,
// Form, SubmittedAt, Deadline and Status set; its tracks are created PENDING.
type CreateRequest struct {
	Application     Application
	AccessTokenHash [32]byte // HashToken(accessToken); the token itself is never stored
	IdempotencyKey  string   // optional; at most 128 printable ASCII characters (the API passes the client's key scoped to the applicant)
	BodyHash        string   // hex SHA-256 of the request body
	// Sealed is opaque data returned on an idempotent replay (the API seals
	// the access token with a key derived from the idempotency key and body,
	// so only a true replay can recover it).
	Sealed []byte
}

// CreateResult is the outcome of CreateApplication.
type CreateResult struct {
	Application *Application
	Created     bool
	Sealed      []byte
}

// ApplicationUpdate lists the application fields to set; zero values are
// left unchanged.
type ApplicationUpdate struct {
	Status      AppStatus
	CreditCode  string
	CompletedAt *time.Time
	Message     *string
	UpdatedAt   time.Time
}

// StatusQuery selects applications for ListByStatus. The deadline is the
// submission time plus DeadlineAfterSubmission, so DeadlineBefore selects
// by age. Results are ordered by Deadline, then ID.
type StatusQuery struct {
	// Status is SUBMITTED, IN_PROGRESS, ACTION_REQUIRED or
	// NEEDS_CORRECTION; a finished
	// status is ErrInput.
	Status         AppStatus
	DeadlineBefore time.Time
	// AfterDeadline and AfterID continue a listing after the application
	// last returned; zero values start from the oldest.
	AfterDeadline time.Time
	AfterID       string
	Limit         int // ClampLimit applies
}

// After reports whether a comes after the query's cursor.
func (q StatusQuery) After(a *Application) bool {
	if q.AfterDeadline.IsZero() && q.AfterID == "" {
		return true
	}
	return a.Deadline.After(q.AfterDeadline) || (a.Deadline.Equal(q.AfterDeadline) && a.ID > q.AfterID)
}

// Check returns ErrInput for a query no store can answer.
func (q StatusQuery) Check() error {
	switch q.Status {
	case AppSubmitted, AppInProgress, AppActionRequired, AppNeedsCorrection:
	default:
		return Errorf(ErrInput, "ListByStatus lists unfinished applications, not %q", q.Status)
	}
	if q.DeadlineBefore.IsZero() {
		return Errorf(ErrInput, "ListByStatus needs DeadlineBefore")
	}
	return nil
}

// Counts is the ops view.
type Counts struct {
	Applications map[AppStatus]int   `json:"applications"`
	Tracks       map[TrackStatus]int `json:"tracks"`
	OpenTasks    int                 `json:"openTasks"`
	ClaimedTasks int                 `json:"claimedTasks"`
}

// HashToken returns the SHA-256 of an access token, the only form in which
// tokens are stored.
func HashToken(token string) [32]byte { return sha256.Sum256([]byte(token)) }

// MutateTrack reads the track, applies fn and writes it back, retrying on
// ErrVersionConflict so concurrent writers never lose an update.
func MutateTrack(ctx context.Context, s Store, applicationID string, name TrackName, fn func(*Track) error) (Track, error) {
	return mutateTrack(ctx, s, applicationID, name, nil, fn)
}

// MutateTrackFrom is MutateTrack starting from a track the caller has just
// read (with its version), saving the read; it re-reads and re-applies fn
// only when another writer got there first.
func MutateTrackFrom(ctx context.Context, s Store, applicationID string, current Track, fn func(*Track) error) (Track, error) {
	return mutateTrack(ctx, s, applicationID, current.Name, &current, fn)
}

func mutateTrack(ctx context.Context, s Store, applicationID string, name TrackName, current *Track, fn func(*Track) error) (Track, error) {
	return mutate(ctx, s, applicationID, name, current, fn, func(t Track) (Track, error) {
		return s.UpdateTrack(ctx, applicationID, t)
	})
}

// mutate is the read–apply–write loop of MutateTrack with the write given.
func mutate(ctx context.Context, s Store, applicationID string, name TrackName, current *Track, fn func(*Track) error, write func(Track) (Track, error)) (Track, error) {
	for attempt := 0; ; attempt++ {
		if current == nil {
			app, err := s.GetApplication(ctx, applicationID)
			if err != nil {
				return Track{}, err
			}
			if current = app.Track(name); current == nil {
				return Track{}, Errorf(ErrInput, "unknown track %q", name)
			}
		}
		next := *current
		current = nil
		if err := fn(&next); err != nil {
			return Track{}, err
		}
		out, err := write(next)
		if err == nil || !IsName(err, ErrVersionConflict) || attempt >= 100 {
			return out, err
		}
		if err := ctx.Err(); err != nil {
			return Track{}, err
		}
	}
}
