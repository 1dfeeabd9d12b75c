package dynamodb

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The outbox on DynamoDB (kaiban.Outbox, for a local stack running with
// --store dynamodb): one item per message key,
//
//	message   MSG#<key>   MSG   GSI1: OUTBOX / <sentAt>#<key>
//
// put with attribute_not_exists(PK), so a key is stored once however many
// sends race for it. The list reads GSI1 backwards (newest first); GSI1 is
// eventually consistent on DynamoDB, so a message may show a moment after
// its send returned. The recipient, text and link are sealed when the
// store has a pii.Sealer.
const (
	skMsg    = "MSG"
	outboxPK = "OUTBOX"
)

func msgPK(key string) string { return "MSG#" + key }

var _ kaiban.Outbox = (*Store)(nil)

func (s *Store) sealField(v, key, column string) (string, error) {
	if s.seal == nil {
		return v, nil
	}
	return s.seal.Seal(v, "outbox:"+column+":"+key)
}

func (s *Store) openField(v, key, column string) (string, error) {
	if s.seal == nil {
		return v, nil
	}
	return s.seal.Open(v, "outbox:"+column+":"+key)
}

// Send implements kaiban.Notifier: a conditional put of the message item.
// A key already stored is not an error: the message was sent.
func (s *Store) Send(ctx context.Context, m kaiban.Message) error {
	if err := kaiban.CheckMessage(m); err != nil {
		return err
	}
	if err := s.check(ctx); err != nil {
		return err
	}
	m = kaiban.StampMessage(m, s.now())
	str := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	item := map[string]types.AttributeValue{
		attrPK: str(msgPK(m.Key)), attrSK: str(skMsg),
		attrGSI1PK: str(outboxPK), attrGSI1SK: str(fmtTime(m.SentAt) + "#" + m.Key),
		"kind": str(kindMsg), "key": str(m.Key), "channel": str(string(m.Channel)), "sentAt": str(fmtTime(m.SentAt)),
	}
	for _, f := range []struct{ col, v string }{{"to", m.To}, {"text", m.Text}, {"link", m.Link}, {"applicationId", m.ApplicationID}, {"msgKind", m.Kind}} {
		if f.v == "" {
			continue
		}
		v := f.v
		if f.col == "to" || f.col == "text" || f.col == "link" {
			var err error
			if v, err = s.sealField(f.v, m.Key, f.col); err != nil {
				return kaiban.Wrap(kaiban.ErrInternal, err, "cannot seal the message")
			}
		}
		item[f.col] = str(v)
	}
	_, err := s.db.PutItem(ctx, &ddb.PutItemInput{
		TableName: aws.String(s.table), Item: item,
		ConditionExpression: aws.String("attribute_not_exists(PK)"),
	})
	if err != nil && isConditionFailed(err) {
		return nil
	}
	return storeErr(err, "cannot store the message")
}

// Messages implements kaiban.Outbox.
func (s *Store) Messages(ctx context.Context, limit int) ([]kaiban.Message, error) {
	if err := s.check(ctx); err != nil {
		return nil, err
	}
	limit = kaiban.OutboxLimit(limit)
	in := &ddb.QueryInput{
		TableName: aws.String(s.table), IndexName: aws.String(indexQueue),
		KeyConditionExpression:    aws.String("GSI1PK = :p"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: outboxPK}},
		ScanIndexForward:          aws.Bool(false),
		Limit:                     aws.Int32(int32(limit)),
	}
	var out []kaiban.Message
	for len(out) < limit {
		res, err := s.db.Query(ctx, in)
		if err != nil {
			return nil, storeErr(err, "cannot read the outbox")
		}
		for _, item := range res.Items {
			m, err := s.messageFrom(item)
			if err != nil {
				return nil, err
			}
			out = append(out, m)
		}
		if len(res.LastEvaluatedKey) == 0 {
			break
		}
		in.ExclusiveStartKey = res.LastEvaluatedKey
	}
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func (s *Store) messageFrom(item map[string]types.AttributeValue) (kaiban.Message, error) {
	get := func(name string) string {
		if v, ok := item[name].(*types.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	m := kaiban.Message{Key: get("key"), ApplicationID: get("applicationId"), Channel: kaiban.Channel(get("channel")), Kind: get("msgKind")}
	at, err := parseTime(get("sentAt"))
	if err != nil {
		return kaiban.Message{}, err
	}
	m.SentAt = at
	for col, dst := range map[string]*string{"to": &m.To, "text": &m.Text, "link": &m.Link} {
		v, err := s.openField(get(col), m.Key, col)
		if err != nil {
			return kaiban.Message{}, kaiban.Wrap(kaiban.ErrStoreCorrupt, err, "an outbox message does not open with the PII key")
		}
		*dst = v
	}
	return m, nil
}
