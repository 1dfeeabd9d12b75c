package onestop

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/validate"
)

// CorrectionView is the open correction in the applicant's status: the
// fields to correct (with their current values, ID numbers and mobiles
// masked), why, and until when.
type CorrectionView struct {
	Track      kaiban.TrackName  `json:"track"`
	Fields     []string          `json:"fields"`
	Current    map[string]string `json:"current"`
	ReasonCode string            `json:"reasonCode"`
	Reason     string            `json:"reason"`
	Message    string            `json:"message"`
	AskedAt    time.Time         `json:"askedAt"`
	DueAt      time.Time         `json:"dueAt"`
}

// correctionView renders c for the applicant of app in lang.
func correctionView(c kaiban.Correction, app *kaiban.Application, lang validate.Lang) *CorrectionView {
	r, _ := kaiban.CorrectionReasonFor(c.ReasonCode)
	v := &CorrectionView{Track: c.Track, Fields: slices.Clone(c.Fields), Current: map[string]string{},
		ReasonCode: c.ReasonCode, Reason: r.Label(langCode(lang)), Message: redact(c.Note, personalData(&app.Form)),
		AskedAt: c.AskedAt, DueAt: c.DueAt}
	if doc, err := formDoc(app.Form); err == nil {
		for _, f := range c.Fields {
			if raw, ok := getPath(doc, f); ok {
				var s string
				if json.Unmarshal(raw, &s) == nil {
					v.Current[f] = maskField(f, s)
				}
			}
		}
	}
	return v
}

// maskField masks the value of a personal field (a mobile or an ID
// number) for the status page and the audit trail, and any ID or mobile
// number typed into another field.
func maskField(field, value string) string {
	if strings.HasSuffix(field, ".mobile") || strings.HasSuffix(field, ".idNumber") {
		return mask(value)
	}
	return logging.Mask(value)
}

