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
	a := &kaiban.Application{ID: it.ID, Status: kaiban.AppStatus(it.Status), CreditCode: it.CreditCode, Message: it.Message}
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
	if req.IdempotencyKey == "" {
		created, err := s.putNew(ctx, item, "attribute_not_exists(PK)", nil)
		if err != nil {
			return kaiban.CreateResult{}, err
		}
		if !created {
			return kaiban.CreateResult{}, kaiban.Errorf(kaiban.ErrIdempotencyConflict, "application %s already exists", a.ID)
		}
		return s.fromItem(item, true, req.Sealed)
	}

	now := s.now()
	rec := idemItem{
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
	won, err := s.putNew(ctx, recItem, "attribute_not_exists(PK) OR expiresAt < :now",
		map[string]types.AttributeValue{":now": &types.AttributeValueMemberN{Value: strconv.FormatInt(now.Unix(), 10)}})
	if err != nil {
		return kaiban.CreateResult{}, err
	}
	if !won {
		found, err := s.getItem(ctx, rec.PK, skIdem, &rec)
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
		// Finish what the first caller started, in case it crashed: the
		// application as the record describes it, with this caller's form
		// (the same body, so the same form).
		if a, err = s.applicationFromRecord(a, rec); err != nil {
			return kaiban.CreateResult{}, err
		}
		var tokenHash [32]byte
		copy(tokenHash[:], rec.TokenHash)
		if item, err = s.appItemFor(a, tokenHash); err != nil {
			return kaiban.CreateResult{}, err
		}
	}
	put, err := s.putNew(ctx, item, "attribute_not_exists(PK)", nil)
	if err != nil {
		return kaiban.CreateResult{}, err
	}
	if put {
		// What was just written is what is stored: no need to read it.
		return s.fromItem(item, won, rec.Sealed)
	}
	app, err := s.GetApplication(ctx, a.ID)
	if err != nil {
		return kaiban.CreateResult{}, err
	}
	return kaiban.CreateResult{Application: app, Created: won, Sealed: rec.Sealed}, nil
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

func (s *Store) applicationFromRecord(a kaiban.Application, rec idemItem) (kaiban.Application, error) {
	a.ID, a.Status = rec.AppID, kaiban.AppStatus(rec.Status)
	var err error
	if a.SubmittedAt, err = parseTime(rec.SubmittedAt); err != nil {
		return a, err
	}
	if a.Deadline, err = parseTime(rec.Deadline); err != nil {
		return a, err
	}
	a.UpdatedAt, err = parseTime(rec.UpdatedAt)
	return a, err
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
	var upd expression.UpdateBuilder
	set := func(name string, v any) { upd = upd.Set(expression.Name(name), expression.Value(v)) }
	changed := false
	if u.Status != "" {
		changed = true
		set("status", string(u.Status))
		if u.Status.Terminal() {
			upd = upd.Remove(expression.Name(attrGSI2PK)).Remove(expression.Name(attrGSI2SK))
		} else {
			// The deadline never changes, so reading it first is safe.
			it, err := s.getAppItem(ctx, id)
			if err != nil {
				return nil, err
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
	if !changed {
		return s.GetApplication(ctx, id)
	}
	expr, err := expression.NewBuilder().WithUpdate(upd).WithCondition(expression.AttributeExists(expression.Name(attrPK))).Build()
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the update")
	}
	out, err := s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: aws.String(s.table), Key: key(appPK(id), skMeta),
		UpdateExpression: expr.Update(), ConditionExpression: expr.Condition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ReturnValues: types.ReturnValueAllNew,
	})
	if isConditionFailed(err) {
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

// UpdateTrack implements kaiban.Store: the track's map entry is replaced
// only if its version is still the one the caller read.
func (s *Store) UpdateTrack(ctx context.Context, applicationID string, t kaiban.Track) (kaiban.Track, error) {
	if err := kaiban.CheckTrack(applicationID, t); err != nil {
		return kaiban.Track{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Track{}, err
	}
	path := "tracks." + string(t.Name) // a validated track name: no dots or brackets
	next := toTrackItem(t, t.Version+1)
	val, err := marshal(next)
	if err != nil {
		return kaiban.Track{}, err
	}
	expr, err := expression.NewBuilder().
		WithUpdate(expression.Set(expression.Name(path), expression.Value(&types.AttributeValueMemberM{Value: val}))).
		WithCondition(expression.Name(path + ".version").Equal(expression.Value(t.Version))).
		Build()
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
			// server (dynalite) ignores ReturnValuesOnConditionCheckFailure.
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
