package trackfn

import (
	"context"
	"io"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/tracks"
)

// Every function the template deploys builds from a complete environment,
// and a missing or wrong setting is a clear configuration error at start,
// not a failure on the first invocation.
func TestBuild(t *testing.T) {
	env := map[string]string{
		"TABLE_NAME": "kaiban", "KAIBAN_AGENCY_URL": "http://127.0.0.1:1", "AWS_REGION": "cn-north-1",
		"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y",
		"AUDIT_KEY": "YXVkaXQta2V5LW9mLXRoZS10cmFjay1mdW5jdGlvbnMtdGVzdA==",
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	getenv := func(k string) string { return env[k] }
	names := []string{tracks.FnIdentity, tracks.FnReserve, tracks.FnEscalate, tracks.FnCompensate, tracks.FnFinalize, tracks.FnWatchdog}
	for _, fn := range tracks.TrackFunctions {
		names = append(names, fn)
	}
	for _, name := range names {
		if h, err := Build(context.Background(), name, getenv, io.Discard); err != nil || h == nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := []struct {
		name string
		env  map[string]string
	}{
		{"unknown function", env},
		{"identity", map[string]string{"KAIBAN_AGENCY_URL": "http://127.0.0.1:1"}},
		{"identity", map[string]string{"TABLE_NAME": "t"}},
		{"identity", map[string]string{"TABLE_NAME": "t", "KAIBAN_AGENCY_URL": "http://127.0.0.1:1", "PII_KEY": "short", "AUDIT_KEY": env["AUDIT_KEY"]}},
		{"identity", map[string]string{"TABLE_NAME": "t", "KAIBAN_AGENCY_URL": "http://127.0.0.1:1"}}, // no AUDIT_KEY
	}
	for _, b := range bad {
		_, err := Build(context.Background(), b.name, func(k string) string { return b.env[k] }, io.Discard)
		if !kaiban.IsName(err, kaiban.ErrConfig) {
			t.Errorf("%s with %v: got %v, want %s", b.name, b.env, err, kaiban.ErrConfig)
		}
	}
}
