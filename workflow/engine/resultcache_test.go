package engine

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/kaiban/kaiban/workflow/engine/expr"
)

// TestResultCacheSharesOnlyTheSameBytes: a result returned as the very
// same bytes is decoded once; other bytes, even with the same text or at
// the same address with another length, are decoded as they are.
func TestResultCacheSharesOnlyTheSameBytes(t *testing.T) {
	var c resultCache
	constant := []byte(`{"a":1,"b":"x"}`)
	buf := []byte(`12345`)
	steps := []struct {
		name string
		raw  []byte
		want string
	}{
		{"first call", constant, `{"a":1,"b":"x"}`},
		{"same bytes again", constant, `{"a":1,"b":"x"}`},
		{"same bytes a third time", constant, `{"a":1,"b":"x"}`},
		{"same text, other bytes", []byte(`{"a":1,"b":"x"}`), `{"a":1,"b":"x"}`},
		{"other text", []byte(`{"a":2}`), `{"a":2}`},
		{"a buffer's prefix", buf[:2], `12`},
		{"the same prefix", buf[:2], `12`},
		{"a longer prefix at the same address", buf[:5], `12345`},
		{"the constant once more", constant, `{"a":1,"b":"x"}`},
	}
	for _, s := range steps {
		v, err := c.decode(s.raw)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		got, _ := expr.Encode(v)
		if string(got) != s.want {
			t.Errorf("%s: decoded %s, want %s", s.name, got, s.want)
		}
	}
}

// TestConstantResultsAcrossExecutions: a handler that answers with the
// same bytes every time gives every execution the right output.
func TestConstantResultsAcrossExecutions(t *testing.T) {
	answer := json.RawMessage(`{"n":1}`)
	e := newTestEngine(t, Options{Handlers: map[string]Handler{
		"same": func(_ context.Context, _ json.RawMessage) (json.RawMessage, error) { return answer, nil },
	}})
	arn := mustCreate(t, e, "same", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:same","ResultPath":"$.r","End":true}}}`)
	for i, in := range []string{`{"i":1}`, `{"i":2}`, `{"i":3}`} {
		x := runToEnd(t, e, arn, in)
		want := in[:len(in)-1] + `,"r":{"n":1}}`
		if x.Status != StatusSucceeded || x.Output != want {
			t.Fatalf("execution %d: %s %s, want output %s", i, x.Status, x.Output, want)
		}
	}
}
