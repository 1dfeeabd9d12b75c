// Package s3objects is kaiban.Objects on Amazon S3: PutObject, GetObject
// and pre-signed GET links, as signed HTTP requests (Signature Version 4,
// the SDK's signer that the functions link for DynamoDB already) rather
// than the SDK's S3 client, whose serializers would add megabytes to the
// function's 10 MB budget for three calls. Objects are encrypted by the
// bucket's default encryption (SSE-KMS, template.yaml); each put asks for
// it too, so a bucket without it refuses nothing but is still encrypted.
package s3objects

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// Bucket is one S3 bucket.
type Bucket struct {
	Name   string
	Region string
	// Endpoint is "" for AWS (virtual-hosted URLs,
	// https://<bucket>.s3.<region>.amazonaws.com), or a server's base URL
	// (moto) addressed path-style, <endpoint>/<bucket>/<key>.
	Endpoint string
	Creds    aws.CredentialsProvider
	// KMSKeyID is the key objects are encrypted with ("" for the bucket's
	// default key).
	KMSKeyID string
	HTTP     *http.Client     // nil → a client with a 30 s timeout
	Clock    func() time.Time // nil → time.Now
}

var _ kaiban.Objects = (*Bucket)(nil)

var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

// MaxObjectBytes bounds what GetObject reads.
const MaxObjectBytes = 32 << 20

// APIError is an error answer of S3.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string { return fmt.Sprintf("s3: %d %s: %s", e.Status, e.Code, e.Message) }

func (b *Bucket) now() time.Time {
	if b.Clock != nil {
		return b.Clock()
	}
	return time.Now()
}

// objectURL is the URL of key (or of the bucket, key "").
func (b *Bucket) objectURL(key string) string {
	path := ""
	if key != "" {
		path = "/" + escapeKey(key)
	}
	if b.Endpoint != "" {
		return strings.TrimRight(b.Endpoint, "/") + "/" + b.Name + path
	}
	host := "https://" + b.Name + ".s3." + b.Region + ".amazonaws.com"
	if strings.HasPrefix(b.Region, "cn-") {
		host += ".cn"
	}
	return host + path
}

// escapeKey escapes each segment of key (the keys kaiban.CheckObjectKey
// allows need none, but a URL is built safely anyway).
func escapeKey(key string) string {
	segs := strings.Split(key, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

func (b *Bucket) do(ctx context.Context, method, key string, body []byte, header http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, b.objectURL(key), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	sum := sha256.Sum256(body)
	payload := hex.EncodeToString(sum[:])
	req.Header.Set("X-Amz-Content-Sha256", payload)
	creds, err := b.Creds.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, payload, "s3", b.Region, b.now()); err != nil {
		return nil, err
	}
	client := b.HTTP
	if client == nil {
		client = defaultHTTP
	}
	return client.Do(req)
}

func apiError(resp *http.Response) error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var doc struct {
		Code    string `xml:"Code"`
		Message string `xml:"Message"`
	}
	_ = xml.Unmarshal(raw, &doc)
	return &APIError{Status: resp.StatusCode, Code: doc.Code, Message: doc.Message}
}

// unavailable is how a failed call reaches the caller: transient, so a
// step retries it.
func unavailable(err error, what string) error {
	return kaiban.Wrap(kaiban.ErrStoreUnavailable, err, what)
}

// PutObject implements kaiban.Objects. S3 replaces an object whole.
func (b *Bucket) PutObject(ctx context.Context, key, mediaType string, body []byte) error {
	if err := kaiban.CheckObjectKey(key); err != nil {
		return err
	}
	h := http.Header{}
	h.Set("Content-Type", mediaType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Amz-Server-Side-Encryption", "aws:kms")
	if b.KMSKeyID != "" {
		h.Set("X-Amz-Server-Side-Encryption-Aws-Kms-Key-Id", b.KMSKeyID)
	}
	resp, err := b.do(ctx, http.MethodPut, key, body, h)
	if err != nil {
		return unavailable(err, "cannot store the object")
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return unavailable(apiError(resp), "cannot store the object")
	}
	return nil
}

// GetObject implements kaiban.Objects.
func (b *Bucket) GetObject(ctx context.Context, key string) ([]byte, error) {
	if err := kaiban.CheckObjectKey(key); err != nil {
		return nil, err
	}
	resp, err := b.do(ctx, http.MethodGet, key, nil, nil)
	if err != nil {
		return nil, unavailable(err, "cannot read the object")
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound {
		return nil, kaiban.Errorf(kaiban.ErrNotFound, "object not found")
	}
	if resp.StatusCode/100 != 2 {
		return nil, unavailable(apiError(resp), "cannot read the object")
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxObjectBytes+1))
	if err != nil {
		return nil, unavailable(err, "cannot read the object")
	}
	if len(body) > MaxObjectBytes {
		return nil, kaiban.Errorf(kaiban.ErrStoreCorrupt, "object %s is larger than %d bytes", key, MaxObjectBytes)
	}
	return body, nil
}

// DownloadURL implements kaiban.Objects with a pre-signed GET that sets
// the response's Content-Type and Content-Disposition. The link is only as
// long-lived as the credentials that signed it (a Lambda's session).
func (b *Bucket) DownloadURL(ctx context.Context, key, mediaType, filename string, ttl time.Duration) (string, error) {
	if err := kaiban.CheckObjectKey(key); err != nil {
		return "", err
	}
	if ttl <= 0 || ttl > kaiban.MaxDownloadTTL {
		return "", kaiban.Errorf(kaiban.ErrInput, "a download link lives up to %v", kaiban.MaxDownloadTTL)
	}
	q := url.Values{
		"X-Amz-Expires":                {strconv.Itoa(int(ttl / time.Second))},
		"response-content-type":        {mediaType},
		"response-content-disposition": {mime.FormatMediaType("attachment", map[string]string{"filename": filename})},
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.objectURL(key)+"?"+q.Encode(), nil)
	if err != nil {
		return "", kaiban.Wrap(kaiban.ErrInput, err, "cannot build the download link")
	}
	creds, err := b.Creds.Retrieve(ctx)
	if err != nil {
		return "", unavailable(err, "no credentials to sign the download link")
	}
	u, _, err := v4.NewSigner().PresignHTTP(ctx, creds, req, "UNSIGNED-PAYLOAD", "s3", b.Region, b.now())
	if err != nil {
		return "", unavailable(err, "cannot sign the download link")
	}
	return u, nil
}

// CreateBucket creates the bucket (tests and local runs; on AWS it comes
// from template.yaml). A bucket that exists already is success.
func (b *Bucket) CreateBucket(ctx context.Context) error {
	var body []byte
	if b.Region != "us-east-1" {
		body = []byte(`<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>` + b.Region + `</LocationConstraint></CreateBucketConfiguration>`)
	}
	resp, err := b.do(ctx, http.MethodPut, "", body, nil)
	if err != nil {
		return unavailable(err, "cannot create the bucket")
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 2 {
		return nil
	}
	e := apiError(resp)
	if ae, ok := e.(*APIError); ok && (ae.Code == "BucketAlreadyOwnedByYou" || ae.Code == "BucketAlreadyExists") {
		return nil
	}
	return unavailable(e, "cannot create the bucket")
}
