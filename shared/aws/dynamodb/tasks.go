package dynamodb

import (
	"context"
	"errors"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func (s *Store) getTaskItem(ctx context.Context, id string) (taskItem, error) {
	var it taskItem
	found, err := s.getItem(ctx, taskPK(id), skTask, &it)
	if err == nil && !found {
		err = kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	return it, err
}

// CreateClerkTask implements kaiban.Store. A conditional Put creates the
// task once; a retried creation gets the stored task back.
func (s *Store) CreateClerkTask(ctx context.Context, t kaiban.ClerkTask) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckClerkTask(t); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if cur, err := s.getTaskItem(ctx, t.ID); err == nil {
		return cur.task()
	} else if !kaiban.IsName(err, kaiban.ErrNotFound) {
		return kaiban.ClerkTask{}, err
	}
	var app struct{}
	found, err := s.getItem(ctx, appPK(t.ApplicationID), skMeta, &app)
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	if !found {
		return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	it := newTaskItem(t)
	item, err := marshal(it)
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := checkSize(item); err != nil {
		return kaiban.ClerkTask{}, err
	}
	created, err := s.putNew(ctx, item, "attribute_not_exists(PK)", nil)
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	if !created {
		cur, err := s.getTaskItem(ctx, t.ID)
		if err != nil {
			return kaiban.ClerkTask{}, err
		}
		return cur.task()
	}
	return it.task()
}

// GetClerkTask implements kaiban.Store.
func (s *Store) GetClerkTask(ctx context.Context, id string) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckKey("task id", id); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	it, err := s.getTaskItem(ctx, id)
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	return it.task()
}

// ListClerkTasks implements kaiban.Store: one Query of GSI1 per status,
// merged by sort key, which encodes the queue order.
func (s *Store) ListClerkTasks(ctx context.Context, f kaiban.TaskFilter) ([]kaiban.ClerkTask, error) {
	if f.Status != "" && !f.Status.Valid() {
		return nil, kaiban.Errorf(kaiban.ErrInput, "unknown task status %q", f.Status)
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	limit := kaiban.ClampLimit(f.Limit)
	statuses := []kaiban.TaskStatus{kaiban.TaskOpen, kaiban.TaskClaimed, kaiban.TaskResolved}
	if f.Status != "" {
		statuses = []kaiban.TaskStatus{f.Status}
	}
	var items []taskItem
	for _, st := range statuses {
		got, err := s.queryQueue(ctx, st, f.Track, limit)
		if err != nil {
			return nil, err
		}
		items = append(items, got...)
	}
	sort.Slice(items, func(i, j int) bool { return items[i].GSI1SK < items[j].GSI1SK })
	if len(items) > limit {
		items = items[:limit]
	}
	out := make([]kaiban.ClerkTask, 0, len(items))
	for _, it := range items {
		t, err := it.task()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// queryQueue returns up to limit tasks of one status (and track) in queue
// order, paging past items the track filter drops.
func (s *Store) queryQueue(ctx context.Context, status kaiban.TaskStatus, track string, limit int) ([]taskItem, error) {
	kc := expression.Key(attrGSI1PK).Equal(expression.Value(queuePK(status)))
	b := expression.NewBuilder().WithKeyCondition(kc)
	if track != "" {
		b = b.WithFilter(expression.Name("track").Equal(expression.Value(track)))
	}
	expr, err := b.Build()
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the query")
	}
	in := &ddb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(indexQueue),
		KeyConditionExpression: expr.KeyCondition(), FilterExpression: expr.Filter(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		Limit: aws.Int32(int32(limit)),
	}
	var out []taskItem
	for {
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, storeErr(err, "cannot list tasks")
		}
		for _, m := range res.Items {
			var it taskItem
			if err := unmarshal(m, &it); err != nil {
				return nil, err
			}
			out = append(out, it)
		}
		if len(out) >= limit || len(res.LastEvaluatedKey) == 0 {
			return out, nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// ClaimClerkTask implements kaiban.Store: the claim is an UpdateItem on
// condition that the task is as read (OPEN, or CLAIMED by the same clerk
// at the same time with a lapsed lease), so of concurrent clerks exactly
// one succeeds.
func (s *Store) ClaimClerkTask(ctx context.Context, id, clerk string, now time.Time) (kaiban.ClaimedTask, error) {
	return s.claim(ctx, id, clerk, now, nil)
}

// claim is ClaimClerkTask; with e, a fresh claim's update and the event
// are one transaction (txWithAudit).
func (s *Store) claim(ctx context.Context, id, clerk string, now time.Time, e *kaiban.AuditEvent) (kaiban.ClaimedTask, error) {
	if err := kaiban.CheckClaim(id, clerk, now); err != nil {
		return kaiban.ClaimedTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.ClaimedTask{}, err
	}
	for range 3 {
		it, err := s.getTaskItem(ctx, id)
		if err != nil {
			return kaiban.ClaimedTask{}, err
		}
		t, err := it.task()
		if err != nil {
			return kaiban.ClaimedTask{}, err
		}
		cond := expression.Name("status").Equal(expression.Value(string(kaiban.TaskOpen)))
		switch {
		case e != nil && t.ApplicationID != e.ApplicationID:
			return kaiban.ClaimedTask{}, kaiban.Errorf(kaiban.ErrInput, "the audit event is for another application")
		case t.Status == kaiban.TaskResolved:
			return kaiban.ClaimedTask{}, kaiban.Errorf(kaiban.ErrTaskResolved, "task is already resolved")
		case t.Status == kaiban.TaskClaimed && t.ClaimedBy == clerk:
			return kaiban.ClaimedTask{ClerkTask: t, Token: t.TaskToken}, nil
		case t.Status == kaiban.TaskClaimed && !t.ClaimExpired(now):
			return kaiban.ClaimedTask{}, kaiban.Errorf(kaiban.ErrTaskClaimed, "task is claimed by another clerk")
		case t.Status == kaiban.TaskClaimed:
			cond = expression.Name("status").Equal(expression.Value(string(kaiban.TaskClaimed))).
				And(expression.Name("claimedBy").Equal(expression.Value(it.ClaimedBy))).
				And(expression.Name("claimedAt").Equal(expression.Value(it.ClaimedAt)))
		}
		upd := expression.Set(expression.Name("status"), expression.Value(string(kaiban.TaskClaimed))).
			Set(expression.Name("claimedBy"), expression.Value(clerk)).
			Set(expression.Name("claimedAt"), expression.Value(fmtTime(now))).
			Set(expression.Name(attrGSI1PK), expression.Value(queuePK(kaiban.TaskClaimed)))
		if e != nil {
			expr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(cond).Build()
			if err != nil {
				return kaiban.ClaimedTask{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the update")
			}
			err = s.txWithAudit(ctx, *e, s.taskUpdate(id, expr))
			if errors.Is(err, errRefused) {
				continue // someone else moved it: look again
			}
			if err != nil {
				return kaiban.ClaimedTask{}, err
			}
			if it, err = s.getTaskItem(ctx, id); err != nil {
				return kaiban.ClaimedTask{}, err
			}
			t, err = it.task()
			return kaiban.ClaimedTask{ClerkTask: t, Token: t.TaskToken, Fresh: true}, err
		}
		attrs, err := s.updateTask(ctx, id, upd, cond)
		if isConditionFailed(err) {
			continue // someone else moved it: look again
		}
		if err != nil {
			return kaiban.ClaimedTask{}, err
		}
		if err := unmarshal(attrs, &it); err != nil {
			return kaiban.ClaimedTask{}, err
		}
		t, err = it.task()
		return kaiban.ClaimedTask{ClerkTask: t, Token: t.TaskToken, Fresh: true}, err
	}
	return kaiban.ClaimedTask{}, kaiban.Errorf(kaiban.ErrTaskClaimed, "task is claimed by another clerk")
}

// ReleaseClerkTask implements kaiban.Store: an UpdateItem on condition
// status = CLAIMED and claimedBy = clerk.
func (s *Store) ReleaseClerkTask(ctx context.Context, id, clerk string, now time.Time) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckClaim(id, clerk, now); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	upd, cond := releaseUpdate(clerk)
	attrs, err := s.updateTask(ctx, id, upd, cond)
	if isConditionFailed(err) {
		return kaiban.ClerkTask{}, s.whyNotClaimed(ctx, id)
	}
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	var it taskItem
	if err := unmarshal(attrs, &it); err != nil {
		return kaiban.ClerkTask{}, err
	}
	return it.task()
}

// releaseUpdate returns a task to OPEN if clerk holds it.
func releaseUpdate(clerk string) (expression.UpdateBuilder, expression.ConditionBuilder) {
	upd := expression.Set(expression.Name("status"), expression.Value(string(kaiban.TaskOpen))).
		Set(expression.Name(attrGSI1PK), expression.Value(queuePK(kaiban.TaskOpen))).
		Remove(expression.Name("claimedBy")).Remove(expression.Name("claimedAt"))
	cond := expression.Name("status").Equal(expression.Value(string(kaiban.TaskClaimed))).
		And(expression.Name("claimedBy").Equal(expression.Value(clerk)))
	return upd, cond
}

// whyNotClaimed classifies a refused claimer-only write.
func (s *Store) whyNotClaimed(ctx context.Context, id string) error {
	cur, err := s.getTaskItem(ctx, id)
	switch {
	case err != nil:
		return err
	case cur.Status == string(kaiban.TaskResolved):
		return kaiban.Errorf(kaiban.ErrTaskResolved, "task is already resolved")
	default:
		return kaiban.Errorf(kaiban.ErrTaskNotClaimed, "task is not claimed by you")
	}
}

// updateTask runs a conditional UpdateItem on a task and returns the new
// item. A refused condition is returned as is for the caller to classify.
func (s *Store) updateTask(ctx context.Context, id string, upd expression.UpdateBuilder, cond expression.ConditionBuilder) (map[string]types.AttributeValue, error) {
	expr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(cond).Build()
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the update")
	}
	out, err := s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: aws.String(s.table), Key: key(taskPK(id), skTask),
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValues: types.ReturnValueAllNew,
	})
	if isConditionFailed(err) {
		return nil, err
	}
	if err != nil {
		return nil, storeErr(err, "cannot update the task")
	}
	return out.Attributes, nil
}

// ResolveClerkTask implements kaiban.Store: an UpdateItem on condition
// status = CLAIMED and claimedBy = clerk.
func (s *Store) ResolveClerkTask(ctx context.Context, id, clerk string, r kaiban.Resolution, now time.Time) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckResolution(id, clerk, r, now); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	upd, cond := resolveUpdate(id, clerk, r, now)
	attrs, err := s.updateTask(ctx, id, upd, cond)
	if isConditionFailed(err) {
		return kaiban.ClerkTask{}, s.whyNotClaimed(ctx, id)
	}
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	var it taskItem
	if err := unmarshal(attrs, &it); err != nil {
		return kaiban.ClerkTask{}, err
	}
	return it.task()
}

// resolveUpdate is the conditional UpdateItem of a resolution: CLAIMED
// by clerk → RESOLVED with the decision.
func resolveUpdate(id, clerk string, r kaiban.Resolution, now time.Time) (expression.UpdateBuilder, expression.ConditionBuilder) {
	upd := expression.Set(expression.Name("status"), expression.Value(string(kaiban.TaskResolved))).
		Set(expression.Name("resolvedBy"), expression.Value(clerk)).
		Set(expression.Name("resolvedAt"), expression.Value(fmtTime(now))).
		Set(expression.Name("decision"), expression.Value(string(r.Decision))).
		Set(expression.Name(attrGSI1PK), expression.Value(queuePK(kaiban.TaskResolved))).
		Set(expression.Name(attrGSI3PK), expression.Value(resolvedDayPK(now))).
		Set(expression.Name(attrGSI3SK), expression.Value(fmtTime(now)+"#"+id))
	if r.Settled {
		upd = upd.Set(expression.Name("deliveredAt"), expression.Value(fmtTime(now))).
			Remove(expression.Name(attrGSI2PK)).Remove(expression.Name(attrGSI2SK))
	} else {
		// The task leaves its application's open list for the list of
		// decisions still owed to a workflow.
		upd = upd.Set(expression.Name(attrGSI2PK), expression.Value(undeliveredPK)).
			Set(expression.Name(attrGSI2SK), expression.Value(fmtTime(now)+"#"+id))
	}
	if r.Note != "" {
		upd = upd.Set(expression.Name("note"), expression.Value(r.Note))
	}
	if len(r.Data) > 0 {
		upd = upd.Set(expression.Name("data"), expression.Value(string(r.Data)))
	} else {
		upd = upd.Remove(expression.Name("data"))
	}
	cond := expression.Name("status").Equal(expression.Value(string(kaiban.TaskClaimed))).
		And(expression.Name("claimedBy").Equal(expression.Value(clerk)))
	return upd, cond
}

// RaiseClerkTask implements kaiban.Store. The queue sort key is rebuilt
// from the task's deadline, creation time and ID, which never change.
func (s *Store) RaiseClerkTask(ctx context.Context, id string, priority int) error {
	if err := kaiban.CheckKey("task id", id); err != nil {
		return err
	}
	if err := kaiban.CheckPriority(priority); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	it, err := s.getTaskItem(ctx, id)
	if err != nil {
		return err
	}
	upd := expression.Set(expression.Name("priority"), expression.Value(priority)).
		Set(expression.Name(attrGSI1SK), expression.Value(queueSK(priority, it.Deadline, it.CreatedAt, it.ID)))
	_, err = s.updateTask(ctx, id, upd, expression.AttributeExists(expression.Name(attrPK)))
	if isConditionFailed(err) {
		return kaiban.Errorf(kaiban.ErrNotFound, "task not found")
	}
	return err
}

// OpenTasksFor implements kaiban.Store through the sparse GSI2 entries of
// unresolved tasks, each confirmed with a consistent read.
func (s *Store) OpenTasksFor(ctx context.Context, applicationID string) ([]kaiban.ClerkTask, error) {
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	keys, err := s.queryDue(ctx, appTasksPK(applicationID), "", 0)
	if err != nil {
		return nil, err
	}
	out := []kaiban.ClerkTask{}
	for _, k := range keys {
		var it taskItem
		found, err := s.getItem(ctx, k.pk, k.sk, &it)
		if err != nil {
			return nil, err
		}
		if !found || it.Status == string(kaiban.TaskResolved) {
			continue
		}
		t, err := it.task()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// MarkClerkTaskDelivered implements kaiban.Store: an UpdateItem on
// condition status = RESOLVED that keeps an earlier delivery time and
// drops the task from the undelivered list.
func (s *Store) MarkClerkTaskDelivered(ctx context.Context, id string, now time.Time) error {
	if err := kaiban.CheckKey("task id", id); err != nil {
		return err
	}
	if err := kaiban.CheckTime("delivery time", now); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	upd := expression.Set(expression.Name("deliveredAt"),
		expression.IfNotExists(expression.Name("deliveredAt"), expression.Value(fmtTime(now)))).
		Remove(expression.Name(attrGSI2PK)).Remove(expression.Name(attrGSI2SK))
	cond := expression.Name("status").Equal(expression.Value(string(kaiban.TaskResolved)))
	_, err := s.updateTask(ctx, id, upd, cond)
	if isConditionFailed(err) {
		if _, err := s.getTaskItem(ctx, id); err != nil {
			return err
		}
		return kaiban.Errorf(kaiban.ErrInput, "task is not resolved")
	}
	return err
}

// UndeliveredClerkTasks implements kaiban.Store through the sparse GSI2
// partition of undelivered resolutions, each confirmed with a consistent
// read.
func (s *Store) UndeliveredClerkTasks(ctx context.Context, limit int) ([]kaiban.ClerkTask, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	limit = kaiban.ClampLimit(limit)
	keys, err := s.queryDue(ctx, undeliveredPK, "", limit)
	if err != nil {
		return nil, err
	}
	out := []kaiban.ClerkTask{}
	for _, k := range keys {
		var it taskItem
		found, err := s.getItem(ctx, k.pk, k.sk, &it)
		if err != nil {
			return nil, err
		}
		if !found || it.Status != string(kaiban.TaskResolved) || it.DeliveredAt != "" {
			continue
		}
		t, err := it.task()
		if err != nil {
			return nil, err
		}
		out = append(out, t)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}
