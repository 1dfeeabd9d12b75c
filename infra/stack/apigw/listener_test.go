package apigw

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

// rawStack serves the adapter like the local stack does (an http.Server on
// a SecureListener) and returns its address. MaxHeaderBytes is small so
// the 431 case needs only a few KiB.
func rawStack(t *testing.T) string {
	t.Helper()
	h := func(_ context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		switch ev.RawPath {
		case "/fail":
			return events.APIGatewayV2HTTPResponse{}, errors.New("handler failed")
		case "/bad-base64":
			return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "%%%", IsBase64Encoded: true}, nil
		case "/page":
			return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "text/html", "Cache-Control": "no-cache"}, Body: "<p>hi</p>"}, nil
		}
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: `{"ok":true}`}, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{
		Handler:           NewHTTPHandler(h, newTestAuthorizer(t, time.Now()), "/v1/clerk/"),
		MaxHeaderBytes:    1 << 10,
		ReadHeaderTimeout: 5 * time.Second,
	}
	go func() { _ = srv.Serve(SecureListener(ln)) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// rawExchange writes req (and then body, if any) on a fresh TCP connection
// and parses the one response that comes back.
func rawExchange(t *testing.T, addr, req string, body io.Reader) (*http.Response, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	go func() {
		_, _ = io.WriteString(c, req)
		if body != nil {
			_, _ = io.Copy(c, body)
		}
	}()
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the response to %.40q: %v", req, err)
	}
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestEveryResponseIsNoSniffAndNoStore sends raw requests, good and bad,
// and checks that each answer carries X-Content-Type-Options: nosniff and a
// Cache-Control: the adapter's own 401/413/500/502 and net/http's own
// 400/431/501/505/417 alike.
func TestEveryResponseIsNoSniffAndNoStore(t *testing.T) {
	addr := rawStack(t)
	tooBig := int64(MaxRequestBytes + 1)
	tests := []struct {
		name       string
		req        string
		body       io.Reader
		wantStatus int
		wantCache  string
		wantBody   string // substring
	}{
		{"handler answer", "GET /ok HTTP/1.1\r\nHost: x\r\n\r\n", nil, 200, "no-store", `{"ok":true}`},
		{"handler's own caching kept", "GET /page HTTP/1.1\r\nHost: x\r\n\r\n", nil, 200, "no-cache", "<p>hi</p>"},
		{"adapter 401", "GET /v1/clerk/tasks HTTP/1.1\r\nHost: x\r\n\r\n", nil, 401, "no-store", "Unauthorized"},
		{"adapter 401 bad token", "GET /v1/clerk/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x.y.z\r\n\r\n", nil, 401, "no-store", "Unauthorized"},
		{"adapter 413", "POST /v1/applications HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + itoa(tooBig) + "\r\n\r\n",
			io.LimitReader(zeros{}, tooBig), 413, "no-store", "Request Entity Too Large"},
		{"adapter 500", "GET /fail HTTP/1.1\r\nHost: x\r\n\r\n", nil, 500, "no-store", "Internal Server Error"},
		{"adapter 502", "GET /bad-base64 HTTP/1.1\r\nHost: x\r\n\r\n", nil, 502, "no-store", "Internal Server Error"},
		{"net/http 400 malformed request line", "NOT A REQUEST\r\n\r\n", nil, 400, "no-store", "Bad Request"},
		{"net/http 400 no Host", "GET / HTTP/1.1\r\n\r\n", nil, 400, "no-store", "missing required Host header"},
		{"net/http 400 bad header line", "GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", nil, 400, "no-store", "Bad Request"},
		{"net/http 431", "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 8<<10) + "\r\n\r\n", nil, 431, "no-store", "431 Request Header Fields Too Large"},
		{"net/http 501 transfer coding", "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: rot13\r\n\r\n", nil, 501, "no-store", "Unsupported transfer encoding"},
		{"net/http 505", "GET / HTTP/3.0\r\nHost: x\r\n\r\n", nil, 505, "no-store", "unsupported protocol version"},
		{"net/http 417", "GET / HTTP/1.1\r\nHost: x\r\nExpect: miracles\r\n\r\n", nil, 417, "no-store", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := rawExchange(t, addr, tt.req, tt.body)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d (%q)", res.StatusCode, tt.wantStatus, body)
			}
			if got := res.Header.Values("X-Content-Type-Options"); len(got) != 1 || got[0] != "nosniff" {
				t.Errorf("X-Content-Type-Options = %q, want [nosniff]; headers %v", got, res.Header)
			}
			if got := res.Header.Values("Cache-Control"); len(got) != 1 || got[0] != tt.wantCache {
				t.Errorf("Cache-Control = %q, want [%s]; headers %v", got, tt.wantCache, res.Header)
			}
			if !strings.Contains(body, tt.wantBody) {
				t.Errorf("body %q, want it to contain %q", body, tt.wantBody)
			}
		})
	}
}

// TestAddSecurityHeadersLeavesOthersAlone: only a whole response head
// without the headers is changed; bodies, partial heads and interim
// responses pass through as written.
func TestAddSecurityHeadersLeavesOthersAlone(t *testing.T) {
	for _, in := range []string{
		`{"message":"HTTP/1.1 400 Bad Request"}`,
		"HTTP/1.1 200 OK\r\nX-Content-Type-Options: nosniff\r\nCache-Control: no-cache\r\n\r\nbody",
		"HTTP/1.1 200 OK\r\nx-content-type-options: nosniff\r\n\r\n",
		"HTTP/1.1 100 Continue\r\n\r\n",
		"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n", // head not finished in this write
		"HTTP/1.1 200 OK\r\nnot a header\r\n\r\n",
		"HTTP/1.1 2000 OK\r\n\r\n",
		"HTTP/2.0 400 Bad Request\r\n\r\n",
		"",
	} {
		if out, changed := addSecurityHeaders([]byte(in)); changed || string(out) != in {
			t.Errorf("addSecurityHeaders(%q) = %q, %v; want it unchanged", in, out, changed)
		}
	}
	in := "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n431 Request Header Fields Too Large"
	want := "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n431 Request Header Fields Too Large"
	if out, changed := addSecurityHeaders([]byte(in)); !changed || string(out) != want {
		t.Errorf("addSecurityHeaders(431) = %q, want %q", out, want)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A response head that already has the headers (every adapter answer) is
// looked at without allocating: the wrapper sits on every response.
func TestAddSecurityHeadersDoesNotAllocateForAdapterAnswers(t *testing.T) {
	p := []byte("HTTP/1.1 202 Accepted\r\nApigw-Requestid: x\r\nCache-Control: no-store\r\nContent-Type: application/json\r\nX-Content-Type-Options: nosniff\r\nDate: now\r\n\r\n{}")
	if n := testing.AllocsPerRun(100, func() { addSecurityHeaders(p) }); n != 0 {
		t.Errorf("%v allocations per response head, want 0", n)
	}
}
