// Command api is the HTTP API function: the composition root that reads
// its configuration from the environment, builds the AWS SDK clients and
// the DynamoDB store once per execution environment, and hands
// (*api.Server).Handle to the Lambda runtime. No logic lives here.
//
// Environment:
//
//	TABLE_NAME         DynamoDB table (required)
//	STATE_MACHINE_ARN  the one-stop state machine (required)
//	TOKEN_SECRET       base64, ≥ 32 bytes: seals access tokens for idempotent replays (required)
//	PII_KEY            base64, 32 bytes: also seals ID numbers and mobiles in the items (optional)
//	AUDIT_KEY          base64, ≥ 32 bytes: keys the audit trail's chain and signs its head (required)
//	CLERK_GROUP        Cognito group of clerks (default "clerks")
//	CLERK_OIDC_ISSUER  the clerks' user pool as an issuer (https://cognito-idp.<region>.amazonaws.com/<pool>)
//	CLERK_OIDC_CLIENT_ID the clerk console's app client
//	CLERK_OIDC_DOMAIN  the user pool's hosted UI (https://<prefix>.auth.<region>.amazoncognito.com);
//	                   the three together tell the console where clerks sign in (optional)
//	PUBLIC_BASE_URL    base of the status link sent to applicants (the portal's https://host)
//	NOTIFY_SENDER_EMAIL the SES identity the applicant's e-mails come from ("" for SMS only)
//	NOTIFY_EMAIL_TEMPLATE the SES template the e-mails are laid out with
//	NOTIFY_SMS_SENDER_ID the SMS sender ID where networks show one (optional)
//	SIGNING_KEY_ID     the KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs the founders' signatures (required)
//	KAIBAN_AGENCY_CONFIG the per-city agency endpoints (JSON) of the identity agency the founders verify with, or
//	KAIBAN_AGENCY_URL  one base URL for all agencies (one of the two is required)
//	KAIBAN_AGENCY_TIMEOUT per-call timeout, e.g. "8s"
//	DOCUMENTS_BUCKET   the issued documents' S3 bucket: lists them with pre-signed links, zips and verifies them (optional: without it the documents routes answer 404)
//	DOCUMENTS_PUBLIC_KEY PEM of the signing key's public half, which verifies the documents (optional: else read from KMS at start, GetPublicKey on SIGNING_KEY_ID)
//	LOG_LEVEL          debug|info|warn|error (default info)
//
// The SDK's own variables apply too (AWS_REGION; AWS_ENDPOINT_URL_SFN and
// AWS_ENDPOINT_URL_DYNAMODB point the clients at the local engine and a
// local DynamoDB).
package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsdynamodb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/api"
	"github.com/kaiban/kaiban/shared/aws/awsenv"
	"github.com/kaiban/kaiban/shared/aws/dynamodb"
	"github.com/kaiban/kaiban/shared/aws/kmssign"
	awsnotifier "github.com/kaiban/kaiban/shared/aws/notifier"
	"github.com/kaiban/kaiban/shared/aws/s3objects"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
	"github.com/kaiban/kaiban/shared/names"
	"github.com/kaiban/kaiban/shared/onestop"
	"github.com/kaiban/kaiban/shared/pii"
	"github.com/kaiban/kaiban/shared/sfnworkflow"
	"github.com/kaiban/kaiban/shared/validate"
	"github.com/kaiban/kaiban/shared/web"
)

func main() {
	srv, err := build(context.Background(), os.Getenv, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "api:", err)
		os.Exit(1)
	}
	lambda.Start(srv.Handle)
}

