// Package notifier is kaiban.Notifier on AWS: SMS through Amazon SNS
// (Publish to a phone number), e-mail through Amazon SES
// (SendTemplatedEmail, with the template the stack's template defines), and
// per-message idempotency through a conditional put in the DynamoDB table
// before anything is sent, so a retried step (a Lambda retry, a Step
// Functions retry, a replayed submission) sends each message once.
//
// Send never logs: the text and the link may carry personal data and the
// status link's access token.
package notifier

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// ClaimAPI is the part of the DynamoDB client Once uses; *dynamodb.Client
// implements it.
type ClaimAPI interface {
	PutItem(ctx context.Context, in *ddb.PutItemInput, opts ...func(*ddb.Options)) (*ddb.PutItemOutput, error)
	DeleteItem(ctx context.Context, in *ddb.DeleteItemInput, opts ...func(*ddb.Options)) (*ddb.DeleteItemOutput, error)
}

var (
	_ ClaimAPI = (*ddb.Client)(nil)
	_ Caller   = (*Query)(nil)

	_ kaiban.Notifier = (*SMS)(nil)
	_ kaiban.Notifier = (*Email)(nil)
	_ kaiban.Notifier = (*Once)(nil)
	_ kaiban.Notifier = Channels{}
)

// SMS sends text messages with SNS Publish to a phone number. Mobiles in
// the form are mainland numbers (11 digits); SNS wants E.164, +86 and the
// number.
type SMS struct {
	SNS Caller // a Query for "sns"
	// SenderID is the sender shown where the network supports it ("" for
	// none).
	SenderID string
}

// Send implements kaiban.Notifier. It is not idempotent by itself: wrap it
// in Once.
func (s *SMS) Send(ctx context.Context, m kaiban.Message) error {
	if err := kaiban.CheckMessage(m); err != nil {
		return err
	}
	if m.Channel != kaiban.ChannelSMS {
		return kaiban.Errorf(kaiban.ErrInput, "SMS sends sms messages only")
	}
	p := url.Values{"PhoneNumber": {e164(m.To)}, "Message": {m.Text}}
	attr := func(i int, name, value string) {
		prefix := "MessageAttributes.entry." + strconv.Itoa(i) + "."
		p.Set(prefix+"Name", name)
		p.Set(prefix+"Value.DataType", "String")
		p.Set(prefix+"Value.StringValue", value)
	}
	// Milestones are transactional (delivery over price).
	attr(1, "AWS.SNS.SMS.SMSType", "Transactional")
	if s.SenderID != "" {
		attr(2, "AWS.SNS.SMS.SenderID", s.SenderID)
	}
	if err := s.SNS.Call(ctx, "Publish", p); err != nil {
		return kaiban.Wrap(kaiban.ErrAgencyUnavailable, err, "the SMS was not sent")
	}
	return nil
}

// e164 writes a mainland mobile as +86…; a number already in E.164 stays.
func e164(mobile string) string {
	if strings.HasPrefix(mobile, "+") {
		return mobile
	}
	return "+86" + mobile
}

// Email sends e-mails with SES SendTemplatedEmail from a verified
// address. The template (an AWS::SES::Template of the stack) lays the
// message out as text and HTML; SES escapes the values in the HTML part,
// so a company name cannot inject markup.
type Email struct {
	SES Caller // a Query for "ses"
	// From is the verified sender (SES identity), e.g.
	// "开办 Kaiban <no-reply@kaiban.example.cn>".
	From string
	// Template is the SES template's name; it takes {{subject}}, {{text}},
	// {{link}} and {{lang}}.
	Template string
}

// subjects are the e-mail subjects by milestone (Message.Kind), zh and en.
var subjects = map[string][2]string{
	"submitted":         {"开办申请已提交", "Your application is submitted"},
	"action_required":   {"开办申请需要您处理", "Your application needs you"},
	"certificate_ready": {"开办事项已办结", "A registration is done"},
	"completed":         {"开办事项已全部办结", "Everything is done"},
	"rejected":          {"开办申请未能办理", "Your application was rejected"},
}

