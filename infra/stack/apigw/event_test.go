package apigw

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

var fixedNow = time.Date(2026, 11, 27, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

// keysOf returns the sorted JSON object keys at the given path of v.
func keysOf(t *testing.T, v map[string]any, path ...string) []string {
	t.Helper()
	cur := v
	for _, p := range path {
		next, ok := cur[p].(map[string]any)
		if !ok {
			t.Fatalf("no object at %v", path)
		}
		cur = next
	}
	keys := make([]string, 0, len(cur))
	for k := range cur {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func asMap(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestEventHasAPIGatewayShape compares the event built for the request that
// produced aws-lambda-go's captured no-authorizer event with that capture:
// the same keys at every level and the same values where they do not
// depend on the network.
func TestEventHasAPIGatewayShape(t *testing.T) {
	raw, err := os.ReadFile("testdata/apigw-v2-request-no-authorizer.json")
	if err != nil {
		t.Fatal(err)
	}
	var want events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}

	r := httptest.NewRequest(http.MethodGet, "http://aaaaaaaaaa.execute-api.us-west-2.amazonaws.com/", nil)
	r.RemoteAddr = "1.2.3.4:5678"
	r.Header.Set("Accept", "*/*")
	r.Header.Set("User-Agent", "curl/7.58.0")
	got := newEvent(r, nil, "LV7fzho-PHcEJPw=", fixedNow)

	gm, wm := asMap(t, got), asMap(t, want)
	// The capture used mTLS; the local adapter has no client certificates.
	delete(wm["requestContext"].(map[string]any), "authentication")
	delete(gm["requestContext"].(map[string]any), "authentication")
	for _, path := range [][]string{nil, {"requestContext"}, {"requestContext", "http"}} {
		if g, w := keysOf(t, gm, path...), keysOf(t, wm, path...); !reflect.DeepEqual(g, w) {
			t.Errorf("keys at %v:\n got %v\nwant %v", path, g, w)
		}
	}
	if got.Version != want.Version || got.RouteKey != want.RouteKey || got.RawPath != want.RawPath ||
		got.RequestContext.Stage != want.RequestContext.Stage || got.RequestContext.RouteKey != want.RequestContext.RouteKey ||
		got.RequestContext.HTTP.Method != want.RequestContext.HTTP.Method || got.RequestContext.HTTP.Path != want.RequestContext.HTTP.Path ||
		got.RequestContext.HTTP.SourceIP != want.RequestContext.HTTP.SourceIP || got.RequestContext.HTTP.UserAgent != want.RequestContext.HTTP.UserAgent ||
		got.RequestContext.DomainName != want.RequestContext.DomainName || got.RequestContext.DomainPrefix != want.RequestContext.DomainPrefix {
		t.Errorf("event differs from capture:\n got %+v\nwant %+v", got, want)
	}
	for _, h := range []string{"accept", "content-length", "host", "user-agent", "x-forwarded-for", "x-forwarded-port", "x-forwarded-proto"} {
		if _, ok := got.Headers[h]; !ok {
			t.Errorf("header %q missing; got %v", h, got.Headers)
		}
	}
	if got.Headers["x-forwarded-for"] != "1.2.3.4" || got.Headers["content-length"] != "0" || got.Headers["host"] != want.Headers["host"] {
		t.Errorf("headers = %v", got.Headers)
	}
	if got.RequestContext.TimeEpoch != fixedNow.UnixMilli() || got.RequestContext.Time != "27/Nov/2026:01:30:00 +0000" {
		t.Errorf("time = %q / %d", got.RequestContext.Time, got.RequestContext.TimeEpoch)
	}
}

func TestEventDetails(t *testing.T) {
	png := []byte{0x89, 'P', 'N', 'G', 0, 1, 2, 0xff}
	tests := []struct {
		name  string
		build func() *http.Request
		body  []byte
		check func(t *testing.T, ev events.APIGatewayV2HTTPRequest)
	}{
		{
			name: "repeated headers and query parameters are comma-joined, names lower-cased",
			build: func() *http.Request {
				r := httptest.NewRequest(http.MethodGet, "/my/path?parameter1=value1&parameter1=value2&parameter2=value", nil)
				r.Header.Add("Header2", "value1")
				r.Header.Add("Header2", "value2")
				return r
			},
			check: func(t *testing.T, ev events.APIGatewayV2HTTPRequest) {
				if ev.Headers["header2"] != "value1,value2" {
					t.Errorf("header2 = %q", ev.Headers["header2"])
				}
				if ev.RawQueryString != "parameter1=value1&parameter1=value2&parameter2=value" {
					t.Errorf("rawQueryString = %q", ev.RawQueryString)
				}
				want := map[string]string{"parameter1": "value1,value2", "parameter2": "value"}
				if !reflect.DeepEqual(ev.QueryStringParameters, want) {
					t.Errorf("queryStringParameters = %v", ev.QueryStringParameters)
				}
			},
		},
		{
			name: "cookies move out of the headers into their own list",
			build: func() *http.Request {
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				r.Header.Add("Cookie", "cookie1=a; cookie2=b")
				r.Header.Add("Cookie", "cookie3=c")
				return r
			},
			check: func(t *testing.T, ev events.APIGatewayV2HTTPRequest) {
				if _, ok := ev.Headers["cookie"]; ok {
					t.Error("cookie header left in headers")
				}
				if want := []string{"cookie1=a", "cookie2=b", "cookie3=c"}; !reflect.DeepEqual(ev.Cookies, want) {
					t.Errorf("cookies = %v", ev.Cookies)
				}
			},
		},
		{
			name: "percent-encoded path is delivered decoded, as HTTP APIs do",
			build: func() *http.Request {
				return httptest.NewRequest(http.MethodGet, "/v1/clerk%2Ftasks", nil)
			},
			check: func(t *testing.T, ev events.APIGatewayV2HTTPRequest) {
				if ev.RawPath != "/v1/clerk/tasks" || ev.RequestContext.HTTP.Path != "/v1/clerk/tasks" {
					t.Errorf("rawPath = %q, http.path = %q", ev.RawPath, ev.RequestContext.HTTP.Path)
				}
				if ev.QueryStringParameters != nil {
					t.Errorf("queryStringParameters = %v, want omitted", ev.QueryStringParameters)
				}
			},
		},
		{
			name: "JSON body travels as text",
			build: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/v1/applications", strings.NewReader(`{"a":"统一"}`))
				r.Header.Set("Content-Type", "application/json; charset=utf-8")
				return r
			},
			body: []byte(`{"a":"统一"}`),
			check: func(t *testing.T, ev events.APIGatewayV2HTTPRequest) {
				if ev.IsBase64Encoded || ev.Body != `{"a":"统一"}` {
					t.Errorf("body = %q base64=%v", ev.Body, ev.IsBase64Encoded)
				}
				if ev.Headers["content-length"] != "14" {
					t.Errorf("content-length = %q", ev.Headers["content-length"])
				}
			},
		},
		{
			name: "binary body is base64-encoded",
			build: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/upload", nil)
				r.Header.Set("Content-Type", "image/png")
				return r
			},
			body: png,
			check: func(t *testing.T, ev events.APIGatewayV2HTTPRequest) {
				if !ev.IsBase64Encoded || ev.Body != base64.StdEncoding.EncodeToString(png) {
					t.Errorf("body = %q base64=%v", ev.Body, ev.IsBase64Encoded)
				}
			},
		},
		{
			name: "invalid UTF-8 under a text type is base64-encoded too",
			build: func() *http.Request {
				r := httptest.NewRequest(http.MethodPost, "/", nil)
				r.Header.Set("Content-Type", "application/json")
				return r
			},
			body: []byte{'{', 0xff, '}'},
			check: func(t *testing.T, ev events.APIGatewayV2HTTPRequest) {
				if !ev.IsBase64Encoded {
					t.Error("invalid UTF-8 sent as text")
				}
			},
		},
		{
			name: "forwarded-for is appended to, not replaced",
			build: func() *http.Request {
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				r.RemoteAddr = "127.0.0.1:40000"
				r.Header.Set("X-Forwarded-For", "10.0.0.9")
				return r
			},
			check: func(t *testing.T, ev events.APIGatewayV2HTTPRequest) {
				if ev.Headers["x-forwarded-for"] != "10.0.0.9, 127.0.0.1" || ev.RequestContext.HTTP.SourceIP != "127.0.0.1" {
					t.Errorf("x-forwarded-for = %q, sourceIp = %q", ev.Headers["x-forwarded-for"], ev.RequestContext.HTTP.SourceIP)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, newEvent(tt.build(), tt.body, "req-1", fixedNow))
		})
	}
}
