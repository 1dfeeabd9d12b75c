package onestop

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/validate"
)

// MaxNoteRunes bounds a clerk's note.
const MaxNoteRunes = 2000

// TaskView is a clerk task as the console shows it; the task token is
// never part of it (kaiban.ClerkTask tags it json:"-").
// Decisions are the buttons the console shows for it, from
// kaiban.DecisionTable.
type TaskView struct {
	kaiban.ClerkTask
	TimeLeftSeconds int64          `json:"timeLeftSeconds"`
	Decisions       []DecisionView `json:"decisions"`
}

func newTaskView(t kaiban.ClerkTask, now time.Time, lang validate.Lang) TaskView {
	return TaskView{ClerkTask: t, TimeLeftSeconds: max(0, int64(t.Deadline.Sub(now)/time.Second)), Decisions: decisionViews(t, lang)}
}

// TaskQuery filters the queue; the fields are as the client sent them.
type TaskQuery struct {
	Status string
	Track  string
	// Limit is read when HasLimit: a limit given empty is refused.
	Limit    string
	HasLimit bool
}

// ListTasks answers the queue, most urgent first, filtered by status and
// track, at most kaiban.MaxListLimit tasks.
func (s *Service) ListTasks(ctx context.Context, q TaskQuery, lang validate.Lang) ([]TaskView, error) {
	f := kaiban.TaskFilter{Status: kaiban.TaskStatus(q.Status), Track: q.Track}
	var bad []kaiban.FieldError
	if f.Status != "" && !f.Status.Valid() {
		bad = append(bad, fieldError("status", "oneof", lang))
	}
	if f.Track != "" && f.Track != "name" && f.Track != kaiban.TaskSubjectRating && !kaiban.TrackName(f.Track).Valid() {
		bad = append(bad, fieldError("track", "oneof", lang))
	}
	if q.HasLimit {
		n, err := strconv.Atoi(q.Limit)
		if err != nil || n < 1 || n > kaiban.MaxListLimit {
			bad = append(bad, fieldError("limit", "range", lang))
		}
		f.Limit = n
	}
	if len(bad) > 0 {
		return nil, &kaiban.Error{Name: kaiban.ErrValidation, Message: "bad query", Fields: bad}
	}
	tasks, err := s.store.ListClerkTasks(ctx, f)
	if err != nil {
		return nil, err
	}
	now := s.now()
	views := make([]TaskView, len(tasks))
	for i, t := range tasks {
		views[i] = newTaskView(t, now, lang)
	}
	return views, nil
}

