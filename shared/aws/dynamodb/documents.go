package dynamodb

import (
	"context"
	"errors"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Issued documents in the single table:
//
//	DOC#<id>              DOC      the record
//	DOCSLOT#<application> <kind>#<key>  the slot's document id: the item a
//	                               put conditions on, so a slot is issued
//	                               into once; a Query lists the application's
//	                               documents
//	DOCSHA#<sha256>       <id>     the digest's look-up for verification
//
// A put writes the three in one transaction. Revocation updates the
// records only, so the pointers never change once written.
const skDoc = "DOC"

func docPK(id string) string                             { return "DOC#" + id }
func docSlotPK(app string) string                        { return "DOCSLOT#" + app }
func docSHAPK(sha string) string                         { return "DOCSHA#" + sha }
func docSlotSK(k kaiban.DocumentKind, key string) string { return string(k) + "#" + key }

var _ kaiban.Documents = (*Store)(nil)

type documentItem struct {
	PK            string `dynamodbav:"PK"`
	SK            string `dynamodbav:"SK"`
	ID            string `dynamodbav:"id"`
	ApplicationID string `dynamodbav:"applicationId"`
	Kind          string `dynamodbav:"docKind"`
	Key           string `dynamodbav:"docKey"`
	Title         string `dynamodbav:"title"`
	TitleEN       string `dynamodbav:"titleEn"`
	MediaType     string `dynamodbav:"mediaType"`
	Size          int64  `dynamodbav:"size"`
	SHA256        string `dynamodbav:"sha256"`
	Signature     []byte `dynamodbav:"signature"`
	KeyID         string `dynamodbav:"keyId"`
	ObjectKey     string `dynamodbav:"objectKey"`
	IssuedAt      string `dynamodbav:"issuedAt"`
	RevokedAt     string `dynamodbav:"revokedAt,omitempty"`
}

func (it documentItem) record() (kaiban.DocumentRecord, error) {
	d := kaiban.DocumentRecord{ID: it.ID, ApplicationID: it.ApplicationID, Kind: kaiban.DocumentKind(it.Kind), Key: it.Key,
		Title: it.Title, TitleEN: it.TitleEN, MediaType: it.MediaType, Size: it.Size, SHA256: it.SHA256,
		Signature: it.Signature, KeyID: it.KeyID, ObjectKey: it.ObjectKey}
	var err error
	if d.IssuedAt, err = parseTime(it.IssuedAt); err != nil {
		return d, err
	}
	if it.RevokedAt != "" {
		d.RevokedAt, err = parseTime(it.RevokedAt)
	}
	return d, err
}

// putDocumentAttempts bounds the tries of a put whose transaction keeps
// colliding with another on the same slot.
const putDocumentAttempts = 8

// PutDocument implements kaiban.Documents.
func (s *Store) PutDocument(ctx context.Context, d kaiban.DocumentRecord) (kaiban.DocumentRecord, error) {
	if err := kaiban.CheckDocument(d); err != nil {
		return kaiban.DocumentRecord{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.DocumentRecord{}, err
	}
	rec, err := marshal(documentItem{PK: docPK(d.ID), SK: skDoc, ID: d.ID, ApplicationID: d.ApplicationID, Kind: string(d.Kind),
		Key: d.Key, Title: d.Title, TitleEN: d.TitleEN, MediaType: d.MediaType, Size: d.Size, SHA256: d.SHA256,
		Signature: d.Signature, KeyID: d.KeyID, ObjectKey: d.ObjectKey, IssuedAt: fmtTime(d.IssuedAt)})
	if err != nil {
		return kaiban.DocumentRecord{}, err
	}
	slot, err := marshal(map[string]string{attrPK: docSlotPK(d.ApplicationID), attrSK: docSlotSK(d.Kind, d.Key), "id": d.ID})
	if err != nil {
		return kaiban.DocumentRecord{}, err
	}
	sha, err := marshal(map[string]string{attrPK: docSHAPK(d.SHA256), attrSK: d.ID, "id": d.ID})
	if err != nil {
		return kaiban.DocumentRecord{}, err
	}
	notExists := aws.String("attribute_not_exists(PK)")
	items := []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String(s.table), Item: slot, ConditionExpression: notExists}},
		{Put: &types.Put{TableName: aws.String(s.table), Item: rec, ConditionExpression: notExists}},
		{Put: &types.Put{TableName: aws.String(s.table), Item: sha}},
	}
	for range putDocumentAttempts {
		_, err = s.db.TransactWriteItems(ctx, &ddb.TransactWriteItemsInput{TransactItems: items})
		if err == nil {
			d.IssuedAt, d.RevokedAt = d.IssuedAt.UTC(), time.Time{}
			return d, nil
		}
		var cancelled *types.TransactionCanceledException
		if !errors.As(err, &cancelled) {
			break
		}
		reasons := cancelled.CancellationReasons
		if len(reasons) > 0 && aws.ToString(reasons[0].Code) == "ConditionalCheckFailed" {
			return s.slotDocument(ctx, d)
		}
		if len(reasons) > 1 && aws.ToString(reasons[1].Code) == "ConditionalCheckFailed" {
			return kaiban.DocumentRecord{}, kaiban.Errorf(kaiban.ErrIdempotencyConflict, "document %s exists", d.ID)
		}
		// Another put touched the same slot at once: again, to find out
		// which one won.
	}
	return kaiban.DocumentRecord{}, storeErr(err, "cannot store the document")
}

