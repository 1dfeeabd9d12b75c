package dynamodb

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// formJSON encodes the form to store, sealing its personal data when the
// store has a sealer.
func (s *Store) formJSON(id string, f kaiban.Form) ([]byte, error) {
	if s.seal != nil {
		var err error
		if f, err = s.seal.SealForm(id, f); err != nil {
			return nil, err
		}
	}
	b, err := json.Marshal(f)
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInput, err, "form cannot be encoded")
	}
	return b, nil
}

// application turns a stored item into the domain value.
func (s *Store) application(it appItem) (*kaiban.Application, error) {
	a := &kaiban.Application{ID: it.ID, Status: kaiban.AppStatus(it.Status), CreditCode: it.CreditCode, Message: it.Message, Lang: it.Lang}
	if err := json.Unmarshal([]byte(it.Form), &a.Form); err != nil {
		return nil, kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "the stored form is unreadable")
	}
	if s.seal != nil {
		var err error
		if a.Form, err = s.seal.OpenForm(it.ID, a.Form); err != nil {
			return nil, err
		}
	}
	var err error
	if a.SubmittedAt, err = parseTime(it.SubmittedAt); err != nil {
		return nil, err
	}
	if a.Deadline, err = parseTime(it.Deadline); err != nil {
		return nil, err
	}
	if a.UpdatedAt, err = parseTime(it.UpdatedAt); err != nil {
		return nil, err
	}
	if a.CompletedAt, err = parseTimePtr(it.CompletedAt); err != nil {
		return nil, err
	}
	a.Tracks = make([]kaiban.Track, 0, len(kaiban.Tracks))
	for _, name := range kaiban.Tracks {
		ti, ok := it.Tracks[string(name)]
		if !ok {
			return nil, kaiban.Errorf(kaiban.ErrStoreCorrupt, "application %s has no %s track", it.ID, name)
		}
		t, err := ti.track(name)
		if err != nil {
			return nil, err
		}
		a.Tracks = append(a.Tracks, t)
	}
	return a, nil
}

