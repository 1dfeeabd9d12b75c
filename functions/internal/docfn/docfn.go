// Package docfn is the composition root of the documents function: the
// workflow's documents step, which renders, signs and stores an
// application's documents (shared/docissue). It has its own bootstrap,
// functions/documents, because rendering carries the fonts and the PDF
// library that the step and api bootstraps' 10 MB budgets have no room
// for.
//
// Environment:
//
//	TABLE_NAME         DynamoDB table (required)
//	PII_KEY            base64 32 bytes: opens the sealed fields of the form (optional, as for the steps)
//	DOCUMENTS_BUCKET   the documents' S3 bucket (required)
//	DOCUMENTS_KEY_ID   the bucket's KMS key, asked for on each put (optional: the bucket's default)
//	SIGNING_KEY_ID     the platform's KMS signing key (required)
//	TOKEN_SECRET       base64, ≥ 32 bytes, the api's: the documents' IDs are keyed from it (required)
//	PUBLIC_BASE_URL    the portal's https://host, base of the licence's verification link (required)
//	AUDIT_KEY          base64, ≥ 32 bytes: the audit trail's key, as every function's store has it (optional: the step writes no audit event)
//	LOG_LEVEL          debug|info|warn|error (default info): a failed issue is logged at warn
//
// The Lambda runtime sets AWS_REGION and the execution role's
// credentials; AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_KMS and
// AWS_ENDPOINT_URL_S3 point the clients elsewhere for local runs.
package docfn

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kaiban/kaiban/shared/aws/awsenv"
	"github.com/kaiban/kaiban/shared/aws/dynamodb"
	"github.com/kaiban/kaiban/shared/aws/kmssign"
	"github.com/kaiban/kaiban/shared/aws/lambdafn"
	"github.com/kaiban/kaiban/shared/aws/s3objects"
	"github.com/kaiban/kaiban/shared/docissue"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/pii"
)

// Main builds the handler once per execution environment and hands it to
// the Lambda runtime.
func Main() {
	h, err := Build(context.Background(), os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "documents:", err)
		os.Exit(1)
	}
	lambda.Start(lambdafn.Wrap(h))
}

// Build wires the documents step from the environment; tests call it with
// their own getenv.
func Build(ctx context.Context, getenv func(string) string) (lambdafn.Handler, error) {
	for _, name := range []string{"TABLE_NAME", "DOCUMENTS_BUCKET", "SIGNING_KEY_ID", "PUBLIC_BASE_URL"} {
		if getenv(name) == "" {
			return nil, kaiban.Errorf(kaiban.ErrConfig, "%s is required", name)
		}
	}
	secret, err := base64.StdEncoding.DecodeString(getenv("TOKEN_SECRET"))
	if err != nil || len(secret) < 32 {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "TOKEN_SECRET must be base64 of at least 32 bytes")
	}
	var sealer *pii.Sealer
	if v := getenv("PII_KEY"); v != "" {
		if sealer, err = pii.FromBase64(v); err != nil {
			return nil, err
		}
	}
	cfg, err := awsenv.Config(getenv)
	if err != nil {
		return nil, err
	}
	db := awsdynamodb.NewFromConfig(cfg, func(o *awsdynamodb.Options) { o.BaseEndpoint = awsenv.Endpoint(getenv, "DYNAMODB") })
	store := dynamodb.New(db, getenv("TABLE_NAME"), sealer)
	if v := getenv("AUDIT_KEY"); v != "" {
		key, err := kaiban.AuditKeyFromBase64(v)
		if err != nil {
			return nil, err
		}
		store = store.UseAuditKey(key)
	}
	bucket := &s3objects.Bucket{Name: getenv("DOCUMENTS_BUCKET"), Region: cfg.Region, Endpoint: aws.ToString(awsenv.Endpoint(getenv, "S3")),
		Creds: cfg.Credentials, KMSKeyID: getenv("DOCUMENTS_KEY_ID")}
	kmsc := &kmssign.Client{Region: cfg.Region, Endpoint: aws.ToString(awsenv.Endpoint(getenv, "KMS")), Creds: cfg.Credentials}
	signer := kmssign.New(kmsc, getenv("SIGNING_KEY_ID"))
	is := &docissue.Issuer{Apps: store, Store: store, Objects: bucket, Signer: signer,
		IDSecret: docissue.IDSecret(secret), VerifyBase: getenv("PUBLIC_BASE_URL"), Clock: time.Now}
	log := logging.New(os.Stderr, getenv("LOG_LEVEL"))
	return func(ctx context.Context, in json.RawMessage) (json.RawMessage, error) {
		out, err := is.Handle(ctx, in)
		if err != nil {
			log.WithError(err).Warn("documents not issued")
		}
		return out, err
	}, nil
}
