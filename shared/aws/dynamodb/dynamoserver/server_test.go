package dynamoserver

import (
	"context"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
)

// moto binds a port itself (port 0) and says which, so no other process
// can take the port between its choice and its use: the endpoint Start
// returns is the server it started, and it answers as DynamoDB.
func TestMotoServesOnThePortItBound(t *testing.T) {
	if _, err := exec.LookPath("moto_server"); err != nil {
		t.Skip("moto_server not on PATH: nothing to start")
	}
	s, err := Start(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	req, _ := http.NewRequest(http.MethodPost, s.Endpoint, strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("the endpoint %s does not answer: %v", s.Endpoint, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "TableNames") {
		t.Fatalf("%s answered %d %s, want ListTables' answer", s.Endpoint, resp.StatusCode, body)
	}
	select {
	case <-s.exited:
		t.Fatal("the server this package started has exited")
	default:
	}
}