// slotDocument reads the document already issued into d's slot.
func (s *Store) slotDocument(ctx context.Context, d kaiban.DocumentRecord) (kaiban.DocumentRecord, error) {
	out, err := s.db.GetItem(ctx, &ddb.GetItemInput{TableName: aws.String(s.table),
		Key: key(docSlotPK(d.ApplicationID), docSlotSK(d.Kind, d.Key)), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return kaiban.DocumentRecord{}, storeErr(err, "cannot read the document's slot")
	}
	id, _ := out.Item["id"].(*types.AttributeValueMemberS)
	if id == nil {
		return kaiban.DocumentRecord{}, kaiban.Errorf(kaiban.ErrStoreCorrupt, "document slot without an id")
	}
	return s.GetDocument(ctx, id.Value)
}

// GetDocument implements kaiban.Documents.
func (s *Store) GetDocument(ctx context.Context, id string) (kaiban.DocumentRecord, error) {
	if err := s.check(ctx); err != nil {
		return kaiban.DocumentRecord{}, err
	}
	if kaiban.CheckKey("document id", id) != nil {
		return kaiban.DocumentRecord{}, kaiban.Errorf(kaiban.ErrNotFound, "document not found")
	}
	out, err := s.db.GetItem(ctx, &ddb.GetItemInput{TableName: aws.String(s.table), Key: key(docPK(id), skDoc), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return kaiban.DocumentRecord{}, storeErr(err, "cannot read the document")
	}
	if out.Item == nil {
		return kaiban.DocumentRecord{}, kaiban.Errorf(kaiban.ErrNotFound, "document not found")
	}
	var it documentItem
	if err := unmarshal(out.Item, &it); err != nil {
		return kaiban.DocumentRecord{}, err
	}
	return it.record()
}

// documentsUnder reads the records the pointer items of partition pk name
// (their "id" attribute).
func (s *Store) documentsUnder(ctx context.Context, pk string) ([]kaiban.DocumentRecord, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	out := []kaiban.DocumentRecord{}
	in := &ddb.QueryInput{TableName: aws.String(s.table), KeyConditionExpression: aws.String("PK = :pk"), ConsistentRead: aws.Bool(true),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": &types.AttributeValueMemberS{Value: pk}}}
	for {
		page, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, storeErr(err, "cannot read the documents")
		}
		for _, m := range page.Items {
			id, _ := m["id"].(*types.AttributeValueMemberS)
			if id == nil {
				return nil, kaiban.Errorf(kaiban.ErrStoreCorrupt, "document pointer without an id")
			}
			d, err := s.GetDocument(ctx, id.Value)
			if kaiban.IsName(err, kaiban.ErrNotFound) {
				continue // a put that never committed its record: nothing was issued
			}
			if err != nil {
				return nil, err
			}
			out = append(out, d)
		}
		if len(page.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = page.LastEvaluatedKey
	}
	kaiban.SortDocuments(out)
	return out, nil
}

// ListDocuments implements kaiban.Documents: a Query of the slots and a
// read per document (an application has about fifteen).
func (s *Store) ListDocuments(ctx context.Context, applicationID string) ([]kaiban.DocumentRecord, error) {
	return s.documentsUnder(ctx, docSlotPK(applicationID))
}

// FindDocumentsByDigest implements kaiban.Documents.
func (s *Store) FindDocumentsByDigest(ctx context.Context, sha256 string) ([]kaiban.DocumentRecord, error) {
	return s.documentsUnder(ctx, docSHAPK(sha256))
}

// RevokeDocuments implements kaiban.Documents: one conditional update per
// document not revoked yet, so a second revocation keeps the first time.
func (s *Store) RevokeDocuments(ctx context.Context, applicationID string, at time.Time) (int, error) {
	docs, err := s.ListDocuments(ctx, applicationID)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range docs {
		if d.Revoked() {
			continue
		}
		_, err := s.db.UpdateItem(ctx, &ddb.UpdateItemInput{TableName: aws.String(s.table), Key: key(docPK(d.ID), skDoc),
			UpdateExpression:          aws.String("SET revokedAt = :at"),
			ConditionExpression:       aws.String("attribute_exists(PK) AND attribute_not_exists(revokedAt)"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":at": &types.AttributeValueMemberS{Value: fmtTime(at)}}})
		if isConditionFailed(err) {
			continue
		}
		if err != nil {
			return n, storeErr(err, "cannot revoke the document")
		}
		n++
	}
	return n, nil
}
