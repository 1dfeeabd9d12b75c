package dynamodb

import (
	"context"
	"errors"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The registered-names index in the single table:
//
//	NAME#<name>        NAME   the record (with its keys)
//	NAMEKEY#<key>      <name> a copy of the record per look-up key, so a
//	                          look-up is one Query on the key's partition
//	NAMELOCK#<id key>  LOCK   until when the identical key is taken, and by
//	                          which holder: the item a reservation's
//	                          transaction conditions on, so of racing
//	                          reservers exactly one commits
//
// Reservations carry expiresAt (the table's TTL) a year after their end,
// so expired ones are eventually removed; until then they no longer block
// (kaiban.NameRecord.BlocksAt).

const skName, skLock = "NAME", "LOCK"

var _ kaiban.NameIndex = (*Store)(nil)

// forever is the lock of a registered name.
var forever = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

type nameItem struct {
	PK            string   `dynamodbav:"PK"`
	SK            string   `dynamodbav:"SK"`
	Name          string   `dynamodbav:"name"`
	Registry      string   `dynamodbav:"registry"`
	Status        string   `dynamodbav:"status"`
	ChangedAt     string   `dynamodbav:"changedAt"`
	ReservedUntil string   `dynamodbav:"reservedUntil,omitempty"`
	Holder        string   `dynamodbav:"holder,omitempty"`
	Keys          []string `dynamodbav:"keys"`
	ExpiresAt     int64    `dynamodbav:"expiresAt,omitempty"`
}

func nameItems(r kaiban.NameRecord) []nameItem {
	it := nameItem{PK: "NAME#" + r.Name, SK: skName, Name: r.Name, Registry: r.Registry, Status: string(r.Status),
		ChangedAt: fmtTime(r.ChangedAt), Holder: r.Holder, Keys: r.Keys}
	if !r.ReservedUntil.IsZero() {
		it.ReservedUntil = fmtTime(r.ReservedUntil)
	}
	if r.Status == kaiban.NameReserved {
		it.ExpiresAt = r.ReservedUntil.Add(kaiban.NameBlockAfterRemoval).Unix()
	}
	out := []nameItem{it}
	for _, k := range r.Keys {
		c := it
		c.PK, c.SK = "NAMEKEY#"+k, r.Name
		out = append(out, c)
	}
	return out
}

func (it nameItem) record() (kaiban.NameRecord, error) {
	r := kaiban.NameRecord{Name: it.Name, Registry: it.Registry, Status: kaiban.NameStatus(it.Status), Holder: it.Holder, Keys: it.Keys}
	var err error
	if r.ChangedAt, err = parseTime(it.ChangedAt); err != nil {
		return r, err
	}
	if it.ReservedUntil != "" {
		r.ReservedUntil, err = parseTime(it.ReservedUntil)
	}
	return r, err
}

// blocksUntil is when a record stops blocking its identical key.
func blocksUntil(r kaiban.NameRecord) time.Time {
	switch r.Status {
	case kaiban.NameRegistered:
		return forever
	case kaiban.NameReserved:
		return r.ReservedUntil
	}
	return r.ChangedAt.Add(kaiban.NameBlockAfterRemoval)
}

// PutNames implements kaiban.NameIndex, one transaction per record (the
// record, its key copies, stale copies removed, the lock of its identical
// key recomputed from every record sharing it). Meant for seeding and
// registry updates, not for racing writers: use ReserveName for those.
func (s *Store) PutNames(ctx context.Context, recs []kaiban.NameRecord) error {
	for _, r := range recs {
		if err := r.Check(false); err != nil {
			return err
		}
	}
	for _, r := range recs {
		if err := s.check(ctx); err != nil {
			return err
		}
		sharing, err := s.queryKey(ctx, r.Keys[0])
		if err != nil {
			return err
		}
		lockUntil, lockHolder := blocksUntil(r), r.Holder
		for _, o := range sharing {
			if o.Name != r.Name && blocksUntil(o).After(lockUntil) {
				lockUntil, lockHolder = blocksUntil(o), o.Holder
			}
		}
		items, err := s.nameWrites(ctx, r)
		if err != nil {
			return err
		}
		lock, err := marshal(map[string]any{"PK": "NAMELOCK#" + r.Keys[0], "SK": skLock, "blocksUntil": fmtTime(lockUntil), "holder": lockHolder})
		if err != nil {
			return err
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.table), Item: lock}})
		if _, err := s.db.TransactWriteItems(ctx, &ddb.TransactWriteItemsInput{TransactItems: items}); err != nil {
			return storeErr(err, "cannot store the names")
		}
	}
	return nil
}

