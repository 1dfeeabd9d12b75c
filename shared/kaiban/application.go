package kaiban

import (
	"encoding/json"
	"time"
)

// DeadlineAfterSubmission is the promise: a company started within half a
// working day.
const DeadlineAfterSubmission = 4 * time.Hour

// InitialDeadline is the deadline an application is stored with at
// submission. Without founders' signatures the promise starts at once.
// With them it starts at acceptance (受理, the last signature), which sets
// the deadline again; until then the stored deadline is the latest the
// promise can end — the end of the signing window plus half a working
// day — so the watchdog does not chase an application that is waiting for
// its founders, not for the agencies.
func InitialDeadline(submittedAt time.Time, awaitSignatures bool) time.Time {
	if awaitSignatures {
		return submittedAt.Add(ConfirmWindow + DeadlineAfterSubmission)
	}
	return submittedAt.Add(DeadlineAfterSubmission)
}

// AppStatus is where an application stands as the applicant sees it.
type AppStatus string

const (
	AppSubmitted      AppStatus = "SUBMITTED"
	AppInProgress     AppStatus = "IN_PROGRESS"
	AppActionRequired AppStatus = "ACTION_REQUIRED"
	// AppNeedsCorrection: a clerk or an agency sent fields back to the
	// applicant, who corrects them in place; the half-day clock pauses.
	AppNeedsCorrection AppStatus = "NEEDS_CORRECTION"
	AppCompleted       AppStatus = "COMPLETED"
	AppRejected        AppStatus = "REJECTED"
)

// Terminal reports whether no further change is expected.
func (s AppStatus) Terminal() bool { return s == AppCompleted || s == AppRejected }

// TrackName names one of the seven registrations that run in parallel.
type TrackName string

const (
	TrackLicense          TrackName = "license"
	TrackSeal             TrackName = "seal"
	TrackTax              TrackName = "tax"
	TrackSocialInsurance  TrackName = "socialInsurance"
	TrackMedicalInsurance TrackName = "medicalInsurance"
	TrackHousingFund      TrackName = "housingFund"
	TrackBank             TrackName = "bank"
)

// Tracks lists the seven tracks in the order they are shown.
var Tracks = []TrackName{TrackLicense, TrackSeal, TrackTax, TrackSocialInsurance, TrackMedicalInsurance, TrackHousingFund, TrackBank}

// Valid reports whether n is one of the seven tracks.
func (n TrackName) Valid() bool {
	for _, t := range Tracks {
		if t == n {
			return true
		}
	}
	return false
}

// TrackStatus is the state of one track.
type TrackStatus string

const (
	TrackPending      TrackStatus = "PENDING"
	TrackRunning      TrackStatus = "RUNNING"
	TrackRetrying     TrackStatus = "RETRYING"
	TrackWaitingClerk TrackStatus = "WAITING_CLERK"
	TrackSucceeded    TrackStatus = "SUCCEEDED"
	TrackFailed       TrackStatus = "FAILED"
	TrackCompensated  TrackStatus = "COMPENSATED"
)

// Application is one submitted form and everything that has happened to it.
type Application struct {
	ID          string     `json:"id"`
	Status      AppStatus  `json:"status"`
	Form        Form       `json:"form"`
	CreditCode  string     `json:"creditCode,omitempty"`
	SubmittedAt time.Time  `json:"submittedAt"`
	Deadline    time.Time  `json:"deadline"`
	CompletedAt *time.Time `json:"completedAt,omitempty"`
	Tracks      []Track    `json:"tracks"`
	// Message is a short applicant-facing note (why it was rejected, what
	// is awaited).
	Message   string    `json:"message,omitempty"`
	UpdatedAt time.Time `json:"updatedAt"`
	// Lang is the language the applicant's notifications are sent in:
	// LangEN when the submission asked for English (Accept-Language), ""
	// for Chinese. The form has no field for it; it is set once, at
	// submission.
	Lang string `json:"lang,omitempty"`
}

// LangEN is Application.Lang for an applicant who reads English.
const LangEN = "en"

// Track returns the named track, or nil.
func (a *Application) Track(name TrackName) *Track {
	for i := range a.Tracks {
		if a.Tracks[i].Name == name {
			return &a.Tracks[i]
		}
	}
	return nil
}

// NewTracks returns the seven tracks, all PENDING at version 0.
func NewTracks() []Track {
	ts := make([]Track, len(Tracks))
	for i, n := range Tracks {
		ts[i] = Track{Name: n, Status: TrackPending}
	}
	return ts
}

// Track is the state of one registration. Version is used for optimistic
// concurrency: an update carries the version it read and fails with
// ErrVersionConflict when another writer got there first.
type Track struct {
	Name       TrackName       `json:"name"`
	Status     TrackStatus     `json:"status"`
	Attempts   int             `json:"attempts"`
	StartedAt  *time.Time      `json:"startedAt,omitempty"`
	FinishedAt *time.Time      `json:"finishedAt,omitempty"`
	Result     json.RawMessage `json:"result,omitempty"`
	Message    string          `json:"message,omitempty"`
	Version    int64           `json:"-"`
}
