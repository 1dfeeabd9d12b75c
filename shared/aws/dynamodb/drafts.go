package dynamodb

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Drafts on DynamoDB: one item per draft,
//
//	draft   DRAFT#<id>   DRAFT
//
// holding the token's SHA-256, the form (sealed when the store has a
// pii.Sealer), the times, and expiresAt (epoch seconds) so the table's
// TTL removes it some time after it expires; reads check the expiry
// themselves. A save is an UpdateItem conditioned on the token hash the
// read compared (in constant time), so a save with a wrong token never
// writes.
const skDraft = "DRAFT"

func draftPK(id string) string { return "DRAFT#" + id }

var _ kaiban.Drafts = (*Store)(nil)

func (s *Store) sealDraft(id string, form json.RawMessage) (string, error) {
	if s.seal == nil {
		return string(form), nil
	}
	return s.seal.Seal(string(form), "draft:"+id)
}

// CreateDraft implements kaiban.Drafts.
func (s *Store) CreateDraft(ctx context.Context, d kaiban.Draft) error {
	if err := kaiban.CheckDraft(d); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	form, err := s.sealDraft(d.ID, d.Form)
	if err != nil {
		return err
	}
	str := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	_, err = s.db.PutItem(ctx, &ddb.PutItemInput{
		TableName: aws.String(s.table),
		Item: map[string]types.AttributeValue{
			attrPK: str(draftPK(d.ID)), attrSK: str(skDraft), "kind": str(skDraft),
			"tokenHash": &types.AttributeValueMemberB{Value: d.TokenHash[:]}, "form": str(form),
			"createdAt": str(fmtTime(d.CreatedAt)), "updatedAt": str(fmtTime(d.UpdatedAt)), "expiresTime": str(fmtTime(d.ExpiresAt)),
			attrExpires: &types.AttributeValueMemberN{Value: strconv.FormatInt(d.ExpiresAt.Unix(), 10)},
		},
		ConditionExpression: aws.String("attribute_not_exists(PK)"),
	})
	if err != nil && isConditionFailed(err) {
		return kaiban.Errorf(kaiban.ErrIdempotencyConflict, "draft %s exists", d.ID)
	}
	return storeErr(err, "cannot store the draft")
}

// GetDraft implements kaiban.Drafts.
func (s *Store) GetDraft(ctx context.Context, id string, tokenHash [32]byte, now time.Time) (kaiban.Draft, error) {
	if err := s.check(ctx); err != nil {
		return kaiban.Draft{}, err
	}
	if kaiban.CheckKey("draft id", id) != nil {
		return kaiban.Draft{}, kaiban.Errorf(kaiban.ErrNotFound, "draft not found")
	}
	out, err := s.db.GetItem(ctx, &ddb.GetItemInput{TableName: aws.String(s.table), Key: key(draftPK(id), skDraft), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return kaiban.Draft{}, storeErr(err, "cannot read the draft")
	}
	get := func(name string) string {
		if v, ok := out.Item[name].(*types.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	var hash []byte
	if v, ok := out.Item["tokenHash"].(*types.AttributeValueMemberB); ok {
		hash = v.Value
	}
	expires, _ := parseTime(get("expiresTime"))
	if subtle.ConstantTimeCompare(hash, tokenHash[:]) != 1 || !now.Before(expires) {
		return kaiban.Draft{}, kaiban.Errorf(kaiban.ErrNotFound, "draft not found")
	}
	form := get("form")
	if s.seal != nil {
		if form, err = s.seal.Open(form, "draft:"+id); err != nil {
			return kaiban.Draft{}, err
		}
	}
	d := kaiban.Draft{ID: id, Form: json.RawMessage(form), ExpiresAt: expires}
	copy(d.TokenHash[:], hash)
	if d.CreatedAt, err = parseTime(get("createdAt")); err != nil {
		return kaiban.Draft{}, err
	}
	if d.UpdatedAt, err = parseTime(get("updatedAt")); err != nil {
		return kaiban.Draft{}, err
	}
	return d, nil
}

// SaveDraft implements kaiban.Drafts.
func (s *Store) SaveDraft(ctx context.Context, id string, tokenHash [32]byte, form json.RawMessage, now time.Time) (kaiban.Draft, error) {
	if err := kaiban.CheckDraftForm(form); err != nil {
		return kaiban.Draft{}, err
	}
	d, err := s.GetDraft(ctx, id, tokenHash, now)
	if err != nil {
		return kaiban.Draft{}, err
	}
	sealed, err := s.sealDraft(id, form)
	if err != nil {
		return kaiban.Draft{}, err
	}
	d.Form, d.UpdatedAt, d.ExpiresAt = append(json.RawMessage(nil), form...), now.UTC(), now.UTC().Add(kaiban.DraftTTL)
	_, err = s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: aws.String(s.table), Key: key(draftPK(id), skDraft),
		UpdateExpression:    aws.String("SET form = :f, updatedAt = :u, expiresTime = :e, expiresAt = :x"),
		ConditionExpression: aws.String("tokenHash = :h"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":f": &types.AttributeValueMemberS{Value: sealed}, ":u": &types.AttributeValueMemberS{Value: fmtTime(d.UpdatedAt)},
			":e": &types.AttributeValueMemberS{Value: fmtTime(d.ExpiresAt)},
			":x": &types.AttributeValueMemberN{Value: strconv.FormatInt(d.ExpiresAt.Unix(), 10)},
			":h": &types.AttributeValueMemberB{Value: tokenHash[:]},
		},
	})
	if err != nil && isConditionFailed(err) {
		return kaiban.Draft{}, kaiban.Errorf(kaiban.ErrNotFound, "draft not found")
	}
	if err != nil {
		return kaiban.Draft{}, storeErr(err, "cannot save the draft")
	}
	return d, nil
}
