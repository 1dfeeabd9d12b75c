package notifier

import (
	"context"
	"errors"
	"net/url"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/ses"
	sestypes "github.com/aws/aws-sdk-go-v2/service/ses/types"

	"github.com/kaiban/kaiban/shared/aws/dynamodb"
	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamotest"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// server is moto_server, which speaks DynamoDB, SNS and SES on one port.
var (
	server     *dynamotest.Server
	skipReason string
)

func TestMain(m *testing.M) {
	os.Exit(dynamotest.Run(m, "SNS/SES ADAPTER TESTS", &server, &skipReason))
}

type env struct {
	sns   *Query
	mail  *Query
	ses   *ses.Client // the test's own view of SES: verify the sender, count what was sent
	db    *ddb.Client
	table string
}

func newEnv(t *testing.T) env {
	t.Helper()
	if skipReason != "" {
		t.Skip("SKIPPED: " + skipReason)
	}
	srv := server
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	e := env{
		sns:   &Query{Service: "sns", Version: "2010-03-31", Region: "us-east-1", Endpoint: srv.Endpoint, Creds: creds},
		mail:  &Query{Service: "ses", Version: "2010-12-01", Region: "us-east-1", Endpoint: srv.Endpoint, Creds: creds},
		ses:   ses.New(ses.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.Endpoint), Credentials: creds}),
		db:    srv.Client(),
		table: dynamotest.TableName("notify"),
	}
	if err := dynamodb.New(e.db, e.table, nil).CreateTable(t.Context()); err != nil {
		t.Fatal(err)
	}
	return e
}

// email verifies the sender and creates the e-mail template in moto, laid
// out as the stack's AWS::SES::Template is, and returns an Email that
// uses them.
func (e env) email(t *testing.T) *Email {
	t.Helper()
	const from = "no-reply@kaiban.example.cn"
	if _, err := e.ses.VerifyEmailIdentity(t.Context(), &ses.VerifyEmailIdentityInput{EmailAddress: aws.String(from)}); err != nil {
		t.Fatal(err)
	}
	name := dynamotest.TableName("notification")
	if _, err := e.ses.CreateTemplate(t.Context(), &ses.CreateTemplateInput{Template: &sestypes.Template{
		TemplateName: aws.String(name), SubjectPart: aws.String("{{subject}}"),
		TextPart: aws.String("{{text}}\n\n{{link}}"), HtmlPart: aws.String(`<p>{{text}}</p><p><a href="{{link}}">{{link}}</a></p>`),
	}}); err != nil {
		t.Fatal(err)
	}
	return &Email{SES: e.mail, From: from, Template: name}
}

// An e-mail names a template SES has: one it does not know is refused
// with SES's error, and none at all is a configuration error.
func TestEmailTemplateMustExist(t *testing.T) {
	e := newEnv(t)
	mail := e.email(t)
	m := kaiban.Message{Key: "k", To: "a@example.com", Channel: kaiban.ChannelEmail, Kind: "completed", Text: "【开办】已办结"}
	if err := mail.Send(t.Context(), m); err != nil {
		t.Fatalf("with the template: %v", err)
	}
	mail.Template = "no-such-template"
	var apiErr *APIError
	if err := mail.Send(t.Context(), m); !errors.As(err, &apiErr) || apiErr.Code != "TemplateDoesNotExist" {
		t.Errorf("unknown template: %v, want SES's TemplateDoesNotExist", err)
	}
	mail.Template = ""
	if err := mail.Send(t.Context(), m); !kaiban.IsName(err, kaiban.ErrConfig) {
		t.Errorf("no template: %v, want %s", err, kaiban.ErrConfig)
	}
}

// countingSNS counts the Publish calls SNS accepted.
type countingSNS struct {
	Caller
	n atomic.Int32
}

func (c *countingSNS) Call(ctx context.Context, action string, p url.Values) error {
	err := c.Caller.Call(ctx, action, p)
	if err == nil && action == "Publish" {
		c.n.Add(1)
	}
	return err
}

func sentEmails(t *testing.T, c *ses.Client) float64 {
	t.Helper()
	q, err := c.GetSendQuota(t.Context(), &ses.GetSendQuotaInput{})
	if err != nil {
		t.Fatal(err)
	}
	return q.SentLast24Hours
}

