package api_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkSubmit measures one submission through Handle: decode,
// validate, store (in memory), audit, start.
func BenchmarkSubmit(b *testing.B) {
	e := newEnv(b)
	ev := req{method: "POST", path: "/v1/applications", headers: jsonHeaders(), body: string(validForm(b))}.event()
	b.ReportAllocs()
	for b.Loop() {
		resp, _ := e.srv.Handle(context.Background(), ev)
		if resp.StatusCode != 202 {
			b.Fatal(resp.Body)
		}
	}
}

// BenchmarkSubmitIdempotent adds the token sealing of an Idempotency-Key.
func BenchmarkSubmitIdempotent(b *testing.B) {
	e := newEnv(b)
	r := req{method: "POST", path: "/v1/applications", headers: jsonHeaders(), body: string(validForm(b))}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		r.headers["Idempotency-Key"] = "bench-" + strconv.Itoa(i)
		resp, _ := e.srv.Handle(context.Background(), r.event())
		if resp.StatusCode != 202 {
			b.Fatal(resp.Body)
		}
	}
}

// BenchmarkStatus measures the applicant's poll.
func BenchmarkStatus(b *testing.B) {
	e := newEnv(b)
	s := e.submit(b, nil, string(validForm(b)))
	ev := req{method: "GET", path: s.StatusURL, headers: map[string]string{"Authorization": "Bearer " + s.AccessToken}}.event()
	b.ReportAllocs()
	for b.Loop() {
		resp, _ := e.srv.Handle(context.Background(), ev)
		if resp.StatusCode != 200 {
			b.Fatal(resp.Body)
		}
	}
}

// BenchmarkSubmitOverHTTP is a submission through the local net/http
// adapter (event building and response writing included), no network.
func BenchmarkSubmitOverHTTP(b *testing.B) {
	e := newEnv(b)
	h := apigwHandler(b, e)
	body := string(validForm(b))
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/v1/applications", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 202 {
			b.Fatal(w.Body.String())
		}
	}
}
