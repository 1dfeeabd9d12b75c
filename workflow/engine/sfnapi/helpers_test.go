package sfnapi_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/sirupsen/logrus"

	"github.com/kaiban/kaiban/workflow/engine"
	"github.com/kaiban/kaiban/workflow/engine/sfnapi"
)

// serve starts the API for svc on a loopback httptest server.
func serve(tb testing.TB, svc engine.Service, opts ...sfnapi.Option) *httptest.Server {
	tb.Helper()
	quiet := logrus.New()
	quiet.SetOutput(io.Discard)
	srv := httptest.NewServer(sfnapi.NewHandler(svc, append([]sfnapi.Option{sfnapi.WithLogger(quiet)}, opts...)...))
	tb.Cleanup(srv.Close)
	return srv
}

// newClient is the SDK client an application would use, pointed at url.
// Retries are off so a failure shows up once, as it happened.
func newClient(url string) *sfn.Client {
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDLOCAL", "local-secret", ""),
	}
	return sfn.NewFromConfig(cfg, func(o *sfn.Options) {
		o.BaseEndpoint = aws.String(url)
		o.Retryer = aws.NopRetryer{}
	})
}

// rawResponse is one raw HTTP exchange's outcome.
type rawResponse struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// post sends body with the given target and content type.
func post(tb testing.TB, url, target, ctype, body string) rawResponse {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
	if err != nil {
		tb.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	return do(tb, req)
}

func do(tb testing.TB, req *http.Request) rawResponse {
	tb.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	out := rawResponse{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	if err := json.Unmarshal(raw, &out.body); err != nil {
		tb.Fatalf("response is not a JSON object: %q", raw)
	}
	return out
}

const amzJSON = "application/x-amz-json-1.0"