// getItem reads one item with a strongly consistent read; found is false
// when there is none.
func (s *Store) getItem(ctx context.Context, pk, sk string, v any) (found bool, err error) {
	out, err := s.db.GetItem(ctx, &ddb.GetItemInput{TableName: aws.String(s.table), Key: key(pk, sk), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return false, storeErr(err, "cannot read from the store")
	}
	if len(out.Item) == 0 {
		return false, nil
	}
	return true, unmarshal(out.Item, v)
}

func (s *Store) getAppItem(ctx context.Context, id string) (appItem, error) {
	var it appItem
	found, err := s.getItem(ctx, appPK(id), skMeta, &it)
	if err == nil && !found {
		err = kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	return it, err
}

// putNew writes item unless an item with its key exists; created is false
// when one did.
func (s *Store) putNew(ctx context.Context, item map[string]types.AttributeValue, cond string, values map[string]types.AttributeValue) (created bool, err error) {
	_, err = s.db.PutItem(ctx, &ddb.PutItemInput{
		TableName: aws.String(s.table), Item: item,
		ConditionExpression: aws.String(cond), ExpressionAttributeValues: values,
	})
	if isConditionFailed(err) {
		return false, nil
	}
	if err != nil {
		return false, storeErr(err, "cannot write to the store")
	}
	return true, nil
}

// CreateApplication implements kaiban.Store (see "Writes" in the package
// comment).
func (s *Store) CreateApplication(ctx context.Context, req kaiban.CreateRequest) (kaiban.CreateResult, error) {
	return s.createApplication(ctx, req, nil)
}

// CreateApplicationWithAudit implements kaiban.AuditedWriter: the
// application item starts with the head of a trail holding e, and e's item
// is put in the same TransactWriteItems as the application and its
// idempotency record.
func (s *Store) CreateApplicationWithAudit(ctx context.Context, req kaiban.CreateRequest, e kaiban.AuditEvent) (kaiban.CreateResult, error) {
	if err := kaiban.CheckAuditEventOf(req.Application.ID, e); err != nil {
		return kaiban.CreateResult{}, err
	}
	if err := kaiban.RequireAuditKey(s.auditKey); err != nil {
		return kaiban.CreateResult{}, err
	}
	return s.createApplication(ctx, req, &e)
}

// createApplication writes the application, its idempotency record (with
// a key) and, with e, its first audit event, in one TransactWriteItems.
// The record's refusal makes the call a replay.
func (s *Store) createApplication(ctx context.Context, req kaiban.CreateRequest, e *kaiban.AuditEvent) (kaiban.CreateResult, error) {
	if _, err := kaiban.CheckCreateRequest(req); err != nil {
		return kaiban.CreateResult{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.CreateResult{}, err
	}
	a := req.Application
	item, err := s.appItemFor(a, req.AccessTokenHash)
	if err != nil {
		return kaiban.CreateResult{}, err
	}
	// The application first, its event next, the idempotency record last.
	items := []types.TransactWriteItem{{Put: &types.Put{
		TableName: aws.String(s.table), Item: item, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}}}
	if e != nil {
		ev := *e
		ev.Time = ev.Time.UTC()
		head, err := kaiban.ChainAfter(s.auditKey, kaiban.AuditHead{}, &ev)
		if err != nil {
			return kaiban.CreateResult{}, err
		}
		item["auditSeq"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(head.Seq, 10)}
		item["auditHash"] = &types.AttributeValueMemberS{Value: head.Hash}
		item["auditMac"] = &types.AttributeValueMemberS{Value: head.MAC}
		evItem, err := marshal(toAuditItem(ev))
		if err != nil {
			return kaiban.CreateResult{}, err
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String(s.table), Item: evItem, ConditionExpression: aws.String("attribute_not_exists(PK)"),
		}})
	}
	now := s.now()
	var rec idemItem
	if req.IdempotencyKey != "" {
		rec = idemItem{
			PK: idemPK(req.IdempotencyKey), SK: skIdem, Kind: kindIdem, BodyHash: req.BodyHash, AppID: a.ID, Sealed: req.Sealed,
			TokenHash: req.AccessTokenHash[:], Status: string(a.Status), SubmittedAt: fmtTime(a.SubmittedAt),
			Deadline: fmtTime(a.Deadline), UpdatedAt: fmtTime(a.UpdatedAt), ExpiresAt: now.Add(IdempotencyTTL).Unix(),
		}
		if a.UpdatedAt.IsZero() {
			rec.UpdatedAt = rec.SubmittedAt
		}
		recItem, err := marshal(rec)
		if err != nil {
			return kaiban.CreateResult{}, err
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{
			TableName: aws.String(s.table), Item: recItem,
			ConditionExpression:       aws.String("attribute_not_exists(PK) OR expiresAt < :now"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":now": &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Unix(), 10)}},
		}})
	}
	for range s.auditAttempts {
		_, err = s.db.TransactWriteItems(ctx, &ddb.TransactWriteItemsInput{TransactItems: items})
		var cancelled *types.TransactionCanceledException
		if !errors.As(err, &cancelled) {
			break
		}
		reasons := cancelled.CancellationReasons
		refused := func(i int) bool { return i < len(reasons) && aws.ToString(reasons[i].Code) == "ConditionalCheckFailed" }
		switch {
		case req.IdempotencyKey != "" && refused(len(items)-1):
			return s.replay(ctx, req, rec.PK)
		case refused(0) || refused(1):
			return kaiban.CreateResult{}, kaiban.Errorf(kaiban.ErrIdempotencyConflict, "application %s already exists", a.ID)
		}
		// A concurrent transaction touched one of the items (the same
		// key submitted twice at once): again, to find the winner.
	}
	if err != nil {
		return kaiban.CreateResult{}, storeErr(err, "cannot store the application")
	}
	// What was just written is what is stored: no need to read it.
	return s.fromItem(item, true, req.Sealed)
}

// replay answers a create whose idempotency key is already recorded: the
// application the record names, if the body is the same.
func (s *Store) replay(ctx context.Context, req kaiban.CreateRequest, pk string) (kaiban.CreateResult, error) {
	var rec idemItem
	found, err := s.getItem(ctx, pk, skIdem, &rec)
	if err != nil {
		return kaiban.CreateResult{}, err
	}
	if !found {
		// The record expired and was removed between our two calls.
		return kaiban.CreateResult{}, kaiban.Errorf(kaiban.ErrStoreUnavailable, "the idempotency record changed; retry")
	}
	if rec.BodyHash != req.BodyHash {
		return kaiban.CreateResult{}, kaiban.Errorf(kaiban.ErrIdempotencyConflict, "the idempotency key was used with another request body")
	}
	app, err := s.GetApplication(ctx, rec.AppID)
	if err != nil {
		return kaiban.CreateResult{}, err
	}
	return kaiban.CreateResult{Application: app, Sealed: rec.Sealed}, nil
}

func (s *Store) fromItem(item map[string]types.AttributeValue, created bool, sealed []byte) (kaiban.CreateResult, error) {
	var it appItem
	if err := unmarshal(item, &it); err != nil {
		return kaiban.CreateResult{}, err
	}
	app, err := s.application(it)
	if err != nil {
		return kaiban.CreateResult{}, err
	}
	return kaiban.CreateResult{Application: app, Created: created, Sealed: sealed}, nil
}