// addCorrection puts the open correction of an application waiting for
// one into its status view.
func (s *Service) addCorrection(ctx context.Context, v *StatusView, app *kaiban.Application, lang validate.Lang) error {
	if app.Status != kaiban.AppNeedsCorrection || s.corrections == nil {
		return nil
	}
	c, err := s.corrections.GetCorrection(ctx, app.ID)
	if kaiban.IsName(err, kaiban.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if c.Status == kaiban.CorrectionOpen {
		v.Correction = correctionView(c, app, lang)
		v.PausedSince, v.TimeLeftSeconds = &v.Correction.AskedAt, pausedTimeLeft(app, c)
	}
	return nil
}

// pausedTimeLeft is the time left frozen when the clock stopped for
// correction c (the deadline moves by the wait once it is made).
func pausedTimeLeft(app *kaiban.Application, c kaiban.Correction) int64 {
	return max(0, int64(app.Deadline.Sub(c.AskedAt)/time.Second))
}

// checkCorrection checks a clerk's correct decision on task t: real
// correctable fields, each once, a known reason code, and a waiting
// branch to send back.
func (q *Resolution) checkCorrection(t kaiban.ClerkTask, lang validate.Lang) error {
	var bad []kaiban.FieldError
	if len(q.Fields) == 0 {
		bad = append(bad, fieldError("fields", "required", lang))
	}
	seen := map[string]bool{}
	for i, f := range q.Fields {
		if !kaiban.Correctable(f) || seen[f] {
			bad = append(bad, correctionFieldError(fieldsIndex(i), "oneof", lang))
		}
		seen[f] = true
	}
	if _, ok := kaiban.CorrectionReasonFor(q.ReasonCode); !ok {
		bad = append(bad, fieldError("reasonCode", "oneof", lang))
	}
	if !kaiban.TrackName(t.Track).Valid() || t.TaskToken == "" {
		bad = append(bad, fieldError("decision", "correct", lang))
	}
	if len(bad) > 0 {
		return &kaiban.Error{Name: kaiban.ErrValidation, Message: "bad correction request", Fields: bad}
	}
	return nil
}

func fieldsIndex(i int) string { return "fields[" + itoa(i) + "]" }

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// correctionFieldError is fieldError for an indexed field (fields[2]),
// whose message is the one of its list.
func correctionFieldError(field, code string, lang validate.Lang) kaiban.FieldError {
	fe := fieldError("fields", code, lang)
	fe.Field = field
	return fe
}

// CorrectionRequest is the body of POST /v1/applications/{id}/corrections:
// the new value of each field asked for, by JSON path.
type CorrectionRequest struct {
	Changes map[string]json.RawMessage `json:"changes"`
}

// CorrectionResult answers an accepted correction: the application
// resumes; staleTracks are the finished tracks whose agencies keep the
// previous value of a changed field (kaiban.CorrectionStale).
type CorrectionResult struct {
	ID          string             `json:"id"`
	Status      kaiban.AppStatus   `json:"status"`
	Resumed     kaiban.TrackName   `json:"resumed"`
	StaleTracks []kaiban.TrackName `json:"staleTracks"`
}

// Correct applies the applicant's correction to application id. It must
// be waiting for one (else kaiban.ErrNotAwaitingCorrection, 409); every
// change must be to a field asked for (else a field error "not_asked");
// the whole form after the change is validated with the submission's
// rules and error shape (every failing field). The corrected form and its
// audit event (a diff with personal data masked) are one write; then the
// waiting branch is sent a retry and re-runs its track with the new form,
// and the application is IN_PROGRESS again.
//
// If the branch cannot be reached after the form was stored
// (ErrWorkflowUnavailable), the application stays NEEDS_CORRECTION with
// its correction made, and the same request sent again resumes it.
func (s *Service) Correct(ctx context.Context, id, token string, q CorrectionRequest, lang validate.Lang) (CorrectionResult, error) {
	if !validApplicationID(id) {
		return CorrectionResult{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if err := s.store.CheckAccessToken(ctx, id, token); err != nil {
		return CorrectionResult{}, notFoundIfInput(err)
	}
	if s.corrections == nil {
		return CorrectionResult{}, kaiban.Errorf(kaiban.ErrNotAwaitingCorrection, "no correction is awaited")
	}
	app, err := s.store.GetApplication(ctx, id)
	if err != nil {
		return CorrectionResult{}, err
	}
	c, err := s.corrections.GetCorrection(ctx, id)
	if kaiban.IsName(err, kaiban.ErrNotFound) || (err == nil && app.Status != kaiban.AppNeedsCorrection) {
		return CorrectionResult{}, kaiban.Errorf(kaiban.ErrNotAwaitingCorrection, "no correction is awaited")
	}
	if err != nil {
		return CorrectionResult{}, err
	}
	if c.Status == kaiban.CorrectionCorrected {
		// Made, but the branch was not reached: resume it now.
		return s.resumeCorrected(ctx, app, c, nil)
	}
	if len(q.Changes) == 0 {
		return CorrectionResult{}, &kaiban.Error{Name: kaiban.ErrValidation, Message: "no changes",
			Fields: []kaiban.FieldError{fieldError("changes", "required", lang)}}
	}
	var notAsked []kaiban.FieldError
	for _, f := range sortedKeys(q.Changes) {
		if !slices.Contains(c.Fields, f) {
			notAsked = append(notAsked, notAskedError(f, c.Fields, lang))
		}
	}
	if len(notAsked) > 0 {
		return CorrectionResult{}, &kaiban.Error{Name: kaiban.ErrValidation, Message: "changes to fields not asked for", Fields: notAsked}
	}
	form, diff, err := s.changedForm(app, q.Changes, lang)
	if err != nil {
		return CorrectionResult{}, err
	}
	changed := sortedKeys(q.Changes)
	stale := kaiban.CorrectionStale(app, changed, c.Track)
	after, err := encodeAudit(map[string]any{"track": c.Track, "changes": diff, "staleTracks": stale})
	if err != nil {
		return CorrectionResult{}, err
	}
	now := s.now()
	e := kaiban.AuditEvent{ApplicationID: id, Time: now, Actor: "applicant", Action: "correction.applied", After: after}
	if c, err = kaiban.ApplyCorrectionAudited(ctx, s.corrections, id, form, now, e); err != nil {
		return CorrectionResult{}, err
	}
	return s.resumeCorrected(ctx, app, c, stale)
}

// resumeCorrected sends the corrected track's waiting branch a retry and
// puts the application back IN_PROGRESS.
func (s *Service) resumeCorrected(ctx context.Context, app *kaiban.Application, c kaiban.Correction, stale []kaiban.TrackName) (CorrectionResult, error) {
	out, err := json.Marshal(kaiban.ClerkOutcome{Decision: kaiban.DecisionRetry, Note: "corrected by the applicant", Data: json.RawMessage("null"),
		Clerk: kaiban.ClerkIdentity{Sub: "applicant"}})
	if err != nil {
		return CorrectionResult{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode the retry")
	}
	switch err := s.workflow.SendTaskSuccess(ctx, c.TaskToken, out); {
	case err == nil:
	case errors.Is(err, delivery.ErrTaskGone):
		// The branch stopped waiting (the wait timed out, or the
		// execution ended): its own path decides the application.
		s.logFor(ctx, app.ID).Warn("corrected an application whose branch no longer waits")
	default:
		return CorrectionResult{}, kaiban.Wrap(kaiban.ErrWorkflowUnavailable, err, "cannot reach the workflow")
	}
	if stale == nil {
		stale = []kaiban.TrackName{}
	}
	res := CorrectionResult{ID: app.ID, Status: app.Status, Resumed: c.Track, StaleTracks: stale}
	cur, err := s.store.GetApplication(ctx, app.ID)
	if err != nil {
		return CorrectionResult{}, err
	}
	res.Status = cur.Status
	if cur.Status == kaiban.AppNeedsCorrection {
		msg := ""
		e := kaiban.AuditEvent{ApplicationID: app.ID, Time: s.now(), Actor: "applicant", Action: "application.resumed", After: json.RawMessage(`{}`)}
		_, err := kaiban.UpdateApplicationAudited(ctx, s.store, app.ID,
			kaiban.ApplicationUpdate{Status: kaiban.AppInProgress, Message: &msg, UpdatedAt: s.now()}, e)
		switch {
		case err == nil:
			res.Status = kaiban.AppInProgress
		case kaiban.IsName(err, kaiban.ErrApplicationFinished):
			// The resumed workflow finished the application between the
			// read above and this write: its status stands, and is the
			// answer.
			if cur, err = s.store.GetApplication(ctx, app.ID); err != nil {
				return CorrectionResult{}, err
			}
			res.Status = cur.Status
		default:
			return CorrectionResult{}, err
		}
	}
	return res, nil
}

// changedForm returns app's form with changes applied, validated whole
// with the submission's rules (at the submission time, as the dates were),
// and the diff for the audit trail with personal data masked.
func (s *Service) changedForm(app *kaiban.Application, changes map[string]json.RawMessage, lang validate.Lang) (kaiban.Form, []map[string]string, error) {
	doc, err := formDoc(app.Form)
	if err != nil {
		return kaiban.Form{}, nil, err
	}
	var diff []map[string]string
	for _, f := range sortedKeys(changes) {
		before, _ := getPath(doc, f)
		if !setPath(doc, f, changes[f]) {
			return kaiban.Form{}, nil, kaiban.Errorf(kaiban.ErrInternal, "field %s is not in the form", f)
		}
		var b, a string
		_ = json.Unmarshal(before, &b)
		_ = json.Unmarshal(changes[f], &a)
		diff = append(diff, map[string]string{"field": f, "before": maskField(f, b), "after": maskField(f, a)})
	}
	body, err := json.Marshal(doc)
	if err != nil {
		return kaiban.Form{}, nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode the form")
	}
	form, err := s.validator.Check(body, app.SubmittedAt, lang)
	if err != nil {
		return kaiban.Form{}, nil, err
	}
	return form, diff, nil
}

// notAskedError refuses a change to field, listing the fields asked for.
func notAskedError(field string, asked []string, lang validate.Lang) kaiban.FieldError {
	list := strings.Join(asked, ", ")
	msg := "此项不在补正范围内，只能修改：" + list
	if lang == validate.LangEN {
		msg = "this field was not asked for; only these may change: " + list
	}
	return kaiban.FieldError{Field: field, Code: "not_asked", Message: msg}
}

// formDoc is the form as a JSON document, for changes by path.
func formDoc(f kaiban.Form) (map[string]json.RawMessage, error) {
	b, err := json.Marshal(f)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode the form")
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot decode the form")
	}
	return doc, nil
}

// getPath reads the value at a dotted path (object keys only: the
// correctable fields have no list indexes).
func getPath(doc map[string]json.RawMessage, path string) (json.RawMessage, bool) {
	head, rest, nested := strings.Cut(path, ".")
	v, ok := doc[head]
	if !ok || !nested {
		return v, ok
	}
	var sub map[string]json.RawMessage
	if json.Unmarshal(v, &sub) != nil {
		return nil, false
	}
	return getPath(sub, rest)
}

// setPath sets the value at a dotted path that exists in doc.
func setPath(doc map[string]json.RawMessage, path string, v json.RawMessage) bool {
	head, rest, nested := strings.Cut(path, ".")
	cur, ok := doc[head]
	if !ok {
		return false
	}
	if !nested {
		doc[head] = v
		return true
	}
	var sub map[string]json.RawMessage
	if json.Unmarshal(cur, &sub) != nil || sub == nil || !setPath(sub, rest, v) {
		return false
	}
	b, err := json.Marshal(sub)
	if err != nil {
		return false
	}
	doc[head] = b
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
