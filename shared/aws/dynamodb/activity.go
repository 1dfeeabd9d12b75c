package dynamodb

import (
	"context"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kaiban/kaiban/shared/kaiban"
)

var _ kaiban.TaskActivity = (*Store)(nil)

// resolvedDayPK is the GSI3 partition of the tasks resolved on t's day
// (UTC); the sort key is the resolution time and the task ID. One
// partition a day keeps a day's work one Query, and no partition grows
// without end.
func resolvedDayPK(t time.Time) string { return "RESOLVED#" + t.UTC().Format("2006-01-02") }

// ResolvedTasksBetween implements kaiban.TaskActivity: one Query of GSI3
// per day of the period (newest day first), each from its newest entry
// in the period down to from, until limit tasks are read.
func (s *Store) ResolvedTasksBetween(ctx context.Context, from, to time.Time, limit int) ([]kaiban.ClerkTask, error) {
	if err := kaiban.CheckActivityPeriod(from, to); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	limit = kaiban.ClampActivityLimit(limit)
	first := from.UTC().Truncate(24 * time.Hour)
	out := []kaiban.ClerkTask{}
	for day := to.UTC().Truncate(24 * time.Hour); !day.Before(first) && len(out) < limit; day = day.Add(-24 * time.Hour) {
		got, err := s.queryResolvedDay(ctx, day, from, to, limit-len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, got...)
	}
	slices.SortFunc(out, kaiban.NewestResolvedFirst)
	return out, nil
}

// queryResolvedDay reads up to limit tasks of one day's partition
// resolved in [from, to), newest first. The sort key is the time and
// "#<id>", so "<to>" sorts before every entry resolved at to itself.
func (s *Store) queryResolvedDay(ctx context.Context, day, from, to time.Time, limit int) ([]kaiban.ClerkTask, error) {
	kc := expression.Key(attrGSI3PK).Equal(expression.Value(resolvedDayPK(day))).
		And(expression.Key(attrGSI3SK).Between(expression.Value(fmtTime(from)), expression.Value(fmtTime(to))))
	expr, err := expression.NewBuilder().WithKeyCondition(kc).Build()
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the query")
	}
	in := &ddb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(indexResolved),
		KeyConditionExpression:   expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
		ScanIndexForward: aws.Bool(false),
		Limit:            aws.Int32(int32(limit)),
	}
	var out []kaiban.ClerkTask
	for {
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, storeErr(err, "cannot list resolved tasks")
		}
		for _, m := range res.Items {
			var it taskItem
			if err := unmarshal(m, &it); err != nil {
				return nil, err
			}
			t, err := it.task()
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
		if len(out) >= limit || len(res.LastEvaluatedKey) == 0 {
			return out, nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}
