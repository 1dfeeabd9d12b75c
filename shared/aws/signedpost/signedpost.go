// Package signedpost makes one AWS API call by hand: a POST signed with
// Signature Version 4 by the SDK's own signer (already linked for
// DynamoDB). The functions call SNS, SES and KMS this way instead of
// linking those services' SDK clients, whose serializers would push the
// bootstraps past their 10 MB budget.
package signedpost

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Endpoint is where one service is reached and how requests are signed.
type Endpoint struct {
	Service string // the signing name and the endpoint's host prefix: "sns", "ses", "kms"
	Region  string
	URL     string // "" → https://<service>.<region>.amazonaws.com(.cn)/
	Creds   aws.CredentialsProvider
	HTTP    *http.Client // nil → a client with a 10 s timeout
}

var defaultHTTP = &http.Client{Timeout: 10 * time.Second}

// maxAnswer bounds what is read of an answer: the calls made this way
// answer a few hundred bytes.
const maxAnswer = 64 << 10

func (e *Endpoint) url() string {
	if e.URL != "" {
		return strings.TrimRight(e.URL, "/") + "/"
	}
	host := "https://" + e.Service + "." + e.Region + ".amazonaws.com"
	if strings.HasPrefix(e.Region, "cn-") {
		host += ".cn"
	}
	return host + "/"
}

// Post signs and sends body with the given headers and returns the
// answer's status and (bounded) body. A transport failure is an error; an
// error status is not, so the caller reads its protocol's error shape.
func (e *Endpoint) Post(ctx context.Context, body []byte, headers map[string]string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.url(), strings.NewReader(string(body)))
	if err != nil {
		return 0, nil, err
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	creds, err := e.Creds.Retrieve(ctx)
	if err != nil {
		return 0, nil, fmt.Errorf("credentials: %w", err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), e.Service, e.Region, time.Now()); err != nil {
		return 0, nil, err
	}
	client := e.HTTP
	if client == nil {
		client = defaultHTTP
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, raw, nil
}
