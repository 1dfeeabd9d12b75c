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

// transactor is the part of the DynamoDB client a transaction needs;
// *dynamodb.Client has it. A client without it (a test double) gets the
// resolution and then the audit append, as two writes.
type transactor interface {
	TransactWriteItems(ctx context.Context, in *ddb.TransactWriteItemsInput, opts ...func(*ddb.Options)) (*ddb.TransactWriteItemsOutput, error)
}

var (
	_ kaiban.TaskAuditedWriter = (*Store)(nil)
	_ transactor               = (*ddb.Client)(nil)
)

// ResolveClerkTaskWithAudit implements kaiban.TaskAuditedWriter with one
// TransactWriteItems: the task's conditional move to RESOLVED and the
// audit head's conditional move from N to N+1 carrying the event (the
// commit of an append, see AppendAudit) happen together or not at all.
// A refused task condition is the clerk's answer (already resolved, not
// theirs); a refused head condition means another append took N+1, and the
// transaction is tried again after it.
func (s *Store) ResolveClerkTaskWithAudit(ctx context.Context, id, clerk string, r kaiban.Resolution, now time.Time, e kaiban.AuditEvent) (kaiban.ClerkTask, error) {
	if err := kaiban.CheckResolution(id, clerk, r, now); err != nil {
		return kaiban.ClerkTask{}, err
	}
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.ClerkTask{}, err
	}
	tx, ok := s.db.(transactor)
	if !ok {
		t, err := s.ResolveClerkTask(ctx, id, clerk, r, now)
		if err != nil {
			return kaiban.ClerkTask{}, err
		}
		_, err = s.AppendAudit(ctx, e)
		return t, err
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
	e.Time = e.Time.UTC()
	for range maxAuditAttempts {
		ev := e
		it, headExpr, err := s.chainHead(ctx, &ev)
		if err != nil {
			return kaiban.ClerkTask{}, err
		}
		_, err = tx.TransactWriteItems(ctx, &ddb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Update: &types.Update{
				TableName: aws.String(s.table), Key: key(taskPK(id), skTask),
				UpdateExpression: taskExpr.Update(), ConditionExpression: taskExpr.Condition(),
				ExpressionAttributeNames: taskExpr.Names(), ExpressionAttributeValues: taskExpr.Values(),
			}},
			{Update: &types.Update{
				TableName: aws.String(s.table), Key: key(appPK(e.ApplicationID), skMeta),
				UpdateExpression: headExpr.Update(), ConditionExpression: headExpr.Condition(),
				ExpressionAttributeNames: headExpr.Names(), ExpressionAttributeValues: headExpr.Values(),
			}},
		}})
		var cancelled *types.TransactionCanceledException
		switch {
		case errors.As(err, &cancelled):
			if reasons := cancelled.CancellationReasons; len(reasons) > 0 && aws.ToString(reasons[0].Code) == "ConditionalCheckFailed" {
				return kaiban.ClerkTask{}, s.whyNotResolved(ctx, id, e.ApplicationID)
			}
			continue // the head moved, or a concurrent transaction touched an item: again
		case err != nil:
			return kaiban.ClerkTask{}, storeErr(err, "cannot resolve the task")
		}
		// Committed. Settling may fail (the next reader or writer settles
		// then), but the event is not lost.
		_ = s.settle(ctx, it)
		cur, err := s.getTaskItem(ctx, id)
		if err != nil {
			return kaiban.ClerkTask{}, err
		}
		return cur.task()
	}
	return kaiban.ClerkTask{}, kaiban.Errorf(kaiban.ErrStoreUnavailable, "the audit trail is too busy; retry")
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
