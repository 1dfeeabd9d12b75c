package dynamodb

import (
	"context"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The dashboard's aggregates on DynamoDB: one item per day,
//
//	stats day   STATS   DAY#<YYYY-MM-DD>
//
// whose attributes "c_<counter>" are numbers. AddStats is one UpdateItem
// with an ADD per counter (atomic, creates the item and the attributes);
// StatsDays is one Query of the STATS partition between two sort keys,
// at most kaiban.MaxStatsDays items.
const (
	pkStats      = "STATS"
	statsCounter = "c_"
)

func statsSK(day string) string { return "DAY#" + day }

var _ kaiban.Stats = (*Store)(nil)

// AddStats implements kaiban.Stats.
func (s *Store) AddStats(ctx context.Context, day string, c kaiban.Counters) error {
	if err := kaiban.CheckStats(day, c); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	if len(c) == 0 {
		return nil
	}
	names := map[string]string{}
	values := map[string]types.AttributeValue{}
	adds := make([]string, 0, len(c))
	i := 0
	for k, v := range c {
		n, val := "#c"+strconv.Itoa(i), ":c"+strconv.Itoa(i)
		names[n] = statsCounter + k
		values[val] = &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
		adds = append(adds, n+" "+val)
		i++
	}
	_, err := s.db.UpdateItem(ctx, &ddb.UpdateItemInput{
		TableName: aws.String(s.table), Key: key(pkStats, statsSK(day)),
		UpdateExpression:         aws.String("ADD " + strings.Join(adds, ", ")),
		ExpressionAttributeNames: names, ExpressionAttributeValues: values,
	})
	return storeErr(err, "cannot add to the stats")
}

// StatsDays implements kaiban.Stats.
func (s *Store) StatsDays(ctx context.Context, from, to string) ([]kaiban.DayCounters, error) {
	if err := kaiban.CheckStatsRange(from, to); err != nil {
		return nil, err
	}
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	var out []kaiban.DayCounters
	var start map[string]types.AttributeValue
	for {
		page, err := s.db.Query(ctx, &ddb.QueryInput{
			TableName:                aws.String(s.table),
			KeyConditionExpression:   aws.String("#pk = :pk AND #sk BETWEEN :from AND :to"),
			ExpressionAttributeNames: map[string]string{"#pk": attrPK, "#sk": attrSK},
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":pk": &types.AttributeValueMemberS{Value: pkStats}, ":from": &types.AttributeValueMemberS{Value: statsSK(from)},
				":to": &types.AttributeValueMemberS{Value: statsSK(to)},
			},
			ExclusiveStartKey: start,
		})
		if err != nil {
			return nil, storeErr(err, "cannot read the stats")
		}
		for _, it := range page.Items {
			sk, _ := it[attrSK].(*types.AttributeValueMemberS)
			if sk == nil {
				continue
			}
			d := kaiban.DayCounters{Day: strings.TrimPrefix(sk.Value, "DAY#"), Counters: kaiban.Counters{}}
			for name, v := range it {
				k, ok := strings.CutPrefix(name, statsCounter)
				n, isNum := v.(*types.AttributeValueMemberN)
				if !ok || !isNum {
					continue
				}
				if d.Counters[k], err = strconv.ParseInt(n.Value, 10, 64); err != nil {
					return nil, kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "a stats counter is not a whole number")
				}
			}
			out = append(out, d)
		}
		if start = page.LastEvaluatedKey; len(start) == 0 {
			return out, nil
		}
	}
}
