package dynamoserver

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Connect returns the DynamoDB-API server already running at endpoint,
// once it answers ListTables. A server that answers as moto_server does
// (werkzeug's Server header) is named "moto", so its Client sends one
// request at a time as for a moto this package started; any other is
// "external". Stop does nothing to it.
func Connect(ctx context.Context, endpoint string) (*Server, error) {
	if !strings.HasPrefix(endpoint, "http://") && !strings.HasPrefix(endpoint, "https://") {
		return nil, fmt.Errorf("the DynamoDB endpoint %q is not an http:// or https:// URL", endpoint)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	resp, err := (&http.Client{}).Do(listTables(ctx, endpoint))
	if err != nil {
		return nil, fmt.Errorf("the DynamoDB endpoint %s does not answer: %w", endpoint, err)
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "TableNames") {
		return nil, fmt.Errorf("the DynamoDB endpoint %s does not answer ListTables (HTTP %d: %.200s)", endpoint, resp.StatusCode, body)
	}
	name := "external"
	for _, v := range resp.Header.Values("Server") {
		if strings.Contains(v, "Werkzeug") {
			name = "moto"
		}
	}
	return &Server{Endpoint: endpoint, Name: name}, nil
}

// listTables is a ListTables request with dummy credentials, which every
// local DynamoDB-API server accepts.
func listTables(ctx context.Context, endpoint string) *http.Request {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0")
	return req
}
