package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	sfntypes "github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/validate"
)

// MaxNoteRunes bounds a clerk's note.
const MaxNoteRunes = 2000

// taskView is a clerk task as the console shows it; the task token is
// never part of it (kaiban.ClerkTask tags it json:"-").
type taskView struct {
	kaiban.ClerkTask
	TimeLeftSeconds int64 `json:"timeLeftSeconds"`
}

func newTaskView(t kaiban.ClerkTask, now time.Time) taskView {
	return taskView{ClerkTask: t, TimeLeftSeconds: max(0, int64(t.Deadline.Sub(now)/time.Second))}
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
		views[i] = newTaskView(t, now)
	}
	return jsonResponse(http.StatusOK, map[string]any{"tasks": views, "count": len(views)}), nil
}

// claimTask gives an open task to the calling clerk (exactly one of
// concurrent claimers wins) and records who claimed it.
func (s *Server) claimTask(ctx context.Context, r *request) (events.APIGatewayV2HTTPResponse, error) {
	id := r.params["id"]
	if kaiban.CheckKey("task id", id) != nil {
		return events.APIGatewayV2HTTPResponse{}, kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	now := s.now()
	claimed, err := s.store.ClaimClerkTask(ctx, id, r.clerk.Sub, now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, notFoundIfInput(err)
	}
	t := claimed.ClerkTask
	r.log = r.log.WithField(logging.FieldApplicationID, t.ApplicationID)
	if err := s.auditTask(ctx, t, r.clerk, "task.claimed", now, map[string]any{
		"taskId": t.ID, "track": t.Track, "kind": t.Kind, "clerk": r.clerk,
	}); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return jsonResponse(http.StatusOK, newTaskView(t, now)), nil
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

// resolveTask delivers the claimer's decision to the waiting execution,
// then records it. Delivery comes first: if recording fails the clerk
// retries, and a decision the execution already took is recognised (the
// token is spent) and recorded; the reverse order could record a decision
// the workflow never received.
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
	switch {
	case task.Status == kaiban.TaskResolved:
		return events.APIGatewayV2HTTPResponse{}, kaiban.Errorf(kaiban.ErrTaskResolved, "task already resolved")
	case task.Status != kaiban.TaskClaimed || task.ClaimedBy != r.clerk.Sub:
		return events.APIGatewayV2HTTPResponse{}, kaiban.Errorf(kaiban.ErrTaskNotClaimed, "task not claimed by this clerk")
	}

	delivered, err := s.deliver(ctx, task.TaskToken, ClerkDecision{
		Decision: kaiban.Decision(q.Decision), Note: q.Note, Data: q.Data, Clerk: r.clerk,
	})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if !delivered {
		r.log.Warn("resolving a task the workflow no longer waits for")
	}
	now := s.now()
	done, err := s.store.ResolveClerkTask(ctx, id, r.clerk.Sub, kaiban.Resolution{Decision: q.Decision, Note: q.Note, Data: q.Data}, now)
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	if err := s.auditTask(ctx, done, r.clerk, "task.resolved", now, map[string]any{
		"taskId": done.ID, "track": done.Track, "decision": q.Decision, "note": q.Note,
		"clerk": r.clerk, "delivered": delivered,
	}); err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return jsonResponse(http.StatusOK, newTaskView(done, now)), nil
}

// deliver sends the decision with SendTaskSuccess. It reports false when
// the execution no longer waits for the token (a previous attempt
// delivered it, or the wait timed out or was stopped).
func (s *Server) deliver(ctx context.Context, token string, d ClerkDecision) (bool, error) {
	out, err := json.Marshal(d)
	if err != nil {
		return false, kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode decision")
	}
	_, err = s.executions.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: aws.String(token), Output: aws.String(string(out))})
	var (
		timedOut *sfntypes.TaskTimedOut
		gone     *sfntypes.TaskDoesNotExist
		invalid  *sfntypes.InvalidToken
	)
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &timedOut), errors.As(err, &gone), errors.As(err, &invalid):
		return false, nil
	default:
		return false, kaiban.Wrap(kaiban.ErrWorkflowUnavailable, err, "cannot reach the workflow")
	}
}

// audit appends a clerk action to the application's trail.
func (s *Server) audit(ctx context.Context, appID string, c ClerkIdentity, action string, now time.Time, after any) error {
	return s.appendAudit(ctx, appID, c, action, now, after, nil)
}

// auditTask appends a clerk action on task t, recording the task's state
// as written (kaiban.AuditSet) so verification can tell a decision edited
// in the database.
func (s *Server) auditTask(ctx context.Context, t kaiban.ClerkTask, c ClerkIdentity, action string, now time.Time, after any) error {
	return s.appendAudit(ctx, t.ApplicationID, c, action, now, after, &kaiban.AuditSet{Task: kaiban.TaskSetOf(t)})
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
