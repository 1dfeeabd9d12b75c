package s3objects

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamotest"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/storetest"
)

// server is moto_server, which speaks S3 too.
var (
	server     *dynamotest.Server
	skipReason string
)

func TestMain(m *testing.M) {
	os.Exit(dynamotest.Run(m, "S3 OBJECTS TESTS", &server, &skipReason))
}

var buckets atomic.Int32

func newBucket(t *testing.T) *Bucket {
	t.Helper()
	if skipReason != "" {
		t.Skip("SKIPPED: " + skipReason)
	}
	b := &Bucket{Name: fmt.Sprintf("kaiban-docs-%d-%d", os.Getpid(), buckets.Add(1)), Region: "us-east-1", Endpoint: server.Endpoint,
		Creds: credentials.NewStaticCredentialsProvider("test", "test", ""),
		// moto answers 500 to concurrent writes of one key: one request at
		// a time, as dynamotest's client does (S3 itself takes them).
		HTTP: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxConnsPerHost: 1}}}
	if err := b.CreateBucket(t.Context()); err != nil {
		t.Fatal(err)
	}
	return b
}

// fetch GETs a pre-signed link with no credentials, as a browser does.
func fetch(t *testing.T, link string) ([]byte, string, error) {
	resp, err := http.Get(link)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return nil, "", fmt.Errorf("%d %s", resp.StatusCode, b)
	}
	return b, resp.Header.Get("Content-Type"), nil
}

func TestObjectsContract(t *testing.T) {
	storetest.RunObjectsContract(t, func(t *testing.T) kaiban.Objects { return newBucket(t) }, fetch)
}

// A link carries its expiry and its signature: without the signature the
// server refuses it, and it names the file to save.
func TestDownloadLinkIsSigned(t *testing.T) {
	b := newBucket(t)
	if err := b.PutObject(t.Context(), "documents/KB1/license.pdf", "application/pdf", []byte("licence")); err != nil {
		t.Fatal(err)
	}
	link, err := b.DownloadURL(t.Context(), "documents/KB1/license.pdf", "application/pdf", "license.pdf", 15*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"X-Amz-Expires=900", "X-Amz-Signature=", "response-content-disposition=attachment"} {
		if !strings.Contains(link, want) {
			t.Errorf("link %s lacks %s", link, want)
		}
	}
	if _, err := b.DownloadURL(t.Context(), "../x", "application/pdf", "x", time.Minute); !kaiban.IsName(err, kaiban.ErrInput) {
		t.Errorf("bad key: %v", err)
	}
}

// On AWS the URLs are virtual-hosted, with the China partition's domain in
// its regions.
func TestObjectURL(t *testing.T) {
	for _, c := range []struct{ region, endpoint, want string }{
		{"ap-east-1", "", "https://docs.s3.ap-east-1.amazonaws.com/documents/a.pdf"},
		{"cn-north-1", "", "https://docs.s3.cn-north-1.amazonaws.com.cn/documents/a.pdf"},
		{"us-east-1", "http://127.0.0.1:5000/", "http://127.0.0.1:5000/docs/documents/a.pdf"},
	} {
		b := &Bucket{Name: "docs", Region: c.region, Endpoint: c.endpoint}
		if got := b.objectURL("documents/a.pdf"); got != c.want {
			t.Errorf("%s %s: %s, want %s", c.region, c.endpoint, got, c.want)
		}
	}
}
