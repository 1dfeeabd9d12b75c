package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/kaiban/kaiban/shared/agency"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// maxRequest bounds a request body; the largest real request (a licence
// with 50 shareholders) is far below it.
const maxRequest = 1 << 20

// op is one agency operation: its route and what it does with a call.
type op struct {
	kind kaiban.AgencyKind
	path string
	run  func(s *Server, c *call) (status int, body []byte)
}

// call is one request as an operation sees it, with the random draws for
// this attempt already made.
type call struct {
	key    string
	body   []byte
	hash   [32]byte
	now    time.Time
	reject bool // a rejection was drawn, or SetRejecting is on
	review bool // a name review was drawn
}

// Failure is a kind of transient failure.
type Failure int

const (
	FailNone  Failure = iota
	Fail5xx           // 503 before anything is recorded
	FailStall         // the record is committed, the answer comes after the client gave up
	FailDrop          // the record is committed, the connection is closed without an answer
)

// drawFailure draws whether this attempt fails transiently, and how.
func (b Behaviour) drawFailure(r *rand.Rand) Failure {
	x, y := r.Float64(), r.Float64()
	if x >= b.TransientRate {
		return FailNone
	}
	total := b.Weight5xx + b.WeightStall + b.WeightDrop
	if total <= 0 {
		return Fail5xx
	}
	switch y *= total; {
	case y < b.Weight5xx:
		return Fail5xx
	case y < b.Weight5xx+b.WeightStall:
		return FailStall
	}
	return FailDrop
}

// serve runs the common life of a call around the operation (see the
// package documentation for the order).
func (s *Server) serve(o op) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequest))
		f := s.controls.arrive(o.kind, body)
		if err != nil {
			writeError(w, badRequest("request body unreadable or too large"))
			return
		}
		key := r.Header.Get(agency.HeaderIdempotencyKey)
		if key == "" {
			writeError(w, badRequest("missing "+agency.HeaderIdempotencyKey+" header"))
			return
		}
		k := opKey{kind: o.kind, path: o.path, key: key}
		rng := drawRNG(s.profile.Seed, k, s.ledger.attempt(k))
		b := s.profile.behaviour(o.kind)
		// Every draw is made up front in a fixed order, so an attempt's
		// fate does not depend on which branches run.
		latency := b.Latency.Sample(rng)
		fail := b.drawFailure(rng)
		if f.next != FailNone {
			fail = f.next
		}
		c := &call{
			key:    key,
			body:   body,
			hash:   bodyHash(body),
			reject: rng.Float64() < b.RejectionRate || f.rejecting,
			review: rng.Float64() < b.ReviewRate,
		}
		ctx := r.Context()
		if err := s.sleep(ctx, latency+f.slow); err != nil {
			drop(w) // the client gave up or the server is closing; nothing was done
			return
		}
		if f.down {
			writeError(w, unavailable("系统维护中，请稍后再试"))
			return
		}
		if fail == Fail5xx {
			writeError(w, unavailable("系统繁忙，请稍后再试"))
			return
		}
		c.now = s.now()
		status, out := o.run(s, c)
		switch fail {
		case FailStall:
			// The work is done; the answer arrives too late to matter.
			if s.sleep(ctx, s.profile.stallFor()) != nil {
				drop(w)
				return
			}
			writeError(w, &apiError{status: http.StatusGatewayTimeout, code: agency.CodeUnavailable, message: "网关超时"})
			return
		case FailDrop:
			drop(w)
			return
		}
		if f.malformed && status == http.StatusOK {
			out = out[:len(out)/2]
		}
		writeRaw(w, status, out)
	})
}

// drop closes the connection without an answer, as a failing load balancer
// does.
func drop(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		writeError(w, unavailable("连接中断"))
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		return
	}
	conn.Close()
}

// apiError is an agency's error answer.
type apiError struct {
	status  int
	code    string
	message string
	// fields and reasonCode: a needsCorrection refusal's.
	fields     []string
	reasonCode string
}

// needsCorrection refuses what the applicant can fix by correcting fields.
func needsCorrection(msg, reasonCode string, fields ...string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, code: agency.CodeNeedsCorrection, message: msg, fields: fields, reasonCode: reasonCode}
}

func badRequest(msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, code: agency.CodeBadRequest, message: msg}
}

func rejected(msg string) *apiError {
	return &apiError{status: http.StatusUnprocessableEntity, code: agency.CodeRejected, message: msg}
}

func unavailable(msg string) *apiError {
	return &apiError{status: http.StatusServiceUnavailable, code: agency.CodeUnavailable, message: msg}
}

func (e *apiError) encode() (int, []byte) {
	b, _ := json.Marshal(agency.ErrorBody{Code: e.code, Message: e.message, Fields: e.fields, ReasonCode: e.reasonCode}) // strings only: cannot fail
	return e.status, b
}

func writeError(w http.ResponseWriter, e *apiError) {
	status, body := e.encode()
	writeRaw(w, status, body)
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

// strictDecode decodes exactly one JSON value with no unknown fields: an
// agency refuses fields it does not expect, which also catches a client
// sending more than the agency needs.
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