// The same key sent many times, also at once, reaches SNS and SES once.
func TestOnceSendsEachKeyOnce(t *testing.T) {
	e := newEnv(t)
	mail := e.email(t)
	counted := &countingSNS{Caller: e.sns}
	n := &Once{DB: e.db, Table: e.table, Next: Channels{
		SMS:   &SMS{SNS: counted, SenderID: "Kaiban"},
		Email: mail,
	}}
	sms := kaiban.Message{Key: "KB1/submitted/sms/ab", To: "13800138000", Channel: kaiban.ChannelSMS, Kind: "submitted",
		Text: "【开办】申请已提交 http://x/status/KB1#token=t", Link: "http://x/status/KB1#token=t"}
	email := sms
	email.Key, email.To, email.Channel = "KB1/submitted/email/cd", "zhang@example.com", kaiban.ChannelEmail
	before := sentEmails(t, e.ses)

	var wg sync.WaitGroup
	for range 8 {
		for _, m := range []kaiban.Message{sms, email} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := n.Send(context.Background(), m); err != nil {
					t.Errorf("send %s: %v", m.Channel, err)
				}
			}()
		}
	}
	wg.Wait()
	if got := counted.n.Load(); got != 1 {
		t.Errorf("SNS published %d SMS for one key, want 1", got)
	}
	if got := sentEmails(t, e.ses) - before; got != 1 {
		t.Errorf("SES sent %v e-mails for one key, want 1", got)
	}
}

// failingSNS refuses once, then passes on.
type failingSNS struct {
	Caller
	fail atomic.Bool
}

func (f *failingSNS) Call(ctx context.Context, action string, p url.Values) error {
	if f.fail.CompareAndSwap(true, false) {
		return &APIError{Status: 400, Code: "Throttling", Message: "slow down"}
	}
	return f.Caller.Call(ctx, action, p)
}

// A send that fails gives its key back: the retry sends.
func TestOnceFailedSendIsRetried(t *testing.T) {
	e := newEnv(t)
	counted := &countingSNS{Caller: e.sns}
	flaky := &failingSNS{Caller: counted}
	flaky.fail.Store(true)
	n := &Once{DB: e.db, Table: e.table, Next: &SMS{SNS: flaky}}
	m := kaiban.Message{Key: "KB2/completed/sms/ab", To: "13800138000", Channel: kaiban.ChannelSMS, Kind: "completed", Text: "【开办】已办结"}
	if err := n.Send(t.Context(), m); !kaiban.IsName(err, kaiban.ErrAgencyUnavailable) {
		t.Fatalf("first send: %v, want %s", err, kaiban.ErrAgencyUnavailable)
	}
	for range 2 {
		if err := n.Send(t.Context(), m); err != nil {
			t.Fatal(err)
		}
	}
	if got := counted.n.Load(); got != 1 {
		t.Errorf("%d SMS after a failure and two retries, want 1", got)
	}
}

func TestBadMessagesAreRefused(t *testing.T) {
	n := Channels{SMS: &SMS{}, Email: &Email{}}
	for _, m := range []kaiban.Message{
		{Key: "k", To: "13800138000", Channel: "fax", Text: "x"},
		{Key: "", To: "13800138000", Channel: kaiban.ChannelSMS, Text: "x"},
	} {
		if err := n.Send(context.Background(), m); !kaiban.IsName(err, kaiban.ErrInput) {
			t.Errorf("%+v: %v, want %s", m, err, kaiban.ErrInput)
		}
	}
	if got := e164("13800138000"); got != "+8613800138000" {
		t.Errorf("e164 = %q", got)
	}
}

// SES refuses a sender it does not know; the error carries SES's code.
func TestUnverifiedSenderIsRefused(t *testing.T) {
	e := newEnv(t)
	mail := e.email(t)
	mail.From = "nobody@unverified.example"
	err := mail.Send(t.Context(), kaiban.Message{Key: "k", To: "a@example.com", Channel: kaiban.ChannelEmail, Kind: "completed", Text: "x"})
	var apiErr *APIError
	if !kaiban.IsName(err, kaiban.ErrAgencyUnavailable) || !errors.As(err, &apiErr) || apiErr.Code != "MessageRejected" {
		t.Fatalf("err = %v, want %s carrying MessageRejected", err, kaiban.ErrAgencyUnavailable)
	}
}
