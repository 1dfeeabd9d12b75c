package kmssign

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kaiban/kaiban/shared/aws/signedpost"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// Client is KMS's JSON API over HTTP, signed with Signature Version 4
// (package signedpost). Sign and GetPublicKey are the only calls the
// functions make, so it stands in for the SDK's KMS client and its
// serializers (about 300 KB of each bootstrap that signs).
type Client struct {
	Region   string
	Endpoint string // "" → https://kms.<region>.amazonaws.com(.cn)
	Creds    aws.CredentialsProvider
	HTTP     *http.Client // nil → a client with a 10 s timeout
}

// APIError is KMS's error answer: its exception name and message.
type APIError struct {
	Status  int
	Type    string
	Message string
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Type, e.Message) }

// call makes one call of the TrentService JSON protocol.
func (c *Client) call(ctx context.Context, action string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	ep := signedpost.Endpoint{Service: "kms", Region: c.Region, URL: c.Endpoint, Creds: c.Creds, HTTP: c.HTTP}
	status, raw, err := ep.Post(ctx, body, map[string]string{
		"Content-Type": "application/x-amz-json-1.1",
		"X-Amz-Target": "TrentService." + action,
	})
	if err != nil {
		return err
	}
	if status/100 != 2 {
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
			Upper   string `json:"Message"`
		}
		_ = json.Unmarshal(raw, &e)
		if e.Message == "" {
			e.Message = e.Upper
		}
		return &APIError{Status: status, Type: e.Type, Message: e.Message}
	}
	return json.Unmarshal(raw, out)
}

// Sign implements API: MessageType DIGEST, ECDSA_SHA_256.
func (c *Client) Sign(ctx context.Context, keyID string, digest []byte) ([]byte, error) {
	var out struct {
		Signature []byte // base64 in JSON, as KMS answers it
	}
	err := c.call(ctx, "Sign", map[string]any{
		"KeyId": keyID, "Message": digest, "MessageType": "DIGEST", "SigningAlgorithm": "ECDSA_SHA_256",
	}, &out)
	if err != nil {
		return nil, err
	}
	if len(out.Signature) == 0 {
		return nil, fmt.Errorf("KMS answered no signature")
	}
	return out.Signature, nil
}

// PublicKey implements API: GetPublicKey, whose DER SubjectPublicKeyInfo
// must be a P-256 key (else kaiban.ErrConfig).
func (c *Client) PublicKey(ctx context.Context, keyID string) (*ecdsa.PublicKey, error) {
	var out struct {
		PublicKey []byte
	}
	if err := c.call(ctx, "GetPublicKey", map[string]any{"KeyId": keyID}, &out); err != nil {
		return nil, err
	}
	k, err := x509.ParsePKIXPublicKey(out.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("KMS public key: %w", err)
	}
	if ec, ok := k.(*ecdsa.PublicKey); ok && ec.Curve == elliptic.P256() {
		return ec, nil
	}
	return nil, kaiban.Errorf(kaiban.ErrConfig, "signing key %s is not an ECC_NIST_P256 key", keyID)
}