// Claim gives an open task (or one whose claim has lapsed, see
// kaiban.ClaimLease) to clerk: exactly one of concurrent claimers wins. A
// fresh claim is audited; claiming a task one already holds changes
// nothing and records nothing.
func (s *Service) Claim(ctx context.Context, id string, clerk ClerkIdentity, lang validate.Lang) (TaskView, error) {
	if kaiban.CheckKey("task id", id) != nil {
		return TaskView{}, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	now := s.now()
	before, err := s.store.GetClerkTask(ctx, id)
	if err != nil {
		return TaskView{}, notFoundIfInput(err)
	}
	if err := supervisorsOnly(before, clerk); err != nil {
		return TaskView{}, err
	}
	// The claim and its event are one write, which records the event only
	// for a fresh claim.
	after := map[string]any{"taskId": before.ID, "track": before.Track, "kind": before.Kind, "clerk": clerk}
	if before.Status == kaiban.TaskClaimed && before.ClaimedBy != clerk.Sub {
		after["takenFrom"] = before.ClaimedBy // the previous claim had lapsed
	}
	ev, err := taskEvent(before, kaiban.TaskClaimed, clerk, "task.claimed", now, after)
	if err != nil {
		return TaskView{}, err
	}
	claimed, err := s.store.ClaimClerkTaskWithAudit(ctx, id, clerk.Sub, now, ev)
	if err != nil {
		return TaskView{}, notFoundIfInput(err)
	}
	t := claimed.ClerkTask
	return newTaskView(t, now, lang), nil
}

// Release gives a task clerk holds back to the queue (OPEN), so another
// clerk can take it; audited.
func (s *Service) Release(ctx context.Context, id string, clerk ClerkIdentity, lang validate.Lang) (TaskView, error) {
	if kaiban.CheckKey("task id", id) != nil {
		return TaskView{}, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	now := s.now()
	before, err := s.store.GetClerkTask(ctx, id)
	if err != nil {
		return TaskView{}, notFoundIfInput(err)
	}
	// The release and its event are one write.
	ev, err := taskEvent(before, kaiban.TaskOpen, clerk, "task.released", now, map[string]any{
		"taskId": before.ID, "track": before.Track, "kind": before.Kind, "clerk": clerk,
	})
	if err != nil {
		return TaskView{}, err
	}
	t, err := s.store.ReleaseClerkTaskWithAudit(ctx, id, clerk.Sub, now, ev)
	if err != nil {
		return TaskView{}, notFoundIfInput(err)
	}
	return newTaskView(t, now, lang), nil
}

// Resolution is a clerk's decision on a task, as the clerk sent it (the
// body of POST /v1/clerk/tasks/{id}/resolve).
type Resolution struct {
	Decision kaiban.Decision `json:"decision"`
	Note     string          `json:"note"`
	Data     json.RawMessage `json:"data"`
	// Fields and ReasonCode are a correct decision's: the form fields the
	// applicant is to correct (kaiban.FieldTracks) and why
	// (kaiban.CorrectionReasons).
	Fields     []string `json:"fields"`
	ReasonCode string   `json:"reasonCode"`
}

func (q *Resolution) check(lang validate.Lang) error {
	var bad []kaiban.FieldError
	if !q.Decision.Valid() {
		bad = append(bad, fieldError("decision", "oneof", lang))
	}
	if utf8.RuneCountInString(q.Note) > MaxNoteRunes {
		bad = append(bad, fieldError("note", "max", lang))
	}
	if d := trimJSON(q.Data); len(d) > 0 && string(d) != "null" && d[0] != '{' {
		bad = append(bad, fieldError("data", "object", lang))
	}
	if len(bad) > 0 {
		return &kaiban.Error{Name: kaiban.ErrValidation, Message: "bad resolution", Fields: bad}
	}
	return nil
}

// checkFor refuses what the task's class does not take (kaiban.DecisionTable)
// and a completion the workflow could not carry: the track handler stores
// the clerk's data and note as the track's result, which every store
// limits to kaiban.MaxTrackBytes, so the same check runs here first.
func (q *Resolution) checkFor(t kaiban.ClerkTask, lang validate.Lang) (kaiban.DecisionRule, error) {
	rule, ok := kaiban.RuleFor(t.Class(), q.Decision)
	if !ok {
		return rule, &kaiban.Error{Name: kaiban.ErrValidation, Message: "decision not allowed for this task", Fields: []kaiban.FieldError{decisionNotAllowed(t.Class(), lang)}}
	}
	if rule.TakesFields {
		if err := q.checkCorrection(t, lang); err != nil {
			return rule, err
		}
	}
	if rule.TakesData && kaiban.CheckClerkCompletion(q.Data) != nil {
		return rule, &kaiban.Error{Name: kaiban.ErrValidation, Message: "completion too large", Fields: []kaiban.FieldError{fieldError("data", "max", lang)}}
	}
	return rule, nil
}

// Resolve records clerk's decision and then delivers it to the waiting
// execution. Recording comes first, as one conditional write (CLAIMED by
// this clerk → RESOLVED, with its audit event), so of two crossing
// decisions exactly one wins and the other gets kaiban.ErrTaskResolved;
// the winner is what the workflow receives. Delivery is recorded on the
// task (DeliveredAt); if it fails, the decision stands and the background
// re-delivery (package delivery) hands it over later.
func (s *Service) Resolve(ctx context.Context, id string, clerk ClerkIdentity, q Resolution, lang validate.Lang) (TaskView, error) {
	if kaiban.CheckKey("task id", id) != nil {
		return TaskView{}, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	if err := q.check(lang); err != nil {
		return TaskView{}, err
	}
	// A note is internal, but clerks copy from the form: ID and mobile
	// numbers are masked before it is delivered, stored or audited.
	q.Note = logging.Mask(q.Note)
	if d := trimJSON(q.Data); string(d) == "null" {
		q.Data = nil
	}

	task, err := s.store.GetClerkTask(ctx, id)
	if err != nil {
		return TaskView{}, notFoundIfInput(err)
	}
	log := s.logFor(ctx, task.ApplicationID)
	if err := supervisorsOnly(task, clerk); err != nil {
		return TaskView{}, err
	}
	rule, err := q.checkFor(task, lang)
	if err != nil {
		return TaskView{}, err
	}
	if rule.NeedsNote && strings.TrimSpace(q.Note) == "" {
		return TaskView{}, &kaiban.Error{Name: kaiban.ErrValidation, Message: "a note is required", Fields: []kaiban.FieldError{ratingFieldError("note", "required", lang)}}
	}
	now := s.now()
	after, err := encodeAudit(map[string]any{
		"taskId": task.ID, "track": task.Track, "kind": task.Kind, "decision": q.Decision, "note": q.Note, "clerk": clerk,
		"fields": q.Fields, "reasonCode": q.ReasonCode,
	})
	if err != nil {
		return TaskView{}, err
	}
	settled := rule.SetsStatus == "" && (!rule.Delivers || task.TaskToken == "")
	if rule.TakesFields {
		// The fields and the reason travel as the decision's data to the
		// state that asks the applicant (it opens the correction).
		if q.Data, err = json.Marshal(map[string]any{"fields": q.Fields, "reasonCode": q.ReasonCode}); err != nil {
			return TaskView{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode the correction")
		}
	}
	e := kaiban.AuditEvent{ApplicationID: task.ApplicationID, Time: now, Actor: clerk.Actor(), Action: "task.resolved", After: after}
	if err := e.Record(kaiban.AuditSet{Task: &kaiban.TaskSet{ID: task.ID, Status: kaiban.TaskResolved, Decision: q.Decision}}); err != nil {
		return TaskView{}, err
	}
	done, err := kaiban.ResolveClerkTaskAudited(ctx, s.store, id, clerk.Sub,
		kaiban.Resolution{Decision: q.Decision, Note: q.Note, Data: q.Data, Settled: settled}, now, e)
	if err != nil {
		return TaskView{}, notFoundIfInput(err)
	}
	if task.Kind == kaiban.TaskRatingFollowUp {
		s.count(ctx, task.ApplicationID, now, kaiban.FollowUpClosedCounters(now, task.Deadline))
		s.tellFollowUpOutcome(ctx, done)
	}
	if !settled {
		out, err := delivery.Deliver(ctx, s.store, s.workflow, done, clerk, s.now())
		switch {
		case err != nil:
			log.WithError(err).Warn("decision recorded, delivery deferred to re-delivery")
		case out == delivery.Gone:
			log.Warn("resolved a task the workflow no longer waits for")
		}
		if err == nil {
			if cur, gerr := s.store.GetClerkTask(ctx, id); gerr == nil {
				done = cur
			}
		}
	}
	return newTaskView(done, now, lang), nil
}

// audit appends a clerk action to the application's trail.
func (s *Service) audit(ctx context.Context, appID string, c ClerkIdentity, action string, now time.Time, after any) error {
	return s.appendAudit(ctx, appID, c, action, now, after, nil)
}

// taskEvent is the event of clerk c's write moving task t to status, for
// the store to write together with the task (kaiban.TaskAuditedWriter).
func taskEvent(t kaiban.ClerkTask, status kaiban.TaskStatus, c ClerkIdentity, action string, now time.Time, after any) (kaiban.AuditEvent, error) {
	b, err := encodeAudit(after)
	if err != nil {
		return kaiban.AuditEvent{}, err
	}
	e := kaiban.AuditEvent{ApplicationID: t.ApplicationID, Time: now, Actor: c.Actor(), Action: action, After: b}
	return e, e.Record(kaiban.AuditSet{Task: &kaiban.TaskSet{ID: t.ID, Status: status}})
}

func (s *Service) appendAudit(ctx context.Context, appID string, c ClerkIdentity, action string, now time.Time, after any, set *kaiban.AuditSet) error {
	b, err := encodeAudit(after)
	if err != nil {
		return err
	}
	e := kaiban.AuditEvent{ApplicationID: appID, Time: now, Actor: c.Actor(), Action: action, After: b}
	if set != nil {
		if err := e.Record(*set); err != nil {
			return err
		}
	}
	_, err = s.store.AppendAudit(ctx, e)
	return err
}

func trimJSON(b json.RawMessage) json.RawMessage {
	i, j := 0, len(b)
	for i < j && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	for j > i && (b[j-1] == ' ' || b[j-1] == '\t' || b[j-1] == '\n' || b[j-1] == '\r') {
		j--
	}
	return b[i:j]
}
