package dynamodb

import (
	"context"
	"errors"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Ratings on DynamoDB: one item in the application's partition,
//
//	rating   APP#<id>   RATING
//
// put with attribute_not_exists in the same TransactWriteItems as the
// audit head's move (txWithAudit), so the rating and its event are both
// stored or neither, and a second rating is refused by the condition.
const skRating = "RATING"

var _ kaiban.Ratings = (*Store)(nil)

// CreateRatingWithAudit implements kaiban.Ratings.
func (s *Store) CreateRatingWithAudit(ctx context.Context, r kaiban.Rating, e kaiban.AuditEvent) (kaiban.Rating, error) {
	if err := kaiban.CheckRating(r); err != nil {
		return kaiban.Rating{}, err
	}
	if err := kaiban.CheckAuditEventOf(r.ApplicationID, e); err != nil {
		return kaiban.Rating{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Rating{}, err
	}
	r.RatedAt = r.RatedAt.UTC()
	if r.Tags == nil {
		r.Tags = []string{}
	}
	str := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	tags := make([]types.AttributeValue, len(r.Tags))
	for i, t := range r.Tags {
		tags[i] = str(t)
	}
	put := types.TransactWriteItem{Put: &types.Put{
		TableName: aws.String(s.table),
		Item: map[string]types.AttributeValue{
			attrPK: str(appPK(r.ApplicationID)), attrSK: str(skRating), "kind": str(skRating),
			"score": &types.AttributeValueMemberN{Value: strconv.Itoa(r.Score)}, "tags": &types.AttributeValueMemberL{Value: tags},
			"comment": str(r.Comment), "ratedAt": str(fmtTime(r.RatedAt)),
		},
		ConditionExpression: aws.String("attribute_not_exists(PK)"),
	}}
	err := s.txWithAudit(ctx, e, put)
	if errors.Is(err, errRefused) {
		return kaiban.Rating{}, kaiban.Errorf(kaiban.ErrRatingExists, "the application is rated")
	}
	if err != nil {
		return kaiban.Rating{}, err
	}
	return r, nil
}

// GetRating implements kaiban.Ratings.
func (s *Store) GetRating(ctx context.Context, applicationID string) (kaiban.Rating, error) {
	if err := kaiban.CheckKey("application id", applicationID); err != nil {
		return kaiban.Rating{}, err
	}
	if err := s.check(ctx); err != nil {
		return kaiban.Rating{}, err
	}
	out, err := s.db.GetItem(ctx, &ddb.GetItemInput{TableName: aws.String(s.table), Key: key(appPK(applicationID), skRating), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return kaiban.Rating{}, storeErr(err, "cannot read the rating")
	}
	if out.Item == nil {
		return kaiban.Rating{}, kaiban.Errorf(kaiban.ErrNotFound, "no rating")
	}
	r := kaiban.Rating{ApplicationID: applicationID, Tags: []string{}}
	if v, ok := out.Item["score"].(*types.AttributeValueMemberN); ok {
		r.Score, _ = strconv.Atoi(v.Value)
	}
	if v, ok := out.Item["comment"].(*types.AttributeValueMemberS); ok {
		r.Comment = v.Value
	}
	if v, ok := out.Item["tags"].(*types.AttributeValueMemberL); ok {
		for _, t := range v.Value {
			if s, ok := t.(*types.AttributeValueMemberS); ok {
				r.Tags = append(r.Tags, s.Value)
			}
		}
	}
	v, _ := out.Item["ratedAt"].(*types.AttributeValueMemberS)
	if v == nil {
		return kaiban.Rating{}, kaiban.Errorf(kaiban.ErrStoreCorrupt, "the rating has no time")
	}
	if r.RatedAt, err = parseTime(v.Value); err != nil {
		return kaiban.Rating{}, err
	}
	return r, nil
}
