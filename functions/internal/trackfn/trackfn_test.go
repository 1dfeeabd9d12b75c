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
		// The confirm step's, as the template sets them.
		"TOKEN_SECRET": "bG9jYWwtb25seS10b2tlbi1zZWNyZXQtMzItYnl0ZXMhIQ==", "PUBLIC_BASE_URL": "https://kaiban.example.cn",
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	for _, st := range tracks.Steps {
		if !st.Own() {
			continue // another bootstrap's
		}
		getenv := func(k string) string {
			if k == "KAIBAN_STEP" {
				return st.Name
			}
			return env[k]
		}
		if h, err := Build(context.Background(), getenv, io.Discard); err != nil || h == nil {
			t.Errorf("%s: %v", st.Name, err)
		}
	}
	env["KAIBAN_STEP"] = tracks.FnIdentity
	bad := []struct {
		name string
		env  map[string]string
	}{
		{"unknown step", withStep(env, "nosuch")},
		{"no step", withStep(env, "")},
		{"another bootstrap's step", withStep(env, tracks.FnDocuments)},
		{"no table", map[string]string{"KAIBAN_STEP": "identity", "KAIBAN_AGENCY_URL": "http://127.0.0.1:1"}},
		{"no agencies", map[string]string{"KAIBAN_STEP": "identity", "TABLE_NAME": "t"}},
		{"short PII key", map[string]string{"KAIBAN_STEP": "identity", "TABLE_NAME": "t", "KAIBAN_AGENCY_URL": "http://127.0.0.1:1", "PII_KEY": "short", "AUDIT_KEY": env["AUDIT_KEY"]}},
		{"no audit key", map[string]string{"KAIBAN_STEP": "identity", "TABLE_NAME": "t", "KAIBAN_AGENCY_URL": "http://127.0.0.1:1"}},
		{"confirm without the token secret", withStep(without(env, "TOKEN_SECRET"), tracks.FnConfirm)},
	}
	for _, b := range bad {
		_, err := Build(context.Background(), func(k string) string { return b.env[k] }, io.Discard)
		if !kaiban.IsName(err, kaiban.ErrConfig) {
			t.Errorf("%s with %v: got %v, want %s", b.name, b.env, err, kaiban.ErrConfig)
		}
	}
}

func withStep(env map[string]string, step string) map[string]string {
	out := map[string]string{"KAIBAN_STEP": step}
	for k, v := range env {
		if k != "KAIBAN_STEP" {
			out[k] = v
		}
	}
	return out
}

func without(env map[string]string, key string) map[string]string {
	out := map[string]string{}
	for k, v := range env {
		if k != key {
			out[k] = v
		}
	}
	return out
}
