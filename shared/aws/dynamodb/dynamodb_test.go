package dynamodb

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamotest"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

func putRaw(t *testing.T, s *Store, v any) {
	t.Helper()
	item, err := marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.PutItem(t.Context(), &ddb.PutItemInput{TableName: aws.String(s.table), Item: item}); err != nil {
		t.Fatal(err)
	}
}

func TestExpiredIdempotencyKeyCreatesAgain(t *testing.T) {
	s := MustOpen(t)
	req := storetest.Idempotent(storetest.Request("app-1", storetest.T0), "key-1", "body")
	if _, err := s.CreateApplication(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return time.Now().Add(IdempotencyTTL + time.Hour) }
	again := storetest.Idempotent(storetest.Request("app-2", storetest.T0), "key-1", "other body")
	res, err := s.CreateApplication(t.Context(), again)
	if err != nil || !res.Created || res.Application.ID != "app-2" {
		t.Errorf("after expiry: %v, %+v", err, res)
	}
}

// An append that committed the head but crashed before writing the event
// item loses nothing: readers see the event, the next append settles it.
func TestPendingAuditEventIsSettled(t *testing.T) {
	s := MustOpen(t)
	storetest.MustCreate(t, s, "app-1", storetest.T0)
	storetest.MustAppend(t, s, "app-1", 2)
	events, err := s.ListAudit(t.Context(), "app-1")
	if err != nil {
		t.Fatal(err)
	}
	e := storetest.Event("app-1", 3)
	head := e.Chain(storetest.AuditKey, kaiban.AuditHead{Seq: 2, Hash: events[1].Hash})
	pending, err := marshal(toAuditItem(e))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.UpdateItem(t.Context(), &ddb.UpdateItemInput{
		TableName: aws.String(s.table), Key: key(appPK("app-1"), skMeta),
		UpdateExpression: aws.String("SET auditSeq = :n, auditHash = :h, auditMac = :m, auditPending = :p"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":n": &types.AttributeValueMemberN{Value: "3"}, ":h": &types.AttributeValueMemberS{Value: e.Hash},
			":m": &types.AttributeValueMemberS{Value: head.MAC},
			":p": &types.AttributeValueMemberM{Value: pending},
		},
	}); err != nil {
		t.Fatal(err)
	}
	listed, err := s.ListAudit(t.Context(), "app-1")
	if err != nil || len(listed) != 3 || listed[2].Hash != e.Hash {
		t.Fatalf("listed %d events (%v), want the pending one third", len(listed), err)
	}
	if err := s.VerifyAudit(t.Context(), "app-1"); err != nil {
		t.Errorf("verify with a pending event: %v", err)
	}
	next, err := s.AppendAudit(t.Context(), storetest.Event("app-1", 4))
	if err != nil || next.Seq != 4 || next.PrevHash != e.Hash {
		t.Fatalf("append after a crash: %+v, %v", next, err)
	}
	items, err := s.queryAudit(t.Context(), "app-1")
	if err != nil || len(items) != 4 {
		t.Errorf("%d event items after settling, want 4 (%v)", len(items), err)
	}
	if err := s.VerifyAudit(t.Context(), "app-1"); err != nil {
		t.Errorf("verify after settling: %v", err)
	}
}

func TestWithoutSealerTheFormIsStoredAsIs(t *testing.T) {
	needServer(t)
	s := New(server.Client(), dynamotest.TableName("plain"), nil)
	if err := s.CreateTable(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = client.DeleteTable(context.Background(), &ddb.DeleteTableInput{TableName: aws.String(s.table)})
	})
	app := storetest.MustCreate(t, s, "app-1", storetest.T0)
	if app.Form.LegalRepresentative.IDNumber != storetest.PII[0] {
		t.Errorf("form changed: %+v", app.Form.LegalRepresentative)
	}
	raw := tamper{}.StoredApplication(t, s, "app-1")
	if !bytes.Contains(raw, []byte(storetest.PII[0])) {
		t.Error("without a sealer the ID number should be stored as given (KMS protects the table)")
	}
}

func TestMissingTableIsAConfigurationError(t *testing.T) {
	needServer(t)
	s := New(server.Client(), dynamotest.TableName("missing"), nil)
	_, err := s.GetApplication(t.Context(), "app-1")
	storetest.WantName(t, err, kaiban.ErrConfig)
}

func TestUnreachableServerIsUnavailable(t *testing.T) {
	srv := &dynamotest.Server{Endpoint: "http://127.0.0.1:1", Name: "nothing"}
	s := New(srv.Client(), "t", nil)
	_, err := s.GetApplication(t.Context(), "app-1")
	storetest.WantName(t, err, kaiban.ErrStoreUnavailable)
}

// dataPlaneOnly is a client that reads and writes items but cannot manage
// tables: it hides the *ddb.Client's table operations behind API.
type dataPlaneOnly struct{ API }

func TestCreateTableNeedsTheTableOperations(t *testing.T) {
	srv := &dynamotest.Server{Endpoint: "http://127.0.0.1:1", Name: "nothing"}
	s := New(dataPlaneOnly{srv.Client()}, "t", nil)
	storetest.WantName(t, s.CreateTable(t.Context()), kaiban.ErrConfig)
}
