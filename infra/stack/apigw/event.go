package apigw

import (
	"crypto/rand"
	"encoding/base64"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"
)

// Values the local adapter reports where API Gateway would report the
// account and API; SAM CLI uses the same placeholder account.
const (
	LocalAccountID = "123456789012"
	LocalAPIID     = "local"
)

// env is what varies per request and is injected in tests.
type env struct {
	now       func() time.Time
	requestID func() string
}

func defaultEnv() env {
	return env{now: time.Now, requestID: newRequestID}
}

// newRequestID returns an opaque ID shaped like API Gateway's
// ("LV7fzho-PHcEJPw=").
func newRequestID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return base64.StdEncoding.EncodeToString(b[:])
}

// newEvent builds the payload-2.0 event API Gateway would send for r.
func newEvent(r *http.Request, body []byte, requestID string, now time.Time) events.APIGatewayV2HTTPRequest {
	headers, cookies := eventHeaders(r, len(body))
	path := r.URL.Path // HTTP APIs deliver the path percent-decoded
	if path == "" {
		path = "/"
	}
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              "$default",
		RawPath:               path,
		RawQueryString:        r.URL.RawQuery,
		Cookies:               cookies,
		Headers:               headers,
		QueryStringParameters: queryParameters(r.URL.RawQuery),
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:     "$default",
			AccountID:    LocalAccountID,
			Stage:        "$default",
			RequestID:    requestID,
			APIID:        LocalAPIID,
			DomainName:   hostOnly(r.Host),
			DomainPrefix: domainPrefix(hostOnly(r.Host)),
			Time:         now.UTC().Format("02/Jan/2006:15:04:05 -0700"),
			TimeEpoch:    now.UnixMilli(),
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method:    r.Method,
				Path:      path,
				Protocol:  r.Proto,
				SourceIP:  sourceIP(r.RemoteAddr),
				UserAgent: r.UserAgent(),
			},
		},
	}
	if len(body) > 0 {
		if isText(headers["content-type"], body) {
			ev.Body = string(body)
		} else {
			ev.Body = base64.StdEncoding.EncodeToString(body)
			ev.IsBase64Encoded = true
		}
	}
	return ev
}

// eventHeaders lower-cases names, joins repeated values with commas, moves
// cookies to their own list and adds the headers API Gateway adds.
func eventHeaders(r *http.Request, bodyLen int) (map[string]string, []string) {
	h := make(map[string]string, len(r.Header)+4)
	var cookies []string
	for name, values := range r.Header {
		lname := strings.ToLower(name)
		if lname == "cookie" {
			for _, v := range values {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		h[lname] = strings.Join(values, ",")
	}
	if r.Host != "" {
		h["host"] = r.Host
	}
	h["content-length"] = strconv.Itoa(bodyLen)
	ip := sourceIP(r.RemoteAddr)
	if prev := h["x-forwarded-for"]; prev != "" {
		h["x-forwarded-for"] = prev + ", " + ip
	} else {
		h["x-forwarded-for"] = ip
	}
	if _, port, err := net.SplitHostPort(r.Host); err == nil {
		h["x-forwarded-port"] = port
	} else if r.TLS != nil {
		h["x-forwarded-port"] = "443"
	} else {
		h["x-forwarded-port"] = "80"
	}
	if r.TLS != nil {
		h["x-forwarded-proto"] = "https"
	} else {
		h["x-forwarded-proto"] = "http"
	}
	return h, cookies
}

// queryParameters joins repeated parameters with commas, as payload 2.0
// does; nil when there are none (the field is then omitted).
func queryParameters(raw string) map[string]string {
	if raw == "" {
		return nil
	}
	values, _ := url.ParseQuery(raw) // keep what parses, as API Gateway does
	if len(values) == 0 {
		return nil
	}
	out := make(map[string]string, len(values))
	for k, vs := range values {
		out[k] = strings.Join(vs, ",")
	}
	return out
}

// isText reports whether a body can travel as a JSON string: a textual
// media type and valid UTF-8. Everything else is base64-encoded.
func isText(contentType string, body []byte) bool {
	if !utf8.Valid(body) {
		return false
	}
	if contentType == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		mt == "application/json", strings.HasSuffix(mt, "+json"),
		mt == "application/xml", strings.HasSuffix(mt, "+xml"),
		mt == "application/javascript",
		mt == "application/x-www-form-urlencoded":
		return true
	}
	return false
}

func sourceIP(remoteAddr string) string {
	if host, _, err := net.SplitHostPort(remoteAddr); err == nil {
		return host
	}
	return remoteAddr
}

func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return h
	}
	return host
}

func domainPrefix(domain string) string {
	if net.ParseIP(domain) != nil {
		return domain
	}
	p, _, _ := strings.Cut(domain, ".")
	return p
}
