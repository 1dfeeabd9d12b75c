package notifier

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Caller makes one call of an AWS query-protocol API (SNS, SES): a signed
// form POST of Action, Version and the action's parameters.
type Caller interface {
	Call(ctx context.Context, action string, params url.Values) error
}

// Query is a Caller over HTTP, signed with Signature Version 4. SNS Publish
// and SES SendTemplatedEmail are the only calls the functions make, so Query stands
// in for the SDK's SNS and SES clients, whose serializers would add about
// 1 MB to the bootstraps (the step bootstrap would pass its 10 MB budget);
// the signer is the SDK's own, already linked for DynamoDB.
type Query struct {
	Service  string // "sns" or "ses": the signing name and the endpoint's host prefix
	Version  string // the API version, 2010-03-31 (SNS) or 2010-12-01 (SES)
	Region   string
	Endpoint string // "" → https://<service>.<region>.amazonaws.com(.cn)
	Creds    aws.CredentialsProvider
	HTTP     *http.Client // nil → a client with a 10 s timeout
}

// APIError is an error answer of a query API, with its code (Throttling,
// MessageRejected, InvalidParameter, …).
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
}

var defaultHTTP = &http.Client{Timeout: 10 * time.Second}

func (q *Query) endpoint() string {
	if q.Endpoint != "" {
		return strings.TrimRight(q.Endpoint, "/") + "/"
	}
	host := "https://" + q.Service + "." + q.Region + ".amazonaws.com"
	if strings.HasPrefix(q.Region, "cn-") {
		host += ".cn"
	}
	return host + "/"
}

// Call implements Caller.
func (q *Query) Call(ctx context.Context, action string, params url.Values) error {
	form := url.Values{"Action": {action}, "Version": {q.Version}}
	for k, v := range params {
		form[k] = v
	}
	body := form.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, q.endpoint(), strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	creds, err := q.Creds.Retrieve(ctx)
	if err != nil {
		return fmt.Errorf("credentials: %w", err)
	}
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), q.Service, q.Region, time.Now()); err != nil {
		return err
	}
	client := q.HTTP
	if client == nil {
		client = defaultHTTP
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 == 2 {
		return nil
	}
	var doc struct {
		Error struct {
			Code    string `xml:"Code"`
			Message string `xml:"Message"`
		} `xml:"Error"`
	}
	_ = xml.Unmarshal(raw, &doc)
	return &APIError{Status: resp.StatusCode, Code: doc.Error.Code, Message: doc.Error.Message}
}
