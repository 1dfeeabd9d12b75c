package dynamodb

import (
	"context"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/dynamodb/dynamotest"
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
	storetest.RunContract(t, func(t *testing.T) kaiban.Store { return MustOpen(t) }, storetest.WithTamper(tamper{}))
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
