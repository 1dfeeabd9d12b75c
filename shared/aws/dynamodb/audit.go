package dynamodb

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// maxAuditAttempts bounds the retries of an append that keeps losing the
// race for the head to other appenders.
const maxAuditAttempts = 100

// auditHead is the part of the application item that the audit trail uses.
type auditHead struct {
	AuditSeq  int64      `dynamodbav:"auditSeq"`
	AuditHash string     `dynamodbav:"auditHash"`
	AuditMAC  string     `dynamodbav:"auditMac"` // kaiban.AuditHead.MAC
	Pending   *auditItem `dynamodbav:"auditPending,omitempty"`
}

func (s *Store) readHead(ctx context.Context, applicationID string) (auditHead, error) {
	out, err := s.db.GetItem(ctx, &ddb.GetItemInput{
		TableName: aws.String(s.table), Key: key(appPK(applicationID), skMeta), ConsistentRead: aws.Bool(true),
		ProjectionExpression: aws.String("auditSeq, auditHash, auditMac, auditPending"),
	})
	if err != nil {
		return auditHead{}, storeErr(err, "cannot read the audit head")
	}
	if len(out.Item) == 0 {
		return auditHead{}, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	var h auditHead
	return h, unmarshal(out.Item, &h)
}

// AppendAudit implements kaiban.Store. The conditional move of the head
// from N to N+1, which carries the event, is the commit; writing the event
// item and clearing auditPending follow, and whoever comes next finishes
// them if this caller does not (see the package comment).
func (s *Store) AppendAudit(ctx context.Context, e kaiban.AuditEvent) (kaiban.AuditEvent, error) {
	if err := kaiban.CheckAuditEvent(e); err != nil {
		return kaiban.AuditEvent{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.AuditEvent{}, err
	}
	if err := kaiban.RequireAuditKey(s.auditKey); err != nil {
		return kaiban.AuditEvent{}, err
	}
	e.Time = e.Time.UTC()
	for range s.auditAttempts {
		it, expr, err := s.chainHead(ctx, &e)
		if err != nil {
			return kaiban.AuditEvent{}, err
		}
		_, err = s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
			TableName: aws.String(s.table), Key: key(appPK(e.ApplicationID), skMeta),
			UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
			ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		})
		if isConditionFailed(err) {
			continue // another append took N+1: chain after it
		}
		if err != nil {
			return kaiban.AuditEvent{}, storeErr(err, "cannot append the audit event")
		}
		// Committed. Settling may fail (the next reader or writer settles
		// then), but the event is not lost and the append succeeded.
		_ = s.settle(ctx, it)
		return e, nil
	}
	return kaiban.AuditEvent{}, kaiban.Errorf(kaiban.ErrStoreUnavailable, "the audit trail is too busy; retry")
}

// settle writes the pending event's item if it is missing and clears
// auditPending if it still holds that event.
func (s *Store) settle(ctx context.Context, p auditItem) error {
	p.PK, p.SK, p.Kind = appPK(p.ApplicationID), auditSK(p.Seq), kindAudit
	item, err := marshal(p)
	if err != nil {
		return err
	}
	if _, err := s.putNew(ctx, item, "attribute_not_exists(PK)", nil); err != nil {
		return err
	}
	expr, err := expression.NewBuilder().
		WithUpdate(expression.Remove(expression.Name("auditPending"))).
		WithCondition(expression.Name("auditSeq").Equal(expression.Value(p.Seq)).
			And(expression.AttributeExists(expression.Name("auditPending")))).
		Build()
	if err != nil {
		return kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the update")
	}
	_, err = s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: aws.String(s.table), Key: key(appPK(p.ApplicationID), skMeta),
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	})
	if err != nil && !isConditionFailed(err) {
		return storeErr(err, "cannot settle the audit event")
	}
	return nil
}

// UseAuditKey gives the store the key its audit trail is chained and
// verified with; call it before the store is used. Without one, appending
// and verifying are ErrConfig.
func (s *Store) UseAuditKey(k kaiban.AuditKey) *Store {
	s.auditKey = k
	return s
}

// ListAudit implements kaiban.Store.
func (s *Store) ListAudit(ctx context.Context, applicationID string) ([]kaiban.AuditEvent, error) {
	events, _, err := s.readAudit(ctx, applicationID)
	return events, err
}

// VerifyAudit implements kaiban.Store.
func (s *Store) VerifyAudit(ctx context.Context, applicationID string) error {
	if err := kaiban.RequireAuditKey(s.auditKey); err != nil {
		return err
	}
	events, head, err := s.readAudit(ctx, applicationID)
	if err != nil {
		return err
	}
	return kaiban.VerifyAudit(s.auditKey, events, head)
}

