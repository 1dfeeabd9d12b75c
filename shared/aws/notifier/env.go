package notifier

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kaiban/kaiban/shared/aws/awsenv"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// FromEnv builds the notifier the functions use: SMS through SNS, e-mail
// through SES from NOTIFY_SENDER_EMAIL with the NOTIFY_EMAIL_TEMPLATE
// template, each message claimed once in the table before it is sent.
// Without both e-mails are left out (SMS still go). AWS_ENDPOINT_URL_SNS and AWS_ENDPOINT_URL_SES point
// the clients elsewhere (moto) for local runs.
//
//	NOTIFY_SENDER_EMAIL     the SES identity e-mails come from ("" for no e-mail)
//	NOTIFY_EMAIL_TEMPLATE   the SES template e-mails are laid out with
//	NOTIFY_SMS_SENDER_ID    the SMS sender ID where networks show one (optional)
func FromEnv(cfg aws.Config, getenv func(string) string, db ClaimAPI, table string) kaiban.Notifier {
	query := func(service, version string) *Query {
		return &Query{Service: service, Version: version, Region: cfg.Region, Endpoint: aws.ToString(awsenv.Endpoint(getenv, strings.ToUpper(service))), Creds: cfg.Credentials}
	}
	ch := Channels{SMS: &SMS{SNS: query("sns", "2010-03-31"), SenderID: getenv("NOTIFY_SMS_SENDER_ID")}, Email: skip{}}
	if from, tmpl := getenv("NOTIFY_SENDER_EMAIL"), getenv("NOTIFY_EMAIL_TEMPLATE"); from != "" && tmpl != "" {
		ch.Email = &Email{SES: query("ses", "2010-12-01"), From: from, Template: tmpl}
	}
	return &Once{DB: db, Table: table, Next: ch}
}

// skip sends nothing: the channel is not configured.
type skip struct{}

func (skip) Send(context.Context, kaiban.Message) error { return nil }
