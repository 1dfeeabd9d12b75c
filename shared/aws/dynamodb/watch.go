package dynamodb

import (
	"context"
	"sort"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

type itemKey struct{ pk, sk, sortKey string }

func str(m map[string]types.AttributeValue, name string) string {
	if v, ok := m[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// queryDue returns the keys in one GSI2 partition in sort order, those
// below before when it is set, at most limit when it is positive.
func (s *Store) queryDue(ctx context.Context, pk, before string, limit int) ([]itemKey, error) {
	kc := expression.Key(attrGSI2PK).Equal(expression.Value(pk))
	if before != "" {
		kc = kc.And(expression.Key(attrGSI2SK).LessThan(expression.Value(before)))
	}
	expr, err := expression.NewBuilder().WithKeyCondition(kc).Build()
	if err != nil {
		return nil, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the query")
	}
	in := &ddb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(indexDue),
		KeyConditionExpression:   expr.KeyCondition(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(),
	}
	if limit > 0 {
		in.Limit = aws.Int32(int32(limit))
	}
	var out []itemKey
	for {
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, storeErr(err, "cannot query the deadline index")
		}
		for _, m := range res.Items {
			out = append(out, itemKey{pk: str(m, attrPK), sk: str(m, attrSK), sortKey: str(m, attrGSI2SK)})
		}
		if (limit > 0 && len(out) >= limit) || len(res.LastEvaluatedKey) == 0 {
			return out, nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}

// ListAtRisk implements kaiban.Store: the soonest entries of every GSI2
// deadline shard, merged, then read back consistently so an application
// that has just finished is not reported.
func (s *Store) ListAtRisk(ctx context.Context, before time.Time, limit int) ([]kaiban.Application, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	limit = kaiban.ClampLimit(limit)
	// The shards are queried at once: the scheduled watchdog waits for one
	// round trip instead of dueShards of them.
	var (
		wg     sync.WaitGroup
		shards = make([][]itemKey, dueShards)
		errs   = make([]error, dueShards)
	)
	for shard := range dueShards {
		wg.Go(func() {
			shards[shard], errs[shard] = s.queryDue(ctx, dueShardName(shard), fmtTime(before), limit)
		})
	}
	wg.Wait()
	var keys []itemKey
	for shard, got := range shards {
		if errs[shard] != nil {
			return nil, errs[shard]
		}
		keys = append(keys, got...)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].sortKey != keys[j].sortKey {
			return keys[i].sortKey < keys[j].sortKey
		}
		return keys[i].pk < keys[j].pk
	})
	out := []kaiban.Application{}
	for _, k := range keys {
		if len(out) == limit {
			break
		}
		var it appItem
		found, err := s.getItem(ctx, k.pk, k.sk, &it)
		if err != nil {
			return nil, err
		}
		if !found || kaiban.AppStatus(it.Status).Terminal() {
			continue
		}
		a, err := s.application(it)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, nil
}

// Counts implements kaiban.Store with a Scan of the statuses only. It reads
// the whole table, which suits an ops view of a provincial service; a
// larger deployment would keep counters instead.
func (s *Store) Counts(ctx context.Context) (kaiban.Counts, error) {
	c := kaiban.Counts{Applications: map[kaiban.AppStatus]int{}, Tracks: map[kaiban.TrackStatus]int{}}
	if err := s.check(ctx); err != nil {
		return c, err
	}
	proj := expression.NamesList(expression.Name("kind"), expression.Name("status"))
	for _, name := range kaiban.Tracks {
		proj = proj.AddNames(expression.Name("tracks." + string(name) + ".status"))
	}
	filter := expression.Name("kind").In(expression.Value(kindApp), expression.Value(kindTask))
	expr, err := expression.NewBuilder().WithProjection(proj).WithFilter(filter).Build()
	if err != nil {
		return c, kaiban.Wrap(kaiban.ErrInternal, err, "cannot build the scan")
	}
	in := &ddb.ScanInput{
		TableName: aws.String(s.table), ProjectionExpression: expr.Projection(), FilterExpression: expr.Filter(),
		ExpressionAttributeNames: expr.Names(), ExpressionAttributeValues: expr.Values(), ConsistentRead: aws.Bool(true),
	}
	for {
		res, err := s.db.Scan(ctx, in)
		if err != nil {
			return c, storeErr(err, "cannot count")
		}
		for _, m := range res.Items {
			var it struct {
				Kind   string `dynamodbav:"kind"`
				Status string `dynamodbav:"status"`
				Tracks map[string]struct {
					Status string `dynamodbav:"status"`
				} `dynamodbav:"tracks"`
			}
			if err := unmarshal(m, &it); err != nil {
				return c, err
			}
			switch {
			case it.Kind == kindApp:
				c.Applications[kaiban.AppStatus(it.Status)]++
				for _, t := range it.Tracks {
					c.Tracks[kaiban.TrackStatus(t.Status)]++
				}
			case it.Status == string(kaiban.TaskOpen):
				c.OpenTasks++
			case it.Status == string(kaiban.TaskClaimed):
				c.ClaimedTasks++
			}
		}
		if len(res.LastEvaluatedKey) == 0 {
			return c, nil
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
}
