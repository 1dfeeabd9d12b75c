package dynamodb

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// updateAppWithAudit applies the update and condition build returns to the
// application item and moves its audit head from N to N+1 carrying e, in
// one conditional UpdateItem: the change and its event are one write.
// build is called for every attempt: an expression builder gathers its
// clauses in shared maps, so one that has carried an attempt's head
// cannot carry the next. A refusal is
// explained by conflict, given the item as it was (nil if the server
// returned none); conflict returns nil when only the head had moved, and
// the write is tried again after the new head.
func (s *Store) updateAppWithAudit(ctx context.Context, e kaiban.AuditEvent, build func() (expression.UpdateBuilder, *expression.ConditionBuilder, error),
	conflict func(old map[string]types.AttributeValue) error) (map[string]types.AttributeValue, error) {
	if err := kaiban.RequireAuditKey(s.auditKey); err != nil {
		return nil, err
	}
	e.Time = e.Time.UTC()
	for range s.auditAttempts {
		upd, cond, err := build()
		if err != nil {
			return nil, err
		}
		ev := e
		it, full, headCond, err := s.chainHeadOn(ctx, &ev, upd)
		if err != nil {
			return nil, err
		}
		c := headCond.And(expression.AttributeExists(expression.Name(attrPK)))
		if cond != nil {
			c = c.And(*cond)
		}
		expr, err := expression.NewBuilder().WithUpdate(full).WithCondition(c).Build()
		if err != nil {
			return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the update")
		}
		out, err := s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
			TableName: aws.String(s.table), Key: key(appPK(e.ApplicationID), skMeta),
			UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
			ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
			ReturnValues:                        types.ReturnValueAllNew,
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
		})
		if cf, ok := conditionFailure(err); ok {
			if err := conflict(cf); err != nil {
				return nil, err
			}
			continue // another append took N+1: chain after it
		}
		if err != nil {
			return nil, storeErr(err, "cannot write the change with its audit event")
		}
		// Committed. Settling may fail (the next reader or writer settles
		// then), but the event is not lost.
		_ = s.settle(ctx, it)
		return out.Attributes, nil
	}
	return nil, kaiban.Errorf(kaiban.ErrStoreUnavailable, "the audit trail is too busy; retry")
}

// UpdateApplicationWithAudit implements kaiban.AuditedWriter: the fields
// u sets and the audit head's move are one UpdateItem.
func (s *Store) UpdateApplicationWithAudit(ctx context.Context, id string, u kaiban.ApplicationUpdate, e kaiban.AuditEvent) (*kaiban.Application, error) {
	if err := kaiban.CheckApplicationUpdate(id, u); err != nil {
		return nil, err
	}
	if err := kaiban.CheckAuditEventOf(id, e); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	build := func() (expression.UpdateBuilder, *expression.ConditionBuilder, error) {
		upd, _, err := s.appUpdate(ctx, id, u)
		return upd, notFinished(u), err
	}
	attrs, err := s.updateAppWithAudit(ctx, e, build, func(old map[string]types.AttributeValue) error { return s.refusal(ctx, id, u, old) })
	if err != nil {
		return nil, err
	}
	var it appItem
	if err := unmarshal(attrs, &it); err != nil {
		return nil, err
	}
	return s.application(it)
}

// UpdateTrackWithAudit implements kaiban.AuditedWriter: the track's
// versioned write and the audit head's move are one UpdateItem.
func (s *Store) UpdateTrackWithAudit(ctx context.Context, applicationID string, t kaiban.Track, e kaiban.AuditEvent) (kaiban.Track, error) {
	if err := kaiban.CheckTrack(applicationID, t); err != nil {
		return kaiban.Track{}, err
	}
	if err := kaiban.CheckAuditEventOf(applicationID, e); err != nil {
		return kaiban.Track{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Track{}, err
	}
	_, _, next, err := trackUpdate(t)
	if err != nil {
		return kaiban.Track{}, err
	}
	build := func() (expression.UpdateBuilder, *expression.ConditionBuilder, error) {
		upd, cond, _, err := trackUpdate(t)
		return upd, &cond, err
	}
	conflict := func(old map[string]types.AttributeValue) error {
		var it appItem
		if len(old) == 0 {
			// The server returned no item: read it.
			var err error
			if it, err = s.getAppItem(ctx, applicationID); err != nil {
				return err
			}
		} else if err := unmarshal(old, &it); err != nil {
			return err
		}
		if cur, ok := it.Tracks[string(t.Name)]; !ok || cur.Version != t.Version {
			return kaiban.Errorf(kaiban.ErrVersionConflict, "track %s was changed by another writer", t.Name)
		}
		return nil
	}
	if _, err := s.updateAppWithAudit(ctx, e, build, conflict); err != nil {
		return kaiban.Track{}, err
	}
	return next.track(t.Name)
}
