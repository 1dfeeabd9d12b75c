package dynamodb

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// errRefused is what txWithAudit returns when a condition of the change
// (not of the audit head) did not hold.
var errRefused = errors.New("the change's condition did not hold")

// txWithAudit commits change (writes to items other than the application
// item) and the audit head's conditional move from N to N+1 carrying e, in
// one TransactWriteItems: both or neither. A refused head condition means
// another append took N+1, and the transaction is tried again after it; a
// refused condition of change is errRefused, for the caller to explain.
func (s *Store) txWithAudit(ctx context.Context, e kaiban.AuditEvent, change ...types.TransactWriteItem) error {
	if err := kaiban.RequireAuditKey(s.auditKey); err != nil {
		return err
	}
	e.Time = e.Time.UTC()
	for range s.auditAttempts {
		ev := e
		it, headExpr, err := s.chainHead(ctx, &ev)
		if err != nil {
			return err
		}
		items := append(append([]types.TransactWriteItem(nil), change...), types.TransactWriteItem{Update: &types.Update{
			TableName: aws.String(s.table), Key: key(appPK(e.ApplicationID), skMeta),
			UpdateExpression: headExpr.Update(), ConditionExpression: headExpr.Condition(),
			ExpressionAttributeNames: headExpr.Names(), ExpressionAttributeValues: headExpr.Values(),
		}})
		_, err = s.db.TransactWriteItems(ctx, &ddb.TransactWriteItemsInput{TransactItems: items})
		var cancelled *types.TransactionCanceledException
		switch {
		case errors.As(err, &cancelled):
			for i, r := range cancelled.CancellationReasons {
				if i < len(change) && aws.ToString(r.Code) == "ConditionalCheckFailed" {
					return errRefused
				}
			}
			continue // the head moved, or a concurrent transaction touched an item: again
		case err != nil:
			return storeErr(err, "cannot write the change with its audit event")
		}
		// Committed. Settling may fail (the next reader or writer settles
		// then), but the event is not lost.
		_ = s.settle(ctx, it)
		return nil
	}
	return kaiban.Errorf(kaiban.ErrStoreUnavailable, "the audit trail is too busy; retry")
}

// taskUpdate is the transaction item updating task id with expr.
func (s *Store) taskUpdate(id string, expr expression.Expression) types.TransactWriteItem {
	return types.TransactWriteItem{Update: &types.Update{
		TableName: aws.String(s.table), Key: key(taskPK(id), skTask),
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}}
}

// CreateClerkTaskWithAudit implements kaiban.TaskAuditedWriter: the task's
// conditional Put and the audit head's move are one TransactWriteItems.
func (s *Store) CreateClerkTaskWithAudit(ctx context.Context, t kaiban.ClerkTask, e kaiban.AuditEvent) (kaiban.CreatedTask, error) {
	if err := kaiban.CheckClerkTask(t); err != nil {
		return kaiban.CreatedTask{}, err
	}
	if err := kaiban.CheckAuditEventOf(t.ApplicationID, e); err != nil {
		return kaiban.CreatedTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.CreatedTask{}, err
	}
	existing := func() (kaiban.CreatedTask, error) {
		cur, err := s.getTaskItem(ctx, t.ID)
		if err != nil {
			return kaiban.CreatedTask{}, err
		}
		got, err := cur.task()
		return kaiban.CreatedTask{ClerkTask: got}, err
	}
	if c, err := existing(); !kaiban.IsName(err, kaiban.ErrNotFound) {
		return c, err
	}
	it := newTaskItem(t)
	item, err := marshal(it)
	if err != nil {
		return kaiban.CreatedTask{}, err
	}
	if err := checkSize(item); err != nil {
		return kaiban.CreatedTask{}, err
	}
	err = s.txWithAudit(ctx, e, types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(s.table), Item: item, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}})
	if errors.Is(err, errRefused) {
		return existing() // created meanwhile by a retried handler
	}
	if err != nil {
		return kaiban.CreatedTask{}, err
	}
	got, err := it.task()
	return kaiban.CreatedTask{ClerkTask: got, Created: true}, err
}

// ClaimClerkTaskWithAudit implements kaiban.TaskAuditedWriter: a fresh
// claim's conditional update and the audit head's move are one
// TransactWriteItems.
func (s *Store) ClaimClerkTaskWithAudit(ctx context.Context, id, clerk string, now time.Time, e kaiban.AuditEvent) (kaiban.ClaimedTask, error) {
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.ClaimedTask{}, err
	}
	return s.claim(ctx, id, clerk, now, &e)
}

// ReleaseClerkTaskWithAudit implements kaiban.TaskAuditedWriter: the
// conditional release and the audit head's move are one
// TransactWriteItems.
func (s *Store) ReleaseClerkTaskWithAudit(ctx context.Context, id, clerk string, now time.Time, e kaiban.AuditEvent) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckClaim(id, clerk, now); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	upd, cond := releaseUpdate(clerk)
	cond = cond.And(expression.Name("applicationId").Equal(expression.Value(e.ApplicationID)))
	expr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(cond).Build()
	if err != nil {
		return kaiban.ClerkTask{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the update")
	}
	err = s.txWithAudit(ctx, e, s.taskUpdate(id, expr))
	if errors.Is(err, errRefused) {
		if err := s.whyNotClaimed(ctx, id); !kaiban.IsName(err, kaiban.ErrTaskNotClaimed) {
			return kaiban.ClerkTask{}, err
		}
		if cur, err := s.getTaskItem(ctx, id); err == nil && cur.ApplicationID != e.ApplicationID {
			return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrInput, "the audit event is for another application")
		}
		return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrTaskNotClaimed, "task is not claimed by you")
	}
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	cur, err := s.getTaskItem(ctx, id)
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	return cur.task()
}

// ResolveClerkTaskWithAudit implements kaiban.TaskAuditedWriter with one
// TransactWriteItems: the task's conditional move to RESOLVED and the
// audit head's move carrying the event happen together or not at all. A
// refused task condition is the clerk's answer (already resolved, not
// theirs).
func (s *Store) ResolveClerkTaskWithAudit(ctx context.Context, id, clerk string, r kaiban.Resolution, now time.Time, e kaiban.AuditEvent) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckResolution(id, clerk, r, now); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.ClerkTask{}, err
	}
	upd, cond := resolveUpdate(id, clerk, r, now)
	cond = cond.And(expression.Name("applicationId").Equal(expression.Value(e.ApplicationID)))
	taskExpr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(cond).Build()
	if err != nil {
		return kaiban.ClerkTask{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the update")
	}
	err = s.txWithAudit(ctx, e, s.taskUpdate(id, taskExpr))
	if errors.Is(err, errRefused) {
		return kaiban.ClerkTask{}, s.whyNotResolved(ctx, id, e.ApplicationID)
	}
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	cur, err := s.getTaskItem(ctx, id)
	if err != nil {
		return kaiban.ClerkTask{}, err
	}
	return cur.task()
}

// whyNotResolved classifies a refused resolution: the task is resolved,
// not the clerk's, or belongs to another application than the event.
func (s *Store) whyNotResolved(ctx context.Context, id, applicationID string) error {
	cur, err := s.getTaskItem(ctx, id)
	switch {
	case err != nil:
		return err
	case cur.Status == string(kaiban.TaskResolved):
		return kaiban.Errorf(kaiban.ErrTaskResolved, "task is already resolved")
	case cur.ApplicationID != applicationID:
		return kaiban.Errorf(kaiban.ErrInput, "the audit event is for another application")
	default:
		return kaiban.Errorf(kaiban.ErrTaskNotClaimed, "task is not claimed by you")
	}
}
