package kmssign_test

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"errors"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamotest"
	"github.com/kaiban/kaiban/shared/aws/kmssign"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// server is moto_server, which speaks KMS too.
var (
	server     *dynamotest.Server
	skipReason string
)

func TestMain(m *testing.M) {
	os.Exit(dynamotest.Run(m, "KMS CLIENT TESTS", &server, &skipReason))
}

// newKey creates an ECC_NIST_P256 signing key in moto with the SDK (the
// test's own view of KMS) and returns our client and the key's ID.
func newKey(t *testing.T) (*kmssign.Client, string) {
	t.Helper()
	if skipReason != "" {
		t.Skip("SKIPPED: " + skipReason)
	}
	creds := credentials.NewStaticCredentialsProvider("test", "test", "")
	sdk := kms.New(kms.Options{Region: "us-east-1", BaseEndpoint: aws.String(server.Endpoint), Credentials: creds})
	out, err := sdk.CreateKey(t.Context(), &kms.CreateKeyInput{KeySpec: types.KeySpecEccNistP256, KeyUsage: types.KeyUsageTypeSignVerify})
	if err != nil {
		t.Fatal(err)
	}
	return &kmssign.Client{Region: "us-east-1", Endpoint: server.Endpoint, Creds: creds}, aws.ToString(out.KeyMetadata.KeyId)
}

// A digest signed through the hand-made client verifies with the public
// key the same client reads back, and not with another key's. moto does
// not implement MessageType DIGEST (its KMS hashes the 32 bytes again), so
// against moto the signature is over SHA-256 of the digest; real KMS signs
// the digest itself, which is what signing.Verify checks in production.
// The wire format (base64 fields, DER signature, the key's
// SubjectPublicKeyInfo) is what this test holds.
func TestKMSSignatureVerifies(t *testing.T) {
	c, keyID := newKey(t)
	s := kmssign.New(c, keyID)
	digest := sha256.Sum256([]byte(`{"applicationId":"KB1"}`))
	sig, err := s.Sign(t.Context(), digest[:])
	if err != nil {
		t.Fatal(err)
	}
	pub, err := kmssign.PublicKey(t.Context(), c, keyID)
	if err != nil {
		t.Fatal(err)
	}
	asMotoSigns := sha256.Sum256(digest[:])
	if !ecdsa.VerifyASN1(pub, asMotoSigns[:], sig) {
		t.Fatal("the signature does not verify with the key's public half")
	}
	other, otherID := newKey(t)
	otherPub, err := other.PublicKey(t.Context(), otherID)
	if err != nil {
		t.Fatal(err)
	}
	if ecdsa.VerifyASN1(otherPub, asMotoSigns[:], sig) {
		t.Error("the signature verifies with another key")
	}
	if s.KeyID() != keyID {
		t.Errorf("KeyID %q, want %q", s.KeyID(), keyID)
	}
}

// Refusals: a digest of the wrong size never reaches KMS; KMS's own
// refusal (an unknown key) is retryable for the step and keeps KMS's
// exception name.
func TestKMSRefusals(t *testing.T) {
	c, _ := newKey(t)
	s := kmssign.New(c, "alias/no-such-key")
	if _, err := s.Sign(t.Context(), []byte("short")); !kaiban.IsName(err, kaiban.ErrInput) {
		t.Errorf("short digest: %v, want %s", err, kaiban.ErrInput)
	}
	_, err := s.Sign(t.Context(), make([]byte, 32))
	var apiErr *kmssign.APIError
	if !kaiban.IsName(err, kaiban.ErrAgencyUnavailable) || !errors.As(err, &apiErr) || apiErr.Type == "" {
		t.Fatalf("unknown key: %v, want %s carrying KMS's exception", err, kaiban.ErrAgencyUnavailable)
	}
	if _, err := kmssign.PublicKey(t.Context(), c, "alias/no-such-key"); !kaiban.IsName(err, kaiban.ErrAgencyUnavailable) {
		t.Errorf("public key of an unknown key: %v", err)
	}
}
