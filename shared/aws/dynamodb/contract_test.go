package dynamodb

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamotest"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/pii"
	"github.com/kaiban/kaiban/shared/storetest"
)

var testKey = []byte("0123456789abcdef0123456789abcdef")

// MustOpen returns a store on a new table of the test server, sealing
// personal data with the test key.
func MustOpen(tb testing.TB) *Store {
	tb.Helper()
	needServer(tb)
	seal, err := pii.New(testKey)
	if err != nil {
		tb.Fatal(err)
	}
	// A client per table: against moto each serialises its own requests
	// (see dynamotest.Server.Client), so tables do not wait for each other.
	s := New(server.Client(), dynamotest.TableName("kaiban"), seal).UseAuditKey(storetest.AuditKey)
	if err := s.CreateTable(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		s.Close()
		_, _ = client.DeleteTable(context.Background(), &ddb.DeleteTableInput{TableName: aws.String(s.table)})
	})
	return s
}

func TestContract(t *testing.T) {
	storetest.RunContract(t, func(t *testing.T) kaiban.Store {
		s := MustOpen(t)
		s.db = &faultClient{API: s.db}
		return s
	}, storetest.WithTamper(tamper{}), storetest.WithFault(fault{}))
}

// fault arms the store's faultClient.
type fault struct{}

func (fault) FailAudit(t *testing.T, ks kaiban.Store) {
	t.Helper()
	s := ks.(*Store)
	s.db.(*faultClient).failAudit.Store(true)
	// Every audited write now loses the head's condition: give up after a
	// few tries rather than the hundred a busy trail gets.
	s.auditAttempts = 3
}

// faultClient passes every call to the server; once failAudit is set, it
// adds to each write that carries an audit event (the head's move on the
// application item, the put of an event item) a condition that cannot
// hold, so the server itself refuses that write and, in a transaction,
// everything written with it.
type faultClient struct {
	API
	failAudit atomic.Bool
}

// impossible is a condition no existing item meets; with a new item's
// put, "attribute_exists(PK)" is the one it cannot meet.
func impossible(cond *string, put bool) *string {
	if put {
		return aws.String("attribute_exists(PK)")
	}
	if cond == nil {
		return aws.String("attribute_not_exists(PK)")
	}
	return aws.String("(" + *cond + ") AND attribute_not_exists(PK)")
}

// movesHead reports whether an update's names include the audit head.
func movesHead(names map[string]string) bool {
	for _, n := range names {
		if n == "auditPending" {
			return true
		}
	}
	return false
}

func isEventItem(item map[string]types.AttributeValue) bool {
	sk, ok := item[attrSK].(*types.AttributeValueMemberS)
	return ok && strings.HasPrefix(sk.Value, skAudit)
}

func (c *faultClient) UpdateItem(ctx context.Context, in *ddb.UpdateItemInput, opts ...func(*ddb.Options)) (*ddb.UpdateItemOutput, error) {
	if c.failAudit.Load() && movesHead(in.ExpressionAttributeNames) {
		cp := *in
		cp.ConditionExpression = impossible(in.ConditionExpression, false)
		in = &cp
	}
	return c.API.UpdateItem(ctx, in, opts...)
}

func (c *faultClient) PutItem(ctx context.Context, in *ddb.PutItemInput, opts ...func(*ddb.Options)) (*ddb.PutItemOutput, error) {
	if c.failAudit.Load() && isEventItem(in.Item) {
		cp := *in
		cp.ConditionExpression = impossible(in.ConditionExpression, true)
		in = &cp
	}
	return c.API.PutItem(ctx, in, opts...)
}

func (c *faultClient) TransactWriteItems(ctx context.Context, in *ddb.TransactWriteItemsInput, opts ...func(*ddb.Options)) (*ddb.TransactWriteItemsOutput, error) {
	if c.failAudit.Load() {
		cp := *in
		cp.TransactItems = make([]types.TransactWriteItem, len(in.TransactItems))
		for i, it := range in.TransactItems {
			switch {
			case it.Update != nil && movesHead(it.Update.ExpressionAttributeNames):
				u := *it.Update
				u.ConditionExpression = impossible(u.ConditionExpression, false)
				it.Update = &u
			case it.Put != nil && isEventItem(it.Put.Item):
				p := *it.Put
				p.ConditionExpression = impossible(p.ConditionExpression, true)
				it.Put = &p
			}
			cp.TransactItems[i] = it
		}
		in = &cp
	}
	return c.API.TransactWriteItems(ctx, in, opts...)
}

// tamper writes to the table behind the store's back.
type tamper struct{}

func (tamper) RewriteAudit(t *testing.T, ks kaiban.Store, applicationID string, events []kaiban.AuditEvent) {
	t.Helper()
	s := ks.(*Store)
	items, err := s.queryAudit(t.Context(), applicationID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if _, err := s.db.DeleteItem(t.Context(), &ddb.DeleteItemInput{
			TableName: aws.String(s.table), Key: key(it.PK, it.SK),
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range events {
		item, err := marshal(toAuditItem(e))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.db.PutItem(t.Context(), &ddb.PutItemInput{TableName: aws.String(s.table), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
}

func (tamper) RewriteHead(t *testing.T, ks kaiban.Store, applicationID string, seq int64, hash string) {
	t.Helper()
	s := ks.(*Store)
	if _, err := s.db.UpdateItem(t.Context(), &ddb.UpdateItemInput{
		TableName: aws.String(s.table), Key: key(appPK(applicationID), skMeta),
		UpdateExpression: aws.String("SET auditSeq = :n, auditHash = :h"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":n": &types.AttributeValueMemberN{Value: strconv.FormatInt(seq, 10)},
			":h": &types.AttributeValueMemberS{Value: hash},
		},
	}); err != nil {
		t.Fatal(err)
	}
}

func (tamper) StoredApplication(t *testing.T, ks kaiban.Store, id string) []byte {
	t.Helper()
	s := ks.(*Store)
	out, err := s.db.GetItem(t.Context(), &ddb.GetItemInput{TableName: aws.String(s.table), Key: key(appPK(id), skMeta)})
	if err != nil {
		t.Fatal(err)
	}
	var raw []byte
	for name, v := range out.Item {
		raw = append(raw, name...)
		switch v := v.(type) {
		case *types.AttributeValueMemberS:
			raw = append(raw, v.Value...)
		case *types.AttributeValueMemberB:
			raw = append(raw, v.Value...)
		}
	}
	return raw
}

func TestConfirmationsContract(t *testing.T) {
	storetest.RunConfirmationsContract(t, func(t *testing.T) storetest.ConfirmationStore { return MustOpen(t) })
}

func TestOutboxContract(t *testing.T) {
	storetest.RunOutboxContract(t, func(t *testing.T) kaiban.Outbox { return MustOpen(t) })
}

func TestDraftsContract(t *testing.T) {
	storetest.RunDraftsContract(t, func(t *testing.T) kaiban.Drafts { return MustOpen(t) })
}

func TestTaskActivityContract(t *testing.T) {
	storetest.RunTaskActivityContract(t, func(t *testing.T) storetest.ActivityStore { return MustOpen(t) })
}

func TestRatingsContract(t *testing.T) {
	storetest.RunRatingsContract(t, func(t *testing.T) storetest.RatingStore { return MustOpen(t) })
}

func TestStatsContract(t *testing.T) {
	storetest.RunStatsContract(t, func(t *testing.T) kaiban.Stats { return MustOpen(t) })
}

func TestCorrectionsContract(t *testing.T) {
	storetest.RunCorrectionsContract(t, func(t *testing.T) storetest.CorrectionStore { return MustOpen(t) })
}