// readAudit reads a consistent snapshot of the trail: the head, the events,
// and the head again, retried until no append moved it in between. A
// committed event whose item is not written yet is taken from auditPending.
func (s *Store) readAudit(ctx context.Context, applicationID string) ([]kaiban.AuditEvent, kaiban.AuditHead, error) {
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return nil, kaiban.AuditHead{}, err
	}
	if err := s.check(ctx); err != nil {
		return nil, kaiban.AuditHead{}, err
	}
	for range maxAuditAttempts {
		head, err := s.readHead(ctx, applicationID)
		if err != nil {
			return nil, kaiban.AuditHead{}, err
		}
		items, err := s.queryAudit(ctx, applicationID)
		if err != nil {
			return nil, kaiban.AuditHead{}, err
		}
		again, err := s.readHead(ctx, applicationID)
		if err != nil {
			return nil, kaiban.AuditHead{}, err
		}
		if again.AuditSeq != head.AuditSeq {
			continue
		}
		if p := head.Pending; p != nil && p.Seq == head.AuditSeq && (len(items) == 0 || items[len(items)-1].Seq < p.Seq) {
			items = append(items, *p)
		}
		events := make([]kaiban.AuditEvent, 0, len(items))
		for _, it := range items {
			e, err := it.event()
			if err != nil {
				return nil, kaiban.AuditHead{}, err
			}
			events = append(events, e)
		}
		return events, kaiban.AuditHead{Seq: head.AuditSeq, Hash: head.AuditHash, MAC: head.AuditMAC}, nil
	}
	return nil, kaiban.AuditHead{}, kaiban.Errorf(kaiban.ErrStoreUnavailable, "the audit trail is too busy to read; retry")
}

func (s *Store) queryAudit(ctx context.Context, applicationID string) ([]auditItem, error) {
	var out []auditItem
	err := s.queryPrefix(ctx, appPK(applicationID), skAudit, "the audit trail", func(m map[string]types.AttributeValue) error {
		var it auditItem
		if err := unmarshal(m, &it); err != nil {
			return err
		}
		out = append(out, it)
		return nil
	})
	return out, err
}

// chainHead reads the application's audit head (settling a pending event
// first), chains e after it under the audit key and returns e's item and
// the conditional update that moves the head from N to N+1 carrying it:
// the commit of an append, alone (AppendAudit) or in a transaction with
// the change it records.
func (s *Store) chainHead(ctx context.Context, e *kaiban.AuditEvent) (auditItem, expression.Expression, error) {
	it, upd, cond, err := s.chainHeadOn(ctx, e, expression.UpdateBuilder{})
	if err != nil {
		return auditItem{}, expression.Expression{}, err
	}
	expr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(cond).Build()
	if err != nil {
		return auditItem{}, expression.Expression{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the update")
	}
	return it, expr, nil
}

// chainHeadOn is chainHead adding the head's move to upd, an update of the
// application item, so a change to that item and its event are one
// conditional UpdateItem; cond is the head's condition.
func (s *Store) chainHeadOn(ctx context.Context, e *kaiban.AuditEvent, upd expression.UpdateBuilder) (auditItem, expression.UpdateBuilder, expression.ConditionBuilder, error) {
	fail := func(err error) (auditItem, expression.UpdateBuilder, expression.ConditionBuilder, error) {
		return auditItem{}, expression.UpdateBuilder{}, expression.ConditionBuilder{}, err
	}
	head, err := s.readHead(ctx, e.ApplicationID)
	if err != nil {
		return fail(err)
	}
	if head.Pending != nil {
		if err := s.settle(ctx, *head.Pending); err != nil {
			return fail(err)
		}
	}
	next, err := kaiban.ChainAfter(s.auditKey, kaiban.AuditHead{Seq: head.AuditSeq, Hash: head.AuditHash, MAC: head.AuditMAC}, e)
	if err != nil {
		return fail(err)
	}
	it := toAuditItem(*e)
	pending, err := marshal(it)
	if err != nil {
		return fail(err)
	}
	upd = upd.Set(expression.Name("auditSeq"), expression.Value(e.Seq)).
		Set(expression.Name("auditHash"), expression.Value(next.Hash)).
		Set(expression.Name("auditMac"), expression.Value(next.MAC)).
		Set(expression.Name("auditPending"), expression.Value(&types.AttributeValueMemberM{Value: pending}))
	return it, upd, expression.Name("auditSeq").Equal(expression.Value(head.AuditSeq)), nil
}
