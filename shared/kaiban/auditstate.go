package kaiban

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"
)

// AuditSet is the part of an audit event that says which stored state the
// change set: every writer of an application's form, status, credit code,
// tracks or clerk tasks records it (AuditEvent.Record), so verification can
// replay the trail and compare the result with what is stored. It travels
// in the event's After under "set", so it is covered by the event's MAC.
type AuditSet struct {
	Status     AppStatus `json:"status,omitempty"`
	CreditCode string    `json:"creditCode,omitempty"`
	Form       string    `json:"form,omitempty"` // FormDigest of the submitted form
	Track      *TrackSet `json:"track,omitempty"`
	Task       *TaskSet  `json:"task,omitempty"`
}

// TrackSet is a track's state as an event set it.
type TrackSet struct {
	Name   TrackName   `json:"name"`
	Status TrackStatus `json:"status"`
	Result string      `json:"result,omitempty"` // ResultDigest; "" for no result
}

// TaskSet is a clerk task's state as an event set it.
type TaskSet struct {
	ID       string     `json:"id"`
	Status   TaskStatus `json:"status"`
	Decision Decision   `json:"decision,omitempty"`
}

// SetOf returns the TrackSet recording t.
func SetOf(t Track) *TrackSet {
	return &TrackSet{Name: t.Name, Status: t.Status, Result: ResultDigest(t.Result)}
}

// TaskSetOf returns the TaskSet recording t.
func TaskSetOf(t ClerkTask) *TaskSet {
	return &TaskSet{ID: t.ID, Status: t.Status, Decision: t.Decision}
}

