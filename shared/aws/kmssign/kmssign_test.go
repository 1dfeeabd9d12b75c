package kmssign_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kaiban/kaiban/shared/aws/kmssign"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/signing"
)

// fakeKMS signs as KMS does for an ECC_NIST_P256 key and checks the
// request is one KMS would accept for it.
type fakeKMS struct {
	key  *ecdsa.PrivateKey
	last *kms.SignInput
	err  error
}

func (f *fakeKMS) Sign(_ context.Context, in *kms.SignInput, _ ...func(*kms.Options)) (*kms.SignOutput, error) {
	f.last = in
	if f.err != nil {
		return nil, f.err
	}
	if in.MessageType != types.MessageTypeDigest || in.SigningAlgorithm != types.SigningAlgorithmSpecEcdsaSha256 || len(in.Message) != 32 {
		return nil, errors.New("ValidationException")
	}
	sig, err := ecdsa.SignASN1(rand.Reader, f.key, in.Message)
	return &kms.SignOutput{Signature: sig, KeyId: in.KeyId, SigningAlgorithm: in.SigningAlgorithm}, err
}

// The local-kms emulator was not used: this is a unit test against a fake
// that signs like KMS, checking the request shape and that the record
// verifies with the key's public half.
func TestKMSSignatureVerifies(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	fake := &fakeKMS{key: key}
	s := kmssign.New(fake, "alias/kaiban-signing")
	rec, err := signing.Sign(t.Context(), s, []byte(`{"applicationId":"KB1"}`))
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(fake.last.KeyId) != "alias/kaiban-signing" || rec.KeyID != "alias/kaiban-signing" {
		t.Errorf("key %q, record key %q", aws.ToString(fake.last.KeyId), rec.KeyID)
	}
	if err := signing.Verify(&key.PublicKey, rec); err != nil {
		t.Fatal(err)
	}
	fake.err = errors.New("ThrottlingException")
	if _, err := signing.Sign(t.Context(), s, []byte("{}")); kaiban.ErrorName(err) != kaiban.ErrAgencyUnavailable {
		t.Errorf("KMS failure: %v, want %s (retryable)", err, kaiban.ErrAgencyUnavailable)
	}
}

// fakePublicKey answers GetPublicKey with key's public half, DER.
type fakePublicKey struct{ der []byte }

func (f fakePublicKey) GetPublicKey(_ context.Context, in *kms.GetPublicKeyInput, _ ...func(*kms.Options)) (*kms.GetPublicKeyOutput, error) {
	if f.der == nil {
		return nil, errors.New("ThrottlingException")
	}
	return &kms.GetPublicKeyOutput{KeyId: in.KeyId, PublicKey: f.der}, nil
}

// The public key read from KMS verifies what the signer signed; another
// curve is a configuration error, KMS unreachable is transient.
func TestPublicKeyFromKMS(t *testing.T) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.MarshalPKIXPublicKey(&key.PublicKey)
	pub, err := kmssign.PublicKey(t.Context(), fakePublicKey{der}, "k")
	if err != nil || !pub.Equal(&key.PublicKey) {
		t.Fatalf("public key %v, %v", pub, err)
	}
	other, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	der384, _ := x509.MarshalPKIXPublicKey(&other.PublicKey)
	if _, err := kmssign.PublicKey(t.Context(), fakePublicKey{der384}, "k"); kaiban.ErrorName(err) != kaiban.ErrConfig {
		t.Errorf("P-384 key: %v, want %s", err, kaiban.ErrConfig)
	}
	if _, err := kmssign.PublicKey(t.Context(), fakePublicKey{}, "k"); kaiban.ErrorName(err) != kaiban.ErrAgencyUnavailable {
		t.Errorf("KMS down: %v, want %s", err, kaiban.ErrAgencyUnavailable)
	}
}
