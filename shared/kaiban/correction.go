package kaiban

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/workdays"
)

// DecisionCorrect sends a TRACK_EXCEPTION back to the applicant, who
// corrects the fields named in place (补正). Delivered like the others, it
// takes the branch to the wait for the correction, whose token the
// correction holds; the applicant's correction delivers a retry.
const DecisionCorrect Decision = "correct"

// ErrNotAwaitingCorrection is a correction sent for an application that
// is not waiting for one (HTTP 409).
const ErrNotAwaitingCorrection = "Correction.NotAwaited"

// CorrectionWorkingDays is how long the applicant has to correct: 5 working
// days on the service's calendar (package workdays: public holidays do not
// count, adjusted working weekends do).
const CorrectionWorkingDays = 5

// CorrectionStatus is the life of a correction request: OPEN until the
// applicant corrects, then CORRECTED.
type CorrectionStatus string

const (
	CorrectionOpen      CorrectionStatus = "OPEN"
	CorrectionCorrected CorrectionStatus = "CORRECTED"
)

// Correction is a request to the applicant to correct some fields of the
// form, asked by a clerk (TaskID set) or by an agency's refusal. TaskToken
// is the waiting branch's token: the applicant's correction delivers a
// retry with it. It never leaves the server.
type Correction struct {
	ApplicationID string           `json:"applicationId"`
	Track         TrackName        `json:"track"`
	TaskID        string           `json:"taskId,omitempty"`
	Fields        []string         `json:"fields"`
	ReasonCode    string           `json:"reasonCode"`
	Note          string           `json:"note,omitempty"`
	AskedBy       string           `json:"askedBy"`
	AskedAt       time.Time        `json:"askedAt"`
	DueAt         time.Time        `json:"dueAt"`
	Status        CorrectionStatus `json:"status"`
	CorrectedAt   *time.Time       `json:"correctedAt,omitempty"`
	TaskToken     string           `json:"-"`
}

// Corrections is the store part of corrections, implemented by each store
// beside kaiban.Store. An application has at most one correction stored:
// its newest.
type Corrections interface {
	// OpenCorrection stores c (Status OPEN) as the application's
	// correction and appends e, in one write. An OPEN correction already
	// stored is returned unchanged and e is not appended (a retried
	// handler); a CORRECTED one is replaced.
	OpenCorrection(ctx context.Context, c Correction, e AuditEvent) (Correction, error)
	// GetCorrection returns the application's correction, ErrNotFound if
	// none was ever asked.
	GetCorrection(ctx context.Context, applicationID string) (Correction, error)
	// ApplyCorrection replaces the form of the application, moves its
	// deadline by the time it waited (CorrectionPause: the half-day clock
	// stops while the applicant corrects), marks its OPEN correction
	// CORRECTED at now and appends e, in one write. Without an OPEN
	// correction it is ErrNotAwaitingCorrection and writes nothing.
	ApplyCorrection(ctx context.Context, applicationID string, form Form, now time.Time, e AuditEvent) (Correction, error)
}

// CheckCorrection reports ErrInput for a correction no store may accept.
func CheckCorrection(c Correction) error {
	if err := CheckKey("application id", c.ApplicationID); err != nil {
		return err
	}
	if len(c.Fields) == 0 || c.AskedAt.IsZero() || c.DueAt.IsZero() {
		return Errorf(ErrInput, "a correction needs its fields and times")
	}
	if c.TaskToken == "" {
		return Errorf(ErrInput, "a correction needs the waiting branch's token")
	}
	return nil
}

// CorrectionReason is one reason a correction may be asked for.
type CorrectionReason struct {
	Code    string
	LabelZH string
	LabelEN string
}

// Label is the reason's label in lang ("en", anything else is Chinese).
func (r CorrectionReason) Label(lang string) string {
	if lang == "en" {
		return r.LabelEN
	}
	return r.LabelZH
}

// CorrectionReasons is the list of reasons a clerk picks from (the
// console shows it in this order); agencies' refusals use the same codes.
var CorrectionReasons = []CorrectionReason{
	{Code: "ADDRESS_UNUSABLE", LabelZH: "住所无法使用（如已被查封、不能登记）", LabelEN: "The address cannot be used (e.g. sealed off, not registrable)"},
	{Code: "ADDRESS_UNCLEAR", LabelZH: "住所填写不完整或不清楚", LabelEN: "The address is incomplete or unclear"},
	{Code: "CONTACT_UNREACHABLE", LabelZH: "联系人电话无法接通", LabelEN: "The contact's phone cannot be reached"},
	{Code: "BANK_BRANCH_UNAVAILABLE", LabelZH: "所选银行网点无法办理", LabelEN: "The chosen bank branch cannot serve the appointment"},
	{Code: "SEAL_ENGRAVER_UNAVAILABLE", LabelZH: "所选刻章单位无法办理", LabelEN: "The chosen seal engraver cannot take the order"},
	{Code: "OTHER", LabelZH: "其他（见说明）", LabelEN: "Other (see the note)"},
}

// CorrectionReasonFor returns the reason with code, and whether it exists.
func CorrectionReasonFor(code string) (CorrectionReason, bool) {
	i := slices.IndexFunc(CorrectionReasons, func(r CorrectionReason) bool { return r.Code == code })
	if i < 0 {
		return CorrectionReason{}, false
	}
	return CorrectionReasons[i], true
}