// FormDigest is the hex SHA-256 of the form's JSON encoding (Go's encoding
// of the Form struct, which is canonical: fixed field order). The trail
// holds the digest, never the form's personal data.
func FormDigest(f Form) string {
	b, err := json.Marshal(f)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ResultDigest is the hex SHA-256 of a track result in compact JSON, so a
// store that reformats whitespace does not change it; "" for no result.
func ResultDigest(r json.RawMessage) string {
	if len(r) == 0 || string(r) == "null" {
		return ""
	}
	sum := sha256.Sum256(compactJSON(r))
	return hex.EncodeToString(sum[:])
}

// Record adds s to the event's After (under "set"), which must be a JSON
// object or empty.
func (e *AuditEvent) Record(s AuditSet) error {
	m := map[string]json.RawMessage{}
	if len(e.After) > 0 && string(e.After) != "null" {
		if err := json.Unmarshal(e.After, &m); err != nil {
			return Wrap(ErrInternal, err, "audit event after is not an object")
		}
	}
	b, err := json.Marshal(s)
	if err != nil {
		return Wrap(ErrInternal, err, "audit encoding failed")
	}
	m["set"] = b
	if e.After, err = json.Marshal(m); err != nil {
		return Wrap(ErrInternal, err, "audit encoding failed")
	}
	return nil
}

// setOf returns the AuditSet an event carries, or nil.
func (e AuditEvent) setOf() *AuditSet {
	if !bytes.Contains(e.After, []byte(`"set"`)) {
		return nil // most events (views, claims' context) set nothing: skip decoding them
	}
	var w struct {
		Set *AuditSet `json:"set"`
	}
	if json.Unmarshal(e.After, &w) != nil {
		return nil
	}
	return w.Set
}

// AuditProblem is one precise finding of verification: which event (Seq,
// 0 when none applies), which field of the application, and why (one of
// the Audit* reasons).
type AuditProblem struct {
	Seq    int64  `json:"seq,omitempty"`
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

// Reasons of the state comparison.
const (
	// AuditStateDiffers: the stored value is not what the trail last set.
	AuditStateDiffers = "state_differs"
	// AuditNotCovered: the stored value was never recorded in the trail.
	AuditNotCovered = "not_covered"
)

// trailState is what replaying a trail says the application looks like;
// each value remembers the event that set it.
type trailState struct {
	form, status, creditCode valueAt
	tracks                   map[TrackName]trackAt
	tasks                    map[string]taskAt
}

type valueAt struct {
	v   string
	seq int64
}

type trackAt struct {
	TrackSet
	seq int64
}

type taskAt struct {
	TaskSet
	seq int64
}

// replay folds the events' AuditSets in order.
func replay(events []AuditEvent) trailState {
	st := trailState{tracks: map[TrackName]trackAt{}, tasks: map[string]taskAt{}}
	for _, e := range events {
		s := e.setOf()
		if s == nil {
			continue
		}
		if s.Form != "" {
			st.form = valueAt{s.Form, e.Seq}
		}
		if s.Status != "" {
			st.status = valueAt{string(s.Status), e.Seq}
		}
		if s.CreditCode != "" {
			st.creditCode = valueAt{s.CreditCode, e.Seq}
		}
		if s.Track != nil {
			st.tracks[s.Track.Name] = trackAt{*s.Track, e.Seq}
		}
		if s.Task != nil {
			st.tasks[s.Task.ID] = taskAt{*s.Task, e.Seq}
		}
	}
	return st
}

// TaskIDs returns the clerk tasks the trail mentions, sorted.
func TaskIDs(events []AuditEvent) []string {
	var ids []string
	for id := range replay(events).tasks {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// CompareState replays events and compares the result with the stored
// application and its clerk tasks (those the trail mentions and any other
// the store has for it). An empty result means every covered field is
// what the trail last set.
func CompareState(events []AuditEvent, app *Application, tasks []ClerkTask) []AuditProblem {
	st := replay(events)
	var out []AuditProblem
	check := func(field string, want valueAt, got string) {
		switch {
		case want.seq == 0 && got != "":
			out = append(out, AuditProblem{Field: field, Reason: AuditNotCovered})
		case want.v != got:
			out = append(out, AuditProblem{Seq: want.seq, Field: field, Reason: AuditStateDiffers})
		}
	}
	form := st.form
	if form.seq == 0 {
		// A trail without the submission's digest covers no form at all.
		out = append(out, AuditProblem{Field: "form", Reason: AuditNotCovered})
	} else if FormDigest(app.Form) != form.v {
		out = append(out, AuditProblem{Seq: form.seq, Field: "form", Reason: AuditStateDiffers})
	}
	check("status", st.status, string(app.Status))
	check("creditCode", st.creditCode, app.CreditCode)
	for _, t := range app.Tracks {
		want, ok := st.tracks[t.Name]
		if !ok {
			// Every track starts PENDING without a result; that needs
			// no event.
			want = trackAt{TrackSet: TrackSet{Name: t.Name, Status: TrackPending}}
		}
		prefix := "tracks." + string(t.Name)
		if t.Status != want.Status {
			out = append(out, AuditProblem{Seq: want.seq, Field: prefix + ".status", Reason: reasonAt(want.seq)})
		}
		if ResultDigest(t.Result) != want.Result {
			out = append(out, AuditProblem{Seq: want.seq, Field: prefix + ".result", Reason: reasonAt(want.seq)})
		}
	}
	seen := map[string]bool{}
	for _, t := range tasks {
		if t.ApplicationID != app.ID || seen[t.ID] {
			continue
		}
		seen[t.ID] = true
		want, ok := st.tasks[t.ID]
		prefix := "tasks." + t.ID
		if !ok {
			out = append(out, AuditProblem{Field: prefix, Reason: AuditNotCovered})
			continue
		}
		if t.Status != want.Status {
			out = append(out, AuditProblem{Seq: want.seq, Field: prefix + ".status", Reason: AuditStateDiffers})
		}
		if t.Decision != want.Decision {
			out = append(out, AuditProblem{Seq: want.seq, Field: prefix + ".decision", Reason: AuditStateDiffers})
		}
	}
	var gone []AuditProblem
	for id, t := range st.tasks {
		if !seen[id] {
			gone = append(gone, AuditProblem{Seq: t.seq, Field: "tasks." + id, Reason: AuditDeleted})
		}
	}
	slices.SortFunc(gone, func(a, b AuditProblem) int { return strings.Compare(a.Field, b.Field) })
	out = append(out, gone...)
	return out
}

func reasonAt(seq int64) string {
	if seq == 0 {
		return AuditNotCovered
	}
	return AuditStateDiffers
}