// build wires the server from the environment; tests call it with their
// own getenv.
func build(ctx context.Context, getenv func(string) string, logOut io.Writer) (*api.Server, error) {
	table, machine := getenv("TABLE_NAME"), getenv("STATE_MACHINE_ARN")
	if table == "" || machine == "" {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "TABLE_NAME and STATE_MACHINE_ARN are required")
	}
	secret, err := base64.StdEncoding.DecodeString(getenv("TOKEN_SECRET"))
	if err != nil || len(secret) < api.MinTokenSecretBytes {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "TOKEN_SECRET must be base64 of at least %d bytes", api.MinTokenSecretBytes)
	}
	// Optional: on AWS the table's KMS encryption protects personal data at
	// rest; a PII key seals ID numbers and mobiles in the items as well.
	var sealer *pii.Sealer
	if v := getenv("PII_KEY"); v != "" {
		key, err := pii.ParseKey(v)
		if err != nil {
			return nil, err
		}
		if sealer, err = pii.New(key); err != nil {
			return nil, err
		}
	}

	auditKey, err := kaiban.AuditKeyFromBase64(getenv("AUDIT_KEY"))
	if err != nil {
		return nil, err
	}

	cfg, err := awsenv.Config(getenv)
	if err != nil {
		return nil, err
	}
	db := awsdynamodb.NewFromConfig(cfg, func(o *awsdynamodb.Options) { o.BaseEndpoint = awsenv.Endpoint(getenv, "DYNAMODB") })
	store := dynamodb.New(db, table, sealer).UseAuditKey(auditKey)
	deps := api.Deps{
		Store:       store,
		Drafts:      store,
		Ratings:     store,
		Stats:       store,
		Names:       &names.Checker{Index: store, Now: time.Now},
		Validator:   validate.New(),
		Workflow:    sfnworkflow.New(sfn.NewFromConfig(cfg, func(o *sfn.Options) { o.BaseEndpoint = awsenv.Endpoint(getenv, "SFN") }), machine),
		Logger:      logging.New(logOut, getenv("LOG_LEVEL")),
		TokenSecret: secret,
		Assets:      web.Asset,
		ClerkGroup:  getenv("CLERK_GROUP"),
		// The "submitted" message with the status link.
		Notifier:      awsnotifier.FromEnv(cfg, getenv, db, table),
		PublicBaseURL: getenv("PUBLIC_BASE_URL"),
		ClerkSignIn:   api.CognitoSignIn(getenv("CLERK_OIDC_ISSUER"), getenv("CLERK_OIDC_CLIENT_ID"), getenv("CLERK_OIDC_DOMAIN")),
	}
	// Every founder confirms: links, identity checks, signatures in KMS.
	// The workflow waits for their signatures, so an api that cannot
	// take them would leave every application waiting: refuse to start.
	keyID := getenv("SIGNING_KEY_ID")
	if keyID == "" {
		return nil, kaiban.Errorf(kaiban.ErrConfig, "SIGNING_KEY_ID is not set: the founders' signatures need the KMS signing key")
	}
	{
		acfg, err := agency.ConfigFromEnv(getenv)
		if err != nil {
			return nil, err
		}
		clients, err := agency.NewClients(acfg, nil)
		if err != nil {
			return nil, err
		}
		kmsc := &kmssign.Client{Region: cfg.Region, Endpoint: aws.ToString(awsenv.Endpoint(getenv, "KMS")), Creds: cfg.Credentials}
		signer := kmssign.New(kmsc, keyID)
		deps.Confirm = &onestop.ConfirmDeps{Store: store, Notifier: deps.Notifier, Signer: signer, Identity: clients.Identity}
		if deps.Documents, err = documentsDeps(ctx, getenv, cfg, store, kmsc, keyID); err != nil {
			return nil, err
		}
	}
	if err := deps.Check(); err != nil {
		return nil, err
	}
	return api.NewServer(deps), nil
}

// documentsDeps wires the issued documents' routes when DOCUMENTS_BUCKET
// is set: the store's documents part, the bucket (reads and pre-signed
// links) and the public key that verifies them, from DOCUMENTS_PUBLIC_KEY
// or KMS.
func documentsDeps(ctx context.Context, getenv func(string) string, cfg aws.Config, store *dynamodb.Store, k kmssign.API, keyID string) (*onestop.DocumentsDeps, error) {
	name := getenv("DOCUMENTS_BUCKET")
	if name == "" {
		return nil, nil
	}
	var pub *ecdsa.PublicKey
	if v := getenv("DOCUMENTS_PUBLIC_KEY"); v != "" {
		pub = parsePublicKey(v)
		if pub == nil {
			return nil, kaiban.Errorf(kaiban.ErrConfig, "DOCUMENTS_PUBLIC_KEY is not the PEM of a P-256 public key")
		}
	} else {
		var err error
		if pub, err = kmssign.PublicKey(ctx, k, keyID); err != nil {
			return nil, err
		}
	}
	bucket := &s3objects.Bucket{Name: name, Region: cfg.Region, Endpoint: aws.ToString(awsenv.Endpoint(getenv, "S3")), Creds: cfg.Credentials}
	return &onestop.DocumentsDeps{Store: store, Objects: bucket, Public: pub}, nil
}

// parsePublicKey reads a PEM "PUBLIC KEY" block of a P-256 key, nil if it
// is not one.
func parsePublicKey(s string) *ecdsa.PublicKey {
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		return nil
	}
	pub, err := x509.ParsePKIXPublicKey(b.Bytes)
	if ec, ok := pub.(*ecdsa.PublicKey); err == nil && ok && ec.Curve == elliptic.P256() {
		return ec
	}
	return nil
}