// appItemFor builds and size-checks the item of a new application.
func (s *Store) appItemFor(a kaiban.Application, tokenHash [32]byte) (map[string]types.AttributeValue, error) {
	form, err := s.formJSON(a.ID, a.Form)
	if err != nil {
		return nil, err
	}
	item, err := marshal(newAppItem(a, form, tokenHash))
	if err != nil {
		return nil, err
	}
	return item, checkSize(item)
}

// GetApplication implements kaiban.Store with one consistent read.
func (s *Store) GetApplication(ctx context.Context, id string) (*kaiban.Application, error) {
	if err := kaiban.CheckKey("application id", id); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	it, err := s.getAppItem(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.application(it)
}

// CheckAccessToken implements kaiban.Store.
func (s *Store) CheckAccessToken(ctx context.Context, id, token string) error {
	if err := kaiban.CheckKey("application id", id); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	out, err := s.db.GetItem(ctx, &ddb.GetItemInput{
		TableName: aws.String(s.table), Key: key(appPK(id), skMeta), ConsistentRead: aws.Bool(true),
		ProjectionExpression: aws.String("tokenHash"),
	})
	if err != nil {
		return storeErr(err, "cannot check the access token")
	}
	var stored struct {
		TokenHash []byte `dynamodbav:"tokenHash"`
	}
	if err := unmarshal(out.Item, &stored); err != nil {
		return err
	}
	want := make([]byte, 32)
	copy(want, stored.TokenHash)
	got := kaiban.HashToken(token)
	if subtle.ConstantTimeCompare(got[:], want) != 1 || len(stored.TokenHash) != 32 {
		return kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	return nil
}

// UpdateApplication implements kaiban.Store with one conditional
// UpdateItem. A terminal status removes the application from the deadline
// index; any other status puts it (back) there.
func (s *Store) UpdateApplication(ctx context.Context, id string, u kaiban.ApplicationUpdate) (*kaiban.Application, error) {
	if err := kaiban.CheckApplicationUpdate(id, u); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	upd, changed, err := s.appUpdate(ctx, id, u)
	if err != nil {
		return nil, err
	}
	if !changed {
		return s.GetApplication(ctx, id)
	}
	cond := expression.AttributeExists(expression.Name(attrPK))
	if nf := notFinished(u); nf != nil {
		cond = cond.And(*nf)
	}
	expr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(cond).Build()
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the update")
	}
	out, err := s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: aws.String(s.table), Key: key(appPK(id), skMeta),
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValues:                        types.ReturnValueAllNew,
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	if old, ok := conditionFailure(err); ok {
		if err := s.refusal(ctx, id, u, old); err != nil {
			return nil, err
		}
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "application not found")
	}
	if err != nil {
		return nil, storeErr(err, "cannot update the application")
	}
	var it appItem
	if err := unmarshal(out.Attributes, &it); err != nil {
		return nil, err
	}
	return s.application(it)
}

// appUpdate is the update of the application item that u asks for;
// changed is false when u sets nothing.
func (s *Store) appUpdate(ctx context.Context, id string, u kaiban.ApplicationUpdate) (upd expression.UpdateBuilder, changed bool, err error) {
	set := func(name string, v any) { upd = upd.Set(expression.Name(name), expression.Value(v)) }
	if u.Status != "" {
		changed = true
		set("status", string(u.Status))
		if u.Status.Terminal() {
			upd = upd.Remove(expression.Name(attrGSI2PK)).Remove(expression.Name(attrGSI2SK))
		} else {
			// The deadline changes only by ApplyCorrection, which keeps
			// the index key in step itself.
			it, err := s.getAppItem(ctx, id)
			if err != nil {
				return upd, false, err
			}
			set(attrGSI2PK, dueShard(id))
			set(attrGSI2SK, it.Deadline)
		}
	}
	if u.CreditCode != "" {
		changed = true
		set("creditCode", u.CreditCode)
	}
	if u.CompletedAt != nil {
		changed = true
		set("completedAt", fmtTime(*u.CompletedAt))
	}
	if u.Message != nil {
		changed = true
		if *u.Message == "" {
			upd = upd.Remove(expression.Name("message"))
		} else {
			set("message", *u.Message)
		}
	}
	if !u.UpdatedAt.IsZero() {
		changed = true
		set("updatedAt", fmtTime(u.UpdatedAt))
	}
	return upd, changed, nil
}

