package lambdafn

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func TestWrapReportsStableNames(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantType string
		wantMsg  string
	}{
		{"domain error", kaiban.Errorf(kaiban.ErrAgencyUnavailable, "tax bureau busy"), "Agency.Unavailable", "tax bureau busy"},
		{"wrapped domain error", kaiban.Wrap(kaiban.ErrAgencyRejected, errors.New("HTTP 422 from 10.0.0.1"), "seal shop rejected"), "Agency.Rejected", "seal shop rejected"},
		{"foreign error hides details", errors.New("dial tcp 10.1.2.3:5432: secret"), "Internal", "internal error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := Wrap(func(context.Context, json.RawMessage) (json.RawMessage, error) { return nil, tt.err })
			_, err := h(context.Background(), nil)
			var ie messages.InvokeResponse_Error
			if !errors.As(err, &ie) {
				t.Fatalf("error %T is not an InvokeResponse_Error", err)
			}
			if ie.Type != tt.wantType || ie.Message != tt.wantMsg {
				t.Fatalf("got %q/%q, want %q/%q", ie.Type, ie.Message, tt.wantType, tt.wantMsg)
			}
		})
	}
	ok := Wrap(func(context.Context, json.RawMessage) (json.RawMessage, error) {
		return json.RawMessage(`{"a":1}`), nil
	})
	if out, err := ok(context.Background(), nil); err != nil || string(out) != `{"a":1}` {
		t.Fatalf("success passes through: %s %v", out, err)
	}
}