// nameWrites are the puts of r's items and the deletes of the key copies
// its stored version had and it has not.
func (s *Store) nameWrites(ctx context.Context, r kaiban.NameRecord) ([]types.TransactWriteItem, error) {
	old, err := s.db.GetItem(ctx, &ddb.GetItemInput{TableName: aws.String(s.table), Key: key("NAME#"+r.Name, skName), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, storeErr(err, "cannot read the name")
	}
	var items []types.TransactWriteItem
	if old.Item != nil {
		var prev nameItem
		if err := unmarshal(old.Item, &prev); err != nil {
			return nil, err
		}
		for _, k := range prev.Keys {
			if !slices.Contains(r.Keys, k) {
				items = append(items, types.TransactWriteItem{Delete: &types.Delete{TableName: aws.String(s.table), Key: key("NAMEKEY#"+k, r.Name)}})
			}
		}
	}
	for _, it := range nameItems(r) {
		m, err := marshal(it)
		if err != nil {
			return nil, err
		}
		items = append(items, types.TransactWriteItem{Put: &types.Put{TableName: aws.String(s.table), Item: m}})
	}
	return items, nil
}

// queryKey reads every record copy under one look-up key.
func (s *Store) queryKey(ctx context.Context, k string) ([]kaiban.NameRecord, error) {
	var out []kaiban.NameRecord
	in := &ddb.QueryInput{TableName: aws.String(s.table), KeyConditionExpression: aws.String("PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: "NAMEKEY#" + k}}}
	for {
		page, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, storeErr(err, "cannot look up names")
		}
		for _, m := range page.Items {
			var it nameItem
			if err := unmarshal(m, &it); err != nil {
				return nil, err
			}
			r, err := it.record()
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		if len(page.LastEvaluatedKey) == 0 {
			return out, nil
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
}

// FindNames implements kaiban.NameIndex: one Query per key.
func (s *Store) FindNames(ctx context.Context, keys []string) ([]kaiban.NameRecord, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []kaiban.NameRecord
	for _, k := range keys {
		recs, err := s.queryKey(ctx, k)
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			if !seen[r.Name] {
				seen[r.Name] = true
				out = append(out, r)
			}
		}
	}
	return out, nil
}

// reserveAttempts bounds the tries of a reservation whose transaction
// keeps colliding with another on the same items.
const reserveAttempts = 8

// ReserveName implements kaiban.NameIndex: the record's writes and the
// lock of its identical key in one transaction, conditioned on the lock
// being free, expired or the holder's own.
func (s *Store) ReserveName(ctx context.Context, rec kaiban.NameRecord, now time.Time) error {
	if err := rec.Check(true); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	var err error
	for range reserveAttempts {
		var items []types.TransactWriteItem
		if items, err = s.nameWrites(ctx, rec); err != nil {
			return err
		}
		lock, merr := marshal(map[string]any{"PK": "NAMELOCK#" + rec.Keys[0], "SK": skLock, "blocksUntil": fmtTime(rec.ReservedUntil), "holder": rec.Holder})
		if merr != nil {
			return merr
		}
		items = append([]types.TransactWriteItem{{Put: &types.Put{TableName: aws.String(s.table), Item: lock,
			ConditionExpression: aws.String("attribute_not_exists(PK) OR blocksUntil <= :now OR holder = :holder"),
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":now":    &types.AttributeValueMemberS{Value: fmtTime(now)},
				":holder": &types.AttributeValueMemberS{Value: rec.Holder},
			}}}}, items...)
		_, err = s.db.TransactWriteItems(ctx, &ddb.TransactWriteItemsInput{TransactItems: items})
		var cancelled *types.TransactionCanceledException
		if !errors.As(err, &cancelled) {
			break
		}
		if r := cancelled.CancellationReasons; len(r) > 0 && aws.ToString(r[0].Code) == "ConditionalCheckFailed" {
			return kaiban.Errorf(kaiban.ErrNameTaken, "name taken")
		}
		// Another transaction touched the same items at once: again, to
		// find out who won.
	}
	return storeErr(err, "cannot reserve the name")
}
