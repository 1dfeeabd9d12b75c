package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/aws/aws-lambda-go/events"

	"github.com/kaiban/kaiban/shared/cnid"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// invokeError is how the Lambda runtime reports a handler's error.
type invokeError struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
}

func asError(out []byte) (invokeError, bool) {
	var e invokeError
	return e, json.Unmarshal(out, &e) == nil && e.Type != ""
}

// wantError accepts only the typed error name.
func wantError(name string) func([]byte) error {
	return func(out []byte) error {
		e, ok := asError(out)
		if !ok {
			return fmt.Errorf("got %.300s, want errorType %s", out, name)
		}
		if e.Type != name {
			return fmt.Errorf("got errorType %s (%s), want %s", e.Type, e.Message, name)
		}
		return nil
	}
}

func success(out []byte) (map[string]any, error) {
	if e, ok := asError(out); ok {
		return nil, fmt.Errorf("the function failed: %s: %s", e.Type, e.Message)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, fmt.Errorf("the response is not a JSON object: %.300s", out)
	}
	return m, nil
}

// wantKeys accepts a successful response that has every key.
func wantKeys(keys ...string) func([]byte) error {
	return func(out []byte) error {
		m, err := success(out)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				return fmt.Errorf("the response has no %q: %.300s", k, out)
			}
		}
		return nil
	}
}

// wantPath accepts a successful response with a non-empty string at path.
func wantPath(path ...string) func([]byte) error {
	return func(out []byte) error {
		m, err := success(out)
		if err != nil {
			return err
		}
		var v any = m
		for _, k := range path {
			obj, _ := v.(map[string]any)
			v = obj[k]
		}
		if s, _ := v.(string); s == "" {
			return fmt.Errorf("the response has no %v: %.300s", path, out)
		}
		return nil
	}
}

func wantValue(key, want string) func([]byte) error {
	return func(out []byte) error {
		m, err := success(out)
		if err != nil {
			return err
		}
		if got, _ := m[key].(string); got != want {
			return fmt.Errorf("%s is %q, want %q: %.300s", key, got, want, out)
		}
		return nil
	}
}

// wantCreditCode accepts a reservation whose credit code passes the
// GB 32100 check, as the codes the service issues must.
func wantCreditCode(out []byte) error {
	m, err := success(out)
	if err != nil {
		return err
	}
	code, _ := m["creditCode"].(string)
	if !cnid.ValidUSCC(code) {
		return fmt.Errorf("credit code %q fails the GB 32100 check", code)
	}
	if s, _ := m["nameReservation"].(string); s == "" {
		return fmt.Errorf("no nameReservation: %.300s", out)
	}
	return nil
}

// wantStatus accepts an API Gateway v2 response with the status, and runs
// body on its body when given.
func wantStatus(status int, body func(string) error) func([]byte) error {
	return func(out []byte) error {
		if e, ok := asError(out); ok {
			return fmt.Errorf("the function failed: %s: %s", e.Type, e.Message)
		}
		var res events.APIGatewayV2HTTPResponse
		if err := json.Unmarshal(out, &res); err != nil {
			return fmt.Errorf("not an API Gateway response: %.300s", out)
		}
		if res.StatusCode != status {
			return fmt.Errorf("status %d, want %d: %.300s", res.StatusCode, status, res.Body)
		}
		if body != nil {
			return body(res.Body)
		}
		return nil
	}
}

// checkFieldErrors accepts the documented error shape:
// {"errors":[{"field":…,"code":…,"message":…}, …]} with more than one
// failing field (the fixture has five faults, reported at once).
func checkFieldErrors(body string) error {
	var b struct {
		Errors []kaiban.FieldError `json:"errors"`
	}
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		return fmt.Errorf("the body is not the error shape: %.300s", body)
	}
	if len(b.Errors) < 2 {
		return fmt.Errorf("want every failing field at once, got %d: %.300s", len(b.Errors), body)
	}
	for _, e := range b.Errors {
		if e.Field == "" || e.Code == "" || e.Message == "" {
			return fmt.Errorf("a field error lacks field, code or message: %+v", e)
		}
	}
	return nil
}

// wantDocuments wants the documents step's answer listing n document IDs.
func wantDocuments(n int) func([]byte) error {
	return func(out []byte) error {
		m, err := success(out)
		if err != nil {
			return err
		}
		ids, _ := m["documents"].([]any)
		if len(ids) != n {
			return fmt.Errorf("documents %v, want %d IDs", m["documents"], n)
		}
		for _, id := range ids {
			if s, _ := id.(string); !strings.HasPrefix(s, "DOC") {
				return fmt.Errorf("document ID %v", id)
			}
		}
		return nil
	}
}
