package docfn

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// A function missing its configuration refuses to start, naming what is
// missing; complete configuration builds the handler.
func TestBuildChecksTheEnvironment(t *testing.T) {
	full := map[string]string{"TABLE_NAME": "kaiban", "DOCUMENTS_BUCKET": "docs", "SIGNING_KEY_ID": "arn:aws:kms:ap-east-1:1:key/x",
		"PUBLIC_BASE_URL": "https://kaiban.example.cn", "TOKEN_SECRET": base64.StdEncoding.EncodeToString([]byte(strings.Repeat("s", 32))),
		"AWS_REGION": "ap-east-1", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}
	for _, missing := range []string{"TABLE_NAME", "DOCUMENTS_BUCKET", "SIGNING_KEY_ID", "PUBLIC_BASE_URL", "TOKEN_SECRET"} {
		_, err := Build(t.Context(), func(k string) string {
			if k == missing {
				return ""
			}
			return full[k]
		})
		if !kaiban.IsName(err, kaiban.ErrConfig) || !strings.Contains(err.Error(), missing) {
			t.Errorf("without %s: %v", missing, err)
		}
	}
	h, err := Build(t.Context(), func(k string) string { return full[k] })
	if err != nil || h == nil {
		t.Fatalf("full configuration: %v", err)
	}
}
