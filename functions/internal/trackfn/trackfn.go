// Package trackfn is the composition root of the step functions: the
// states the workflow invokes (identity, reserve, the tracks, escalate,
// compensate, finalize) and the scheduled watchdog. They share one
// bootstrap, functions/step; KAIBAN_STEP picks the handler.
//
// Environment:
//
//	KAIBAN_STEP            the step this function runs, a name of tracks.Steps (required)
//	TABLE_NAME             DynamoDB table (required)
//	PII_KEY                base64 32 bytes: also seals ID numbers and mobiles in the items (optional; the table is KMS-encrypted)
//	AUDIT_KEY              base64, ≥ 32 bytes: keys the audit trail's chain and signs its head (required)
//	KAIBAN_AGENCY_CONFIG   path of the per-city agency endpoint configuration (JSON), or
//	KAIBAN_AGENCY_URL      one base URL for all agencies
//	KAIBAN_AGENCY_TIMEOUT  per-call timeout, e.g. "8s"
//	STAGE                  metric dimension (default "dev")
//	STATE_MACHINE_ARN      the one-stop state machine: the watchdog reconciles its executions with it
//	                       (starts submissions that never got one, opens clerk tasks for stranded ones)
//	LOG_LEVEL              debug|info|warn|error (default info)
//	NOTIFY_SENDER_EMAIL    SES identity of the applicant's e-mails ("" for SMS only; the tracks, escalate, compensate, finalize)
//	NOTIFY_EMAIL_TEMPLATE  SES template the e-mails are laid out with
//	NOTIFY_SMS_SENDER_ID   SMS sender ID (optional)
//	TOKEN_SECRET           base64, ≥ 32 bytes, the api's: the confirm step derives the founders' link tokens from it (confirm only)
//	PUBLIC_BASE_URL        the portal's https://host: base of the founders' links (confirm) and of the "certificate ready" link to the documents (tracks)
//
// The Lambda runtime sets AWS_REGION and the execution role's credentials;
// AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL_CLOUDWATCH point the
// clients elsewhere for local runs (see shared/aws/awsenv).
package trackfn

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	awscloudwatch "github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/aws/awsenv"
	"github.com/kaiban/kaiban/shared/aws/cloudwatch"
	"github.com/kaiban/kaiban/shared/aws/dynamodb"
	"github.com/kaiban/kaiban/shared/aws/lambdafn"
	awsnotifier "github.com/kaiban/kaiban/shared/aws/notifier"
	"github.com/kaiban/kaiban/shared/delivery"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/pii"
	"github.com/kaiban/kaiban/shared/sfnworkflow"
	"github.com/kaiban/kaiban/shared/tracks"
)

// Main builds the handler KAIBAN_STEP names once per execution
// environment and hands it to the Lambda runtime.
func Main() {
	h, err := Build(context.Background(), os.Getenv, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "step "+os.Getenv("KAIBAN_STEP")+":", err)
		os.Exit(1)
	}
	lambda.Start(lambdafn.Wrap(h))
}

// Build wires the handler of the step KAIBAN_STEP names from the
// environment; tests call it with their own getenv.
func Build(ctx context.Context, getenv func(string) string, logOut io.Writer) (lambdafn.Handler, error) {
	name := getenv("KAIBAN_STEP")
	st, ok := tracks.StepNamed(name)
	if !ok {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "KAIBAN_STEP is %q, not a step of tracks.Steps", name)
	}
	if !st.Own() {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "KAIBAN_STEP is %q, which the functions/%s bootstrap runs", name, st.Program())
	}
	table := getenv("TABLE_NAME")
	if table == "" {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "TABLE_NAME is required")
	}
	var sealer *pii.Sealer // optional: the table's KMS encryption protects data at rest
	if v := getenv("PII_KEY"); v != "" {
		var err error
		if sealer, err = pii.FromBase64(v); err != nil {
			return nil, err
		}
	}
	auditKey, err := kaiban.AuditKeyFromBase64(getenv("AUDIT_KEY"))
	if err != nil {
		return nil, err
	}
	acfg, err := agency.ConfigFromEnv(getenv)
	if err != nil {
		return nil, err
	}
	clients, err := agency.NewClients(acfg, nil)
	if err != nil {
		return nil, err
	}
	cfg, err := awsenv.Config(getenv)
	if err != nil {
		return nil, err
	}
	stage := getenv("STAGE")
	if stage == "" {
		stage = "dev"
	}
	// The watchdog alone talks to Step Functions: it re-delivers clerk
	// decisions and reconciles executions, with one client.
	var workflow *sfnworkflow.Workflow
	var decisions delivery.TaskSender
	if name == tracks.FnWatchdog {
		workflow = sfnworkflow.New(awssfn.NewFromConfig(cfg, func(o *awssfn.Options) { o.BaseEndpoint = awsenv.Endpoint(getenv, "SFN") }), getenv("STATE_MACHINE_ARN"))
		decisions = workflow
	}
	db := awsdynamodb.NewFromConfig(cfg, func(o *awsdynamodb.Options) { o.BaseEndpoint = awsenv.Endpoint(getenv, "DYNAMODB") })
	// The steps that reach a milestone tell the applicant (SNS, SES).
	var notifier kaiban.Notifier
	if tracks.Notifies(name) {
		notifier = awsnotifier.FromEnv(cfg, getenv, db, table)
	}
	store := dynamodb.New(db, table, sealer).UseAuditKey(auditKey)
	svc := tracks.New(tracks.Deps{
		Store:    store,
		Names:    &names.Checker{Index: store, Now: time.Now},
		Notifier: notifier,
		Stats:    store,
		Agencies: clients,
		Metrics:  cloudwatch.New(awscloudwatch.NewFromConfig(cfg, func(o *awscloudwatch.Options) { o.BaseEndpoint = awsenv.Endpoint(getenv, "CLOUDWATCH") }), stage),
		Logger:   logging.New(logOut, getenv("LOG_LEVEL")),
		// The watchdog re-delivers clerk decisions the API recorded but
		// could not hand to their workflow.
		Decisions: decisions,
		// Compensate revokes the issued documents.
		Documents: store,
		// "Certificate ready" links to the status page's documents.
		PublicBaseURL: getenv("PUBLIC_BASE_URL"),
	})
	if machine := getenv("STATE_MACHINE_ARN"); name == tracks.FnWatchdog && machine != "" {
		svc.UseExecutions(workflow)
	}
	if name == tracks.FnConfirm {
		store := dynamodb.New(db, table, sealer).UseAuditKey(auditKey)
		c, err := confirmer(getenv, store, notifier, clients.Identity, logging.New(logOut, getenv("LOG_LEVEL")))
		if err != nil {
			return nil, err
		}
		svc.UseConfirmer(c)
	}
	return lambdafn.Handler(svc.Handlers()[name]), nil
}
