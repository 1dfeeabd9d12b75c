package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/validate"
)

// MaxNoteRunes bounds a clerk's note.
const MaxNoteRunes = 2000

// taskView is a clerk task as the console shows it; the task token is
// never part of it (kaiban.ClerkTask tags it json:"-").
// Decisions are the buttons the console shows for it, from
// kaiban.DecisionTable.
type taskView struct {
	kaiban.ClerkTask
	TimeLeftSeconds int64          `json:"timeLeftSeconds"`
	Decisions       []decisionView `json:"decisions"`
}

func newTaskView(t kaiban.ClerkTask, now time.Time, lang validate.Lang) taskView {
	return taskView{ClerkTask: t, TimeLeftSeconds: max(0, int64(t.Deadline.Sub(now)/time.Second)), Decisions: decisionViews(t, lang)}
}

// listTasks answers the queue, most urgent first, filtered by status and
// track, at most kaiban.MaxListLimit tasks.
func (s *Server) listTasks(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	q := r.ev.QueryStringParameters
	f := kaiban.TaskFilter{Status: kaiban.TaskStatus(q["status"]), Track: q["track"]}
	var bad []kaiban.FieldError
	if f.Status != "" && !f.Status.Valid() {
		bad = append(bad, fieldError("status", "oneof", r.lang))
	}
	if f.Track != "" && f.Track != "name" && !kaiban.TrackName(f.Track).Valid() {
		bad = append(bad, fieldError("track", "oneof", r.lang))
	}
	if v, ok := q["limit"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > kaiban.MaxListLimit {
			bad = append(bad, fieldError("limit", "range", r.lang))
		}
		f.Limit = n
	}
	if len(bad) > 0 {
		return events.APIGatewayV2HTTPResponse{}, &kaiban.Error{Name: kaiban.ErrValidation, Message: "bad query", Fields: bad}
	}
	tasks, err := s.store.ListClerkTasks(ctx, f)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := s.now()
	views := make([]taskView, len(tasks))
	for i, t := range tasks {
		views[i] = newTaskView(t, now, r.lang)
	}
	return jsonResponse(http.StatusOK, map[string]any{"tasks": views, "count": len(views)}), nil
}

// claimTask gives an open task (or one whose claim has lapsed, see
// kaiban.ClaimLease) to the calling clerk: exactly one of concurrent
// claimers wins. A fresh claim is audited; claiming a task one already
// holds changes nothing and records nothing.
func (s *Server) claimTask(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	id := r.params["id"]
	if kaiban.CheckKey("task id", id) != nil {
		return events.APIGatewayV2HTTPResponse{}, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	now := s.now()
	before, err := s.store.GetClerkTask(ctx, id)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, notFoundIfInput(err)
	}
	// The claim and its event are one write, which records the event only
	// for a fresh claim.
	after := map[string]any{"taskId": before.ID, "track": before.Track, "kind": before.Kind, "clerk": r.clerk}
	if before.Status == kaiban.TaskClaimed && before.ClaimedBy != r.clerk.Sub {
		after["takenFrom"] = before.ClaimedBy // the previous claim had lapsed
	}
	ev, err := taskEvent(before, kaiban.TaskClaimed, r.clerk, "task.claimed", now, after)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	claimed, err := s.store.ClaimClerkTaskWithAudit(ctx, id, r.clerk.Sub, now, ev)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, notFoundIfInput(err)
	}
	t := claimed.ClerkTask
	r.log = r.log.WithField(logging.FieldApplicationID, t.ApplicationID)
	return jsonResponse(http.StatusOK, newTaskView(t, now, r.lang)), nil
}

// releaseTask gives a task the caller holds back to the queue (OPEN), so
// another clerk can take it; audited.
func (s *Server) releaseTask(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	id := r.params["id"]
	if kaiban.CheckKey("task id", id) != nil {
		return events.APIGatewayV2HTTPResponse{}, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	now := s.now()
	before, err := s.store.GetClerkTask(ctx, id)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, notFoundIfInput(err)
	}
	// The release and its event are one write.
	ev, err := taskEvent(before, kaiban.TaskOpen, r.clerk, "task.released", now, map[string]any{
		"taskId": before.ID, "track": before.Track, "kind": before.Kind, "clerk": r.clerk,
	})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	t, err := s.store.ReleaseClerkTaskWithAudit(ctx, id, r.clerk.Sub, now, ev)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, notFoundIfInput(err)
	}
	r.log = r.log.WithField(logging.FieldApplicationID, t.ApplicationID)
	return jsonResponse(http.StatusOK, newTaskView(t, now, r.lang)), nil
}

// resolveRequest is the body of POST /v1/clerk/tasks/{id}/resolve.
type resolveRequest struct {
	Decision kaiban.Decision `json:"decision"`
	Note     string          `json:"note"`
	Data     json.RawMessage `json:"data"`
}

