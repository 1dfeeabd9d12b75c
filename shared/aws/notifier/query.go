package notifier

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kaiban/kaiban/shared/aws/signedpost"
)

// Caller makes one call of an AWS query-protocol API (SNS, SES): a signed
// form POST of Action, Version and the action's parameters.
type Caller interface {
	Call(ctx context.Context, action string, params url.Values) error
}

// Query is a Caller over HTTP, signed with Signature Version 4 (package
// signedpost). SNS Publish and SES SendTemplatedEmail are the only calls
// the functions make, so Query stands in for the SDK's SNS and SES
// clients.
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

// Call implements Caller.
func (q *Query) Call(ctx context.Context, action string, params url.Values) error {
	form := url.Values{"Action": {action}, "Version": {q.Version}}
	for k, v := range params {
		form[k] = v
	}
	ep := signedpost.Endpoint{Service: q.Service, Region: q.Region, URL: q.Endpoint, Creds: q.Creds, HTTP: q.HTTP}
	status, raw, err := ep.Post(ctx, []byte(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
	if err != nil {
		return err
	}
	if status/100 == 2 {
		return nil
	}
	var doc struct {
		Error struct {
			Code    string `xml:"Code"`
			Message string `xml:"Message"`
		} `xml:"Error"`
	}
	_ = xml.Unmarshal(raw, &doc)
	return &APIError{Status: status, Code: doc.Error.Code, Message: doc.Error.Message}
}
