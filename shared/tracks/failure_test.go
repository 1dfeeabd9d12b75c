package tracks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/logging"
)

// Every step reports its errors by one policy, wherever it runs: stable
// names and safe messages out, the cause logged once and masked.
func TestStepFailuresAreReportedOnce(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name     string
		ctx      context.Context
		err      error
		wantName string // "" for the error passed through
		wantMsg  string
		wantLog  string // a line the log must hold ("" for none)
		hidden   string // what neither the error nor the log may show
	}{
		{"domain error with a cause", context.Background(),
			kaiban.Wrap(kaiban.ErrAgencyUnavailable, errors.New("dial tcp 10.0.0.1: refused by 210102198503120316"), "the seal agency is unavailable"),
			kaiban.ErrAgencyUnavailable, "the seal agency is unavailable", `"level":"warning"`, "210102198503120316"},
		{"domain error without a cause", context.Background(),
			kaiban.Errorf(kaiban.ErrAgencyRejected, "rejected"), kaiban.ErrAgencyRejected, "rejected", "", ""},
		{"unexpected error", context.Background(),
			errors.New("json: cannot unmarshal number into Go struct field"), kaiban.ErrInternal, "internal error", `"level":"error"`, ""},
		{"the runner stopping", canceled, context.Canceled, "", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			s := New(Deps{Logger: logging.New(&logs, "info")})
			h := s.reporting("seal", func(context.Context, json.RawMessage) (json.RawMessage, error) { return nil, tt.err })
			_, err := h(tt.ctx, nil)
			var ke *kaiban.Error
			switch {
			case tt.wantName == "":
				if err != tt.err {
					t.Fatalf("error = %v, want it passed through", err)
				}
			case !errors.As(err, &ke) || ke.Name != tt.wantName || ke.Message != tt.wantMsg || ke.Err != nil:
				t.Fatalf("error = %#v, want %s %q with no cause", err, tt.wantName, tt.wantMsg)
			}
			lines := strings.Count(logs.String(), "\n")
			switch {
			case tt.wantLog == "" && lines != 0:
				t.Errorf("logged %q, want nothing", logs.String())
			case tt.wantLog != "" && (lines != 1 || !strings.Contains(logs.String(), tt.wantLog) || !strings.Contains(logs.String(), `"function":"seal"`)):
				t.Errorf("log = %q, want one line with %s", logs.String(), tt.wantLog)
			}
			if tt.hidden != "" && (strings.Contains(logs.String(), tt.hidden) || strings.Contains(err.Error(), tt.hidden)) {
				t.Errorf("%q shown: log %q, error %q", tt.hidden, logs.String(), err)
			}
		})
	}
}
