package stack

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
)

// inProcess is an http.RoundTripper that serves each request with a
// handler in the calling goroutine. The request keeps its context, so a
// virtual clock's hold carried by it reaches whatever the handler sleeps
// on; over a socket that context would be lost and the caller's hold would
// stop virtual time while the simulator waits for it to move.
type inProcess struct{ h http.Handler }

var _ http.RoundTripper = inProcess{}

// RoundTrip serves req and returns the recorded answer.
func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil {
		req.Body = http.NoBody
	}
	w := &recorder{header: make(http.Header)}
	t.h.ServeHTTP(w, req)
	if err := req.Context().Err(); err != nil {
		return nil, err // the caller gave up; as a real client, it sees no answer
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return &http.Response{
		Status:        strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        w.header,
		Body:          io.NopCloser(bytes.NewReader(w.body.Bytes())),
		ContentLength: int64(w.body.Len()),
		Request:       req,
	}, nil
}

// recorder is the http.ResponseWriter the in-process round trip hands the
// handler. It is not a Hijacker, so a simulated dropped connection becomes
// a 503: a transient failure either way.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