// Send implements kaiban.Notifier. Not idempotent by itself: wrap it in
// Once.
func (e *Email) Send(ctx context.Context, m kaiban.Message) error {
	if err := kaiban.CheckMessage(m); err != nil {
		return err
	}
	if m.Channel != kaiban.ChannelEmail {
		return kaiban.Errorf(kaiban.ErrInput, "Email sends email messages only")
	}
	en := strings.HasPrefix(m.Text, "[Kaiban]")
	subject := subjects[m.Kind]
	if subject[0] == "" {
		subject = [2]string{"开办通知", "Kaiban"}
	}
	s := subject[0]
	if en {
		s = subject[1]
	}
	if e.Template == "" {
		return kaiban.Errorf(kaiban.ErrConfig, "no SES template for e-mails")
	}
	// The SMS text carries the link; the e-mail shows it once, as a
	// button, so it leaves the link out of the text.
	text := strings.TrimSpace(strings.Replace(m.Text, m.Link, "", 1))
	if m.Link == "" {
		text = m.Text
	}
	lang := "zh-CN"
	if en {
		lang = "en"
	}
	data, err := json.Marshal(map[string]string{"subject": s, "text": text, "link": m.Link, "lang": lang})
	if err != nil {
		return kaiban.Wrap(kaiban.ErrInternal, err, "cannot encode the template data")
	}
	p := url.Values{
		"Source":                           {e.From},
		"Destination.ToAddresses.member.1": {m.To},
		"Template":                         {e.Template},
		"TemplateData":                     {string(data)},
	}
	if err := e.SES.Call(ctx, "SendTemplatedEmail", p); err != nil {
		return kaiban.Wrap(kaiban.ErrAgencyUnavailable, err, "the e-mail was not sent")
	}
	return nil
}

// Channels sends each message with the notifier of its channel.
type Channels struct {
	SMS, Email kaiban.Notifier
}

// Send implements kaiban.Notifier.
func (c Channels) Send(ctx context.Context, m kaiban.Message) error {
	var n kaiban.Notifier
	switch m.Channel {
	case kaiban.ChannelSMS:
		n = c.SMS
	case kaiban.ChannelEmail:
		n = c.Email
	}
	if n == nil {
		return kaiban.Errorf(kaiban.ErrInput, "no notifier for channel %q", m.Channel)
	}
	return n.Send(ctx, m)
}

// ClaimTTL is how long a sent message's key is remembered: longer than
// any application lives (a draft's 30 days, the 3 days of signatures, a
// clerk task's deadline).
const ClaimTTL = 90 * 24 * time.Hour

// Once makes a Notifier idempotent by Message.Key: before sending, it puts
// an item SENT#<key> into the table with attribute_not_exists(PK); a put
// that finds the item sends nothing. A send that fails deletes the claim
// again, so the retry sends. The item holds the key, the channel and the
// time only (no address, no text) and expires through the table's TTL.
//
// A process that dies between the claim and the send loses that message
// (at most once): a second SMS is worse for the applicant than a missing
// one, whose milestone the status page shows anyway.
type Once struct {
	DB    ClaimAPI
	Table string
	Next  kaiban.Notifier
	Now   func() time.Time // nil: time.Now
}

// Send implements kaiban.Notifier.
func (o *Once) Send(ctx context.Context, m kaiban.Message) error {
	if err := kaiban.CheckMessage(m); err != nil {
		return err
	}
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	t := now().UTC()
	key := map[string]ddbtypes.AttributeValue{
		"PK": &ddbtypes.AttributeValueMemberS{Value: "SENT#" + m.Key},
		"SK": &ddbtypes.AttributeValueMemberS{Value: "SENT"},
	}
	item := map[string]ddbtypes.AttributeValue{
		"kind":      &ddbtypes.AttributeValueMemberS{Value: "SENT"},
		"channel":   &ddbtypes.AttributeValueMemberS{Value: string(m.Channel)},
		"claimedAt": &ddbtypes.AttributeValueMemberS{Value: t.Format(time.RFC3339Nano)},
		"expiresAt": &ddbtypes.AttributeValueMemberN{Value: itoa(t.Add(ClaimTTL).Unix())},
	}
	for k, v := range key {
		item[k] = v
	}
	_, err := o.DB.PutItem(ctx, &ddb.PutItemInput{
		TableName: aws.String(o.Table), Item: item, ConditionExpression: aws.String("attribute_not_exists(PK)"),
	})
	if err != nil {
		if conditionFailed(err) {
			return nil // sent before (or being sent right now)
		}
		return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, "cannot record the message before sending")
	}
	if err := o.Next.Send(ctx, m); err != nil {
		// Give the key back so the step's retry sends; if this fails too,
		// the message is lost rather than sent twice.
		_, _ = o.DB.DeleteItem(context.WithoutCancel(ctx), &ddb.DeleteItemInput{TableName: aws.String(o.Table), Key: key})
		return err
	}
	return nil
}
