package agency

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// maxResponse bounds the body read from an agency; no agency answer is
// anywhere near this large.
const maxResponse = 1 << 20

// NewHTTPClient returns the *http.Client all agency clients share. Build it
// once per process: its Transport pools connections across calls and
// agencies. It has no overall Timeout because every call carries its own
// deadline.
func NewHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: 3 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:             http.ProxyFromEnvironment,
			DialContext:       dialer.DialContext,
			ForceAttemptHTTP2: true,
			// Idle connections are kept for as many calls as may be in
			// flight to one host (the local simulators are one host):
			// with fewer, a busy moment closes and redials connections,
			// which cost more CPU than the calls they carry.
			MaxIdleConns:          1024,
			MaxIdleConnsPerHost:   512,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   5 * time.Second,
			ExpectContinueTimeout: time.Second,
		},
		// An agency API never redirects; following one could leak the
		// request to a host nobody configured.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// request is what every agency request type has in common.
type request interface {
	Call() kaiban.AgencyCall
}

// caller performs agency calls for every client.
type caller struct {
	hc  *http.Client
	cfg Config
}

// call POSTs req to path of the agency kind serving the request's region,
// decodes the answer strictly into a Res and runs check on it.
func call[Req request, Res any](ctx context.Context, c *caller, kind kaiban.AgencyKind, path string, req Req, check func(Req, *Res) error) (Res, error) {
	var out Res
	meta := req.Call()
	if !validKey(meta.IdempotencyKey) {
		return out, kaiban.Errorf(kaiban.ErrInput, "the %s agency call has no usable idempotency key", kind)
	}
	base, err := c.cfg.Endpoint(kind, meta.RegionCode)
	if err != nil {
		return out, err
	}
	body, err := json.Marshal(req)
	if err != nil {
		return out, kaiban.Wrap(kaiban.ErrInput, err, "the "+string(kind)+" agency request cannot be encoded")
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.timeout())
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, base+path, bytes.NewReader(body))
	if err != nil {
		return out, kaiban.Wrap(kaiban.ErrConfig, err, "bad "+string(kind)+" agency endpoint")
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	hreq.Header.Set(HeaderIdempotencyKey, meta.IdempotencyKey)
	resp, err := c.hc.Do(hreq)
	if err != nil {
		return out, unavailable(kind, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return out, unavailable(kind, err)
	}
	if err := decodeResponse(kind, resp.StatusCode, raw, &out); err != nil {
		return out, err
	}
	if check != nil {
		if err := check(req, &out); err != nil {
			var zero Res
			return zero, kaiban.Wrap(kaiban.ErrAgencyUnavailable, err, "the "+string(kind)+" agency gave an unusable answer")
		}
	}
	return out, nil
}

// decodeResponse turns an agency's answer into out or a typed error. It is
// the single place that interprets status codes and bodies, and it never
// panics, whatever the body (see FuzzDecodeResponse).
func decodeResponse(kind kaiban.AgencyKind, status int, raw []byte, out any) error {
	if len(raw) > maxResponse {
		return kaiban.Errorf(kaiban.ErrAgencyUnavailable, "the %s agency answer is too large", kind)
	}
	switch {
	case status >= 200 && status < 300:
		if err := strictDecode(raw, out); err != nil {
			return kaiban.Wrap(kaiban.ErrAgencyUnavailable, err, "the "+string(kind)+" agency gave an unreadable answer")
		}
		return nil
	case status >= 400 && status < 500 && status != http.StatusRequestTimeout && status != http.StatusTooManyRequests:
		var eb ErrorBody
		if err := strictDecode(raw, &eb); err == nil {
			if name, ok := errorNameFor(eb.Code); ok {
				return agencyError(kind, name, eb)
			}
		}
		// A 4xx we cannot read is most likely a gateway in front of the
		// agency misbehaving; treat it like an outage so it is retried and
		// then escalated, rather than guessing at a rejection.
		return kaiban.Errorf(kaiban.ErrAgencyUnavailable, "the %s agency answered with HTTP %d", kind, status)
	default:
		return kaiban.Errorf(kaiban.ErrAgencyUnavailable, "the %s agency is unavailable (HTTP %d)", kind, status)
	}
}

// agencyError is the domain error of an agency's error body. A refusal
// that asks for a correction carries the ask at the end of its message
// (kaiban.CorrectionAsk); one whose fields or reason this service does
// not know is a plain rejection, for a clerk.
func agencyError(kind kaiban.AgencyKind, name string, eb ErrorBody) *kaiban.Error {
	msg := agencyMessage(kind, name, eb.Message)
	if name != kaiban.ErrAgencyNeedsCorrection {
		return &kaiban.Error{Name: name, Message: msg}
	}
	withAsk := kaiban.CorrectionAsk{Fields: eb.Fields, ReasonCode: eb.ReasonCode}.Append(msg)
	if _, _, ok := kaiban.SplitCorrectionAsk(withAsk); !ok {
		return &kaiban.Error{Name: kaiban.ErrAgencyRejected, Message: msg}
	}
	return &kaiban.Error{Name: name, Message: withAsk}
}

// strictDecode decodes exactly one JSON value with no unknown fields and
// nothing after it.
func strictDecode(raw []byte, out any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return err
	}
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return errors.New("data after the JSON value")
	}
	return nil
}

// unavailable maps a transport failure (refused or dropped connection,
// timeout, cancelled context) to ErrAgencyUnavailable, keeping the cause so
// errors.Is(err, context.DeadlineExceeded) still works.
func unavailable(kind kaiban.AgencyKind, err error) *kaiban.Error {
	msg := "the " + string(kind) + " agency is unavailable"
	if errors.Is(err, context.DeadlineExceeded) {
		msg = "the " + string(kind) + " agency did not answer in time"
	}
	return kaiban.Wrap(kaiban.ErrAgencyUnavailable, err, msg)
}

// maxMessage bounds an agency's reason as shown to applicants and clerks.
const maxMessage = 200

// agencyMessage makes an agency's reason safe to show: valid UTF-8, no
// control characters, at most maxMessage runes, never empty.
func agencyMessage(kind kaiban.AgencyKind, name, msg string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.ToValidUTF8(msg, "") {
		if n == maxMessage {
			b.WriteString("…")
			break
		}
		if unicode.IsControl(r) || r == utf8.RuneError {
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	if s := strings.TrimSpace(b.String()); s != "" {
		return s
	}
	switch name {
	case kaiban.ErrNameNeedsReview:
		return "the proposed name needs review"
	case kaiban.ErrIdentityFailed:
		return "identity verification failed"
	}
	return "rejected by the " + string(kind) + " agency"
}

// validKey reports whether k can travel as the Idempotency-Key header: 1 to
// 200 printable ASCII characters.
func validKey(k string) bool {
	if k == "" || len(k) > 200 {
		return false
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x21 || k[i] > 0x7e {
			return false
		}
	}
	return true
}
