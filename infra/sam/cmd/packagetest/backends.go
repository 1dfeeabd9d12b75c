package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	kmstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/aws/dynamodb"
	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamotest"
	"github.com/kaiban/kaiban/shared/aws/s3objects"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/pii"
	"github.com/kaiban/kaiban/shared/tracks"
	"github.com/kaiban/kaiban/shared/validate"
)

// backends are the services the functions talk to, all on loopback: a
// DynamoDB-API server that also answers CloudWatch (moto serves every AWS
// API on one port) and the agency simulators.
type backends struct {
	ddb      *dynamotest.Server
	agencies *sim.Server
	table    string
	piiKey   string
	tokenKey string
	auditKey string
	appID    string // the application the fixtures name, stored before the run
	// bucket and signingKey are the documents step's S3 bucket and KMS
	// key (ECC_NIST_P256), both in moto.
	bucket     string
	signingKey string
	close      func()
}

// startBackends starts the servers, creates the table with the store's
// schema and stores the application of infra/examples/valid-llc.json under
// the ID the fixtures use.
func startBackends(ctx context.Context, root string) (*backends, error) {
	b := &backends{table: dynamotest.TableName("kaiban-package"), piiKey: randomKey(32), tokenKey: randomKey(32), auditKey: randomKey(32)}
	var err error
	if b.ddb, err = dynamotest.Start(ctx); err != nil {
		return nil, fmt.Errorf("no DynamoDB-API server: %w", err)
	}
	if b.agencies, err = sim.Start(ctx, sim.Instant()); err != nil {
		b.ddb.Stop()
		return nil, err
	}
	b.close = func() {
		b.agencies.Close()
		b.ddb.Stop()
	}
	if err := b.seed(ctx, root); err != nil {
		b.close()
		return nil, err
	}
	if err := b.documentsBackends(ctx); err != nil {
		b.close()
		return nil, err
	}
	return b, nil
}

// documentsBackends makes the documents step's bucket and signing key in
// moto, which serves S3 and KMS on the DynamoDB-API server's port.
func (b *backends) documentsBackends(ctx context.Context) error {
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	b.bucket = dynamotest.TableName("kaiban-package-docs")
	bucket := &s3objects.Bucket{Name: b.bucket, Region: "us-east-1", Endpoint: b.ddb.Endpoint, Creds: creds}
	if err := bucket.CreateBucket(ctx); err != nil {
		return fmt.Errorf("documents bucket: %w", err)
	}
	k := kms.New(kms.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(b.ddb.Endpoint)})
	key, err := k.CreateKey(ctx, &kms.CreateKeyInput{KeySpec: kmstypes.KeySpecEccNistP256, KeyUsage: kmstypes.KeyUsageTypeSignVerify})
	if err != nil {
		return fmt.Errorf("signing key: %w", err)
	}
	b.signingKey = aws.ToString(key.KeyMetadata.Arn)
	return nil
}

func (b *backends) seed(ctx context.Context, root string) error {
	var fixture struct {
		ApplicationID string `json:"applicationId"`
	}
	raw, err := os.ReadFile(filepath.Join(root, "infra", "events", "identity.json"))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, &fixture); err != nil || fixture.ApplicationID == "" {
		return fmt.Errorf("infra/events/identity.json names no applicationId")
	}
	b.appID = fixture.ApplicationID
	body, err := os.ReadFile(filepath.Join(root, "infra", "examples", "valid-llc.json"))
	if err != nil {
		return err
	}
	form, err := validate.New().DecodeForm(body, validate.LangEN)
	if err != nil {
		return fmt.Errorf("infra/examples/valid-llc.json: %w", err)
	}
	sealer, err := pii.FromBase64(b.piiKey)
	if err != nil {
		return err
	}
	store := dynamodb.New(b.ddb.Client(), b.table, sealer)
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := store.CreateTable(ctx); err != nil {
		return err
	}
	now := time.Now().UTC()
	_, err = store.CreateApplication(ctx, kaiban.CreateRequest{
		Application: kaiban.Application{
			ID: b.appID, Status: kaiban.AppSubmitted, Form: form,
			SubmittedAt: now, Deadline: now.Add(4 * time.Hour), UpdatedAt: now,
		},
		AccessTokenHash: kaiban.HashToken("package-test"),
	})
	return err
}

// env is the environment of a function under the emulator: what the
// template sets, pointed at the loopback servers, plus the variables
// Lambda itself provides.
func (b *backends) env(function string) map[string]string {
	e := map[string]string{
		"TABLE_NAME": b.table, "PII_KEY": b.piiKey, "AUDIT_KEY": b.auditKey, "LOG_LEVEL": "error",
		// The region of dynamotest's client, so moto shows the functions the
		// table the seed created.
		"AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
		"AWS_ENDPOINT_URL":                b.ddb.Endpoint,
		"AWS_LAMBDA_FUNCTION_NAME":        function,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
	}
	if function == apiFunction {
		e["STATE_MACHINE_ARN"] = "arn:aws:states:cn-north-1:000000000000:stateMachine:onestop"
		e["TOKEN_SECRET"] = b.tokenKey
		e["CLERK_GROUP"] = "clerks"
		// The signing key in moto: no case here signs, but the api reads
		// its public half at start for the documents, as on AWS.
		e["SIGNING_KEY_ID"] = b.signingKey
		e["DOCUMENTS_BUCKET"] = b.bucket
		e["KAIBAN_AGENCY_URL"] = b.agencies.URL()
		return e
	}
	if function == tracks.FnDocuments {
		e["DOCUMENTS_BUCKET"] = b.bucket
		e["SIGNING_KEY_ID"] = b.signingKey
		e["TOKEN_SECRET"] = b.tokenKey
		e["PUBLIC_BASE_URL"] = "https://kaiban.example.cn"
		e["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512"
		return e
	}
	e["KAIBAN_STEP"] = function
	if function == tracks.FnConfirm {
		e["TOKEN_SECRET"] = b.tokenKey
		e["PUBLIC_BASE_URL"] = "https://kaiban.example.cn"
	}
	e["KAIBAN_AGENCY_URL"] = b.agencies.URL()
	e["KAIBAN_AGENCY_TIMEOUT"] = "8s"
	e["STAGE"] = "package-test"
	return e
}

func randomKey(n int) string {
	k := make([]byte, n)
	_, _ = rand.Read(k) // never fails (crypto/rand, Go ≥ 1.24)
	return base64.StdEncoding.EncodeToString(k)
}
