package sfnapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
)

const contentType = "application/x-amz-json-1.0"

// decode reads body strictly into v: one JSON object, no unknown members,
// no trailing data. An empty body is the empty object, as the SDK sends
// "{}" but hand-written clients sometimes send nothing.
func decode(body []byte, v any) error {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil
	}
	if body[0] != '{' {
		return badRequest(codeSerialization, "the request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return serializationError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return badRequest(codeSerialization, "unexpected data after the JSON object")
	}
	return exactMembers(body, v)
}

// exactMembers rejects members whose name differs from a known one only in
// case: encoding/json matches names case-insensitively, AWS does not, and a
// client sending "executionARN" should learn of its typo rather than have it
// silently accepted.
func exactMembers(body []byte, v any) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		return serializationError(err)
	}
	known := map[string]bool{}
	t := reflect.TypeOf(v).Elem()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		known[name] = true
	}
	for name := range members {
		if !known[name] {
			return badRequest(codeSerialization, "unknown member %q", name)
		}
	}
	return nil
}

// serializationError describes a decoding failure in terms of the request,
// never in terms of Go types.
func serializationError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return badRequest(codeSerialization, "malformed JSON at offset %d", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badRequest(codeSerialization, "unexpected JSON %s", typ.Value)
		}
		return badRequest(codeSerialization, "member '%s' has the wrong type (got JSON %s)", typ.Field, typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest(codeSerialization, "the JSON body ends early")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return badRequest(codeSerialization, "unknown member %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	default:
		return badRequest(codeSerialization, "the request body is not valid JSON")
	}
}

// readBody reads at most limit bytes; a larger body is a 413.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, &requestError{status: http.StatusRequestEntityTooLarge, code: codeTooLarge, message: "the request body is larger than the limit"}
		}
		return nil, badRequest(codeSerialization, "the request body could not be read")
	}
	return body, nil
}

// write sends v as an AWS JSON 1.0 response.
func write(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}
