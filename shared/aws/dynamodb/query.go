package dynamodb

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// queryPrefix reads every item of one partition whose sort key starts
// with prefix, strongly consistent, page after page, and decodes each into
// an item of type I; what names the read in the error.
func queryPrefix[I any](ctx context.Context, s *Store, pk, prefix, what string) ([]I, error) {
	kc := expression.Key(attrPK).Equal(expression.Value(pk)).And(expression.Key(attrSK).BeginsWith(prefix))
	expr, err := expression.NewBuilder().WithKeyCondition(kc).Build()
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the query")
	}
	in := &ddb.QueryInput{
		TableName: aws.String(s.table), KeyConditionExpression: expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(), ConsistentRead: aws.Bool(true),
	}
	var out []I
	for {
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, storeErr(err, "cannot read "+what)
		}
		for _, m := range res.Items {
			var it I
			if err := unmarshal(m, &it); err != nil {
				return nil, err
			}
			out = append(out, it)
		}
		if len(res.LastEvaluatedKey) == 0 {
			return out, nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}