// UpdateTrack implements kaiban.Store: the track's map entry is replaced
// only if its version is still the one the caller read.
func (s *Store) UpdateTrack(ctx context.Context, applicationID string, t kaiban.Track) (kaiban.Track, error) {
	if err := kaiban.CheckTrack(applicationID, t); err != nil {
		return kaiban.Track{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Track{}, err
	}
	upd, cond, next, err := trackUpdate(t)
	if err != nil {
		return kaiban.Track{}, err
	}
	expr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(cond).Build()
	if err != nil {
		return kaiban.Track{}, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the update")
	}
	_, err = s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: aws.String(s.table), Key: key(appPK(applicationID), skMeta),
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		// The refusal then carries the item, if any: a conflict is told
		// from a missing application without a second read.
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld,
	})
	var cf *types.ConditionalCheckFailedException
	if errors.As(err, &cf) {
		if len(cf.Item) == 0 {
			// No item came back: the application is missing, or the
			// server ignores ReturnValuesOnConditionCheckFailure.
			// Applications are never deleted, so a read now tells.
			if _, gerr := s.getAppItem(ctx, applicationID); gerr != nil {
				return kaiban.Track{}, gerr
			}
		}
		return kaiban.Track{}, kaiban.Errorf(kaiban.ErrVersionConflict, "track %s was changed by another writer", t.Name)
	}
	if err != nil {
		return kaiban.Track{}, storeErr(err, "cannot update the track")
	}
	return next.track(t.Name)
}

// trackUpdate replaces t's map entry with next, at the next version, under
// the condition that the stored entry still has t.Version.
func trackUpdate(t kaiban.Track) (expression.UpdateBuilder, expression.ConditionBuilder, trackItem, error) {
	path := "tracks." + string(t.Name) // a validated track name: no dots or brackets
	next := toTrackItem(t, t.Version+1)
	val, err := marshal(next)
	if err != nil {
		return expression.UpdateBuilder{}, expression.ConditionBuilder{}, trackItem{}, err
	}
	return expression.Set(expression.Name(path), expression.Value(&types.AttributeValueMemberM{Value: val})),
		expression.Name(path + ".version").Equal(expression.Value(t.Version)), next, nil
}

// ListByStatus implements kaiban.Store. The deadline index (keys only)
// holds every open application, so the keys in the deadline range are
// read from every shard at once and merged, and the applications behind
// them read consistently in deadline order until limit of them have the
// status. Each call reads one item per open application in the range it
// passes over: the reconciler's scan of a provincial service's open
// applications every few minutes, not a query for a busy path.
func (s *Store) ListByStatus(ctx context.Context, q kaiban.StatusQuery) ([]kaiban.Application, error) {
	if err := q.Check(); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	limit := kaiban.ClampLimit(q.Limit)
	var (
		wg     sync.WaitGroup
		shards = make([][]itemKey, dueShards)
		errs   = make([]error, dueShards)
	)
	for shard := range dueShards {
		wg.Go(func() {
			shards[shard], errs[shard] = s.queryDue(ctx, dueShardName(shard), fmtTime(q.DeadlineBefore), 0)
		})
	}
	wg.Wait()
	var keys []itemKey
	from := ""
	if !q.AfterDeadline.IsZero() {
		from = fmtTime(q.AfterDeadline)
	}
	for shard, got := range shards {
		if errs[shard] != nil {
			return nil, errs[shard]
		}
		for _, k := range got {
			if k.sortKey >= from {
				keys = append(keys, k)
			}
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].sortKey != keys[j].sortKey {
			return keys[i].sortKey < keys[j].sortKey
		}
		return keys[i].pk < keys[j].pk
	})
	// The items are read listByStatusReads at a time: a scheduled run
	// passes over every open application, one round trip each.
	out := []kaiban.Application{}
	for len(keys) > 0 && len(out) < limit {
		chunk := keys[:min(len(keys), listByStatusReads)]
		keys = keys[len(chunk):]
		items := make([]appItem, len(chunk))
		found := make([]bool, len(chunk))
		errs := make([]error, len(chunk))
		var wg sync.WaitGroup
		for i, k := range chunk {
			wg.Go(func() { found[i], errs[i] = s.getItem(ctx, k.pk, k.sk, &items[i]) })
		}
		wg.Wait()
		for i := range chunk {
			if errs[i] != nil {
				return nil, errs[i]
			}
			if !found[i] || kaiban.AppStatus(items[i].Status) != q.Status || len(out) == limit {
				continue
			}
			a, err := s.application(items[i])
			if err != nil {
				return nil, err
			}
			if q.After(a) && a.Deadline.Before(q.DeadlineBefore) {
				out = append(out, *a)
			}
		}
	}
	return out, nil
}

// listByStatusReads is how many items ListByStatus reads at once.
const listByStatusReads = 16