// CorrectionDueAt is the end of the applicant's time to correct: asked
// plus CorrectionWorkingDays working days on the holiday calendar
// (workdays.Add), at the same China clock time, in UTC. The workflow's
// wait for the correction times out at this instant.
func CorrectionDueAt(asked time.Time) time.Time {
	return workdays.Add(asked, CorrectionWorkingDays).UTC()
}

// EncodeCorrectedForm returns the corrected form as JSON, ErrInput if it
// is larger than any store keeps (MaxFormBytes).
func EncodeCorrectedForm(f Form) ([]byte, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return nil, Wrap(ErrInput, err, "form cannot be encoded")
	}
	if len(b) > MaxFormBytes {
		return nil, Errorf(ErrInput, "form is larger than %d bytes", MaxFormBytes)
	}
	return b, nil
}

// ApplyCorrectionAudited is ApplyCorrection with e recording the new
// form's digest (AuditSet), so verification of the trail accepts the
// corrected form and still tells a form edited in the database.
func ApplyCorrectionAudited(ctx context.Context, s Corrections, applicationID string, form Form, now time.Time, e AuditEvent) (Correction, error) {
	if err := e.Record(AuditSet{Form: FormDigest(form)}); err != nil {
		return Correction{}, err
	}
	return s.ApplyCorrection(ctx, applicationID, form, now, e)
}

// Clone copies c's slices and pointers, for stores that keep it
// in memory.
func (c Correction) Clone() Correction {
	c.Fields = slices.Clone(c.Fields)
	if c.CorrectedAt != nil {
		t := *c.CorrectedAt
		c.CorrectedAt = &t
	}
	return c
}

// ErrAgencyNeedsCorrection is an agency's refusal that names the form
// fields to correct (its message ends with a CorrectionAsk): the waiting
// branch asks the applicant directly, without a clerk.
const ErrAgencyNeedsCorrection = "Agency.NeedsCorrection"

// CorrectionAsk is what an agency's refusal asks to correct, carried at
// the end of the error's message (the only text the workflow passes from
// the failed state to the one that waits) as " [correct: f1,f2; reason: CODE]".
type CorrectionAsk struct {
	Fields     []string
	ReasonCode string
}

const askOpen, askReason = " [correct: ", "; reason: "

// Append returns msg with the ask at its end.
func (a CorrectionAsk) Append(msg string) string {
	return msg + askOpen + strings.Join(a.Fields, ",") + askReason + a.ReasonCode + "]"
}

// SplitCorrectionAsk returns the message without its ask, and the ask;
// ok is false when msg carries none or it names no correctable field or
// no known reason.
func SplitCorrectionAsk(msg string) (text string, ask CorrectionAsk, ok bool) {
	i := strings.LastIndex(msg, askOpen)
	if i < 0 || !strings.HasSuffix(msg, "]") {
		return msg, CorrectionAsk{}, false
	}
	fields, reason, found := strings.Cut(msg[i+len(askOpen):len(msg)-1], askReason)
	if !found {
		return msg, CorrectionAsk{}, false
	}
	for _, f := range strings.Split(fields, ",") {
		if !Correctable(f) || slices.Contains(ask.Fields, f) {
			return msg, CorrectionAsk{}, false
		}
		ask.Fields = append(ask.Fields, f)
	}
	if _, known := CorrectionReasonFor(reason); !known {
		return msg, CorrectionAsk{}, false
	}
	ask.ReasonCode = reason
	return msg[:i], ask, true
}

// OpenCorrectionAudited stores c with its audit event and moves its
// application to NEEDS_CORRECTION (unless it has finished), returning the
// application as it then is. Opening again (a retried step) keeps the
// correction first stored and changes nothing. The caller tells the
// applicant.
func OpenCorrectionAudited(ctx context.Context, s Store, corr Corrections, c Correction) (*Application, Correction, error) {
	if corr == nil {
		return nil, Correction{}, Errorf(ErrConfig, "the store keeps no corrections")
	}
	after, err := json.Marshal(map[string]any{"track": c.Track, "taskId": c.TaskID, "fields": c.Fields,
		"reasonCode": c.ReasonCode, "note": c.Note, "dueAt": c.DueAt})
	if err != nil {
		return nil, Correction{}, Wrap(ErrInternal, err, "cannot encode the audit event")
	}
	e := AuditEvent{ApplicationID: c.ApplicationID, Time: c.AskedAt, Actor: c.AskedBy, Action: "correction.requested", After: after}
	opened, err := corr.OpenCorrection(ctx, c, e)
	if err != nil {
		return nil, Correction{}, err
	}
	app, err := s.GetApplication(ctx, c.ApplicationID)
	if err != nil {
		return nil, Correction{}, err
	}
	if app.Status != AppNeedsCorrection && !app.Status.Terminal() {
		msg := NoticeTextZH(NoticeWaitingForCorrection)
		se := AuditEvent{ApplicationID: app.ID, Time: c.AskedAt, Actor: c.AskedBy, Action: "application.needs_correction", After: json.RawMessage(`{}`)}
		app, err = UpdateApplicationAudited(ctx, s, app.ID,
			ApplicationUpdate{Status: AppNeedsCorrection, Message: &msg, UpdatedAt: c.AskedAt}, se)
		if Finished(err) {
			// Finished between the read and the write: it stays so.
			app, err = s.GetApplication(ctx, c.ApplicationID)
		}
		if err != nil {
			return nil, Correction{}, err
		}
	}
	return app, opened, nil
}

// CorrectionPause is how long the application waited for correction c
// when it is corrected at now: the time its deadline moves by (never
// negative).
func CorrectionPause(c Correction, now time.Time) time.Duration {
	return max(0, now.Sub(c.AskedAt))
}