func (q *resolveRequest) check(lang validate.Lang) error {
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
func (q *resolveRequest) checkFor(t kaiban.ClerkTask, lang validate.Lang) (kaiban.DecisionRule, error) {
	rule, ok := kaiban.RuleFor(t.Class(), q.Decision)
	if !ok {
		return rule, &kaiban.Error{Name: kaiban.ErrValidation, Message: "decision not allowed for this task", Fields: []kaiban.FieldError{decisionNotAllowed(t.Class(), lang)}}
	}
	if rule.TakesData && kaiban.CheckClerkCompletion(q.Data) != nil {
		return rule, &kaiban.Error{Name: kaiban.ErrValidation, Message: "completion too large", Fields: []kaiban.FieldError{fieldError("data", "max", lang)}}
	}
	return rule, nil
}

// resolveTask records the claimer's decision and then delivers it to the
// waiting execution. Recording comes first, as one conditional write
// (CLAIMED by this clerk → RESOLVED, with its audit event), so of two
// crossing decisions exactly one wins and the other gets 409; the winner
// is what the workflow receives. Delivery is recorded on the task
// (DeliveredAt); if it fails, the decision stands and the background
// re-delivery (package delivery) hands it over later.
func (s *Server) resolveTask(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	id := r.params["id"]
	if kaiban.CheckKey("task id", id) != nil {
		return events.APIGatewayV2HTTPResponse{}, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	body, err := jsonBody(r.ev)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	var q resolveRequest
	if err := validate.StrictUnmarshal(body, &q); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if err := q.check(r.lang); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	// A note is internal, but clerks copy from the form: ID and mobile
	// numbers are masked before it is delivered, stored or audited.
	q.Note = logging.Mask(q.Note)
	if d := trimJSON(q.Data); string(d) == "null" {
		q.Data = nil
	}

	task, err := s.store.GetClerkTask(ctx, id)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, notFoundIfInput(err)
	}
	r.log = r.log.WithField(logging.FieldApplicationID, task.ApplicationID)
	rule, err := q.checkFor(task, r.lang)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	now := s.now()
	after, err := json.Marshal(map[string]any{
		"taskId": task.ID, "track": task.Track, "kind": task.Kind, "decision": q.Decision, "note": q.Note, "clerk": r.clerk,
	})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode audit event")
	}
	settled := rule.SetsStatus == "" && (!rule.Delivers || task.TaskToken == "")
	e := kaiban.AuditEvent{ApplicationID: task.ApplicationID, Time: now, Actor: r.clerk.Actor(), Action: "task.resolved", After: after}
	if err := e.Record(kaiban.AuditSet{Task: &kaiban.TaskSet{ID: task.ID, Status: kaiban.TaskResolved, Decision: q.Decision}}); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	done, err := kaiban.ResolveClerkTaskAudited(ctx, s.store, id, r.clerk.Sub,
		kaiban.Resolution{Decision: q.Decision, Note: q.Note, Data: q.Data, Settled: settled}, now, e)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, notFoundIfInput(err)
	}
	if !settled {
		out, err := delivery.Deliver(ctx, s.store, s.executions, done, r.clerk, s.now())
		switch {
		case err != nil:
			r.log.WithError(err).Warn("decision recorded, delivery deferred to re-delivery")
		case out == delivery.Gone:
			r.log.Warn("resolved a task the workflow no longer waits for")
		}
		if err == nil {
			if cur, gerr := s.store.GetClerkTask(ctx, id); gerr == nil {
				done = cur
			}
		}
	}
	return jsonResponse(http.StatusOK, newTaskView(done, now, r.lang)), nil
}

// audit appends a clerk action to the application's trail.
func (s *Server) audit(ctx context.Context, appID string, c ClerkIdentity, action string, now time.Time, after any) error {
	return s.appendAudit(ctx, appID, c, action, now, after, nil)
}

// taskEvent is the event of clerk c's write moving task t to status, for
// the store to write together with the task (kaiban.TaskAuditedWriter).
func taskEvent(t kaiban.ClerkTask, status kaiban.TaskStatus, c ClerkIdentity, action string, now time.Time, after any) (kaiban.AuditEvent, error) {
	b, err := json.Marshal(after)
	if err != nil {
		return kaiban.AuditEvent{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode audit event")
	}
	e := kaiban.AuditEvent{ApplicationID: t.ApplicationID, Time: now, Actor: c.Actor(), Action: action, After: b}
	return e, e.Record(kaiban.AuditSet{Task: &kaiban.TaskSet{ID: t.ID, Status: status}})
}

func (s *Server) appendAudit(ctx context.Context, appID string, c ClerkIdentity, action string, now time.Time, after any, set *kaiban.AuditSet) error {
	b, err := json.Marshal(after)
	if err != nil {
		return kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode audit event")
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
