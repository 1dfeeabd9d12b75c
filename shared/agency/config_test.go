package agency

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func TestLoadConfigExample(t *testing.T) {
	f, err := os.Open("../../infra/agencies.example.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	c, err := LoadConfig(f)
	if err != nil {
		t.Fatalf("the example configuration does not load: %v", err)
	}
	if c.Timeout != 8*time.Second {
		t.Errorf("timeout = %v, want 8s", c.Timeout)
	}
	tests := []struct {
		kind   kaiban.AgencyKind
		region string
		want   string
	}{
		{kaiban.AgencySeal, "210202", "https://dl.example.gov.cn/seal"},          // Dalian override
		{kaiban.AgencySeal, "210102", "https://sy.example.gov.cn/seal"},          // Shenyang override
		{kaiban.AgencyBank, "210202", "https://gateway.example.gov.cn/bank"},     // not overridden
		{kaiban.AgencySeal, "211302", "https://gateway.example.gov.cn/seal"},     // Chaoyang: no city entry
		{kaiban.AgencySeal, "110105", "https://gateway.example.gov.cn/seal"},     // outside Liaoning
		{kaiban.AgencyIdentity, "", "https://gateway.example.gov.cn/identity"},   // no region
		{kaiban.AgencyFund, "210102", "https://sy.example.gov.cn/fund"},          // Shenyang fund
		{kaiban.AgencyMarket, "210102", "https://gateway.example.gov.cn/market"}, // province-wide
		{kaiban.AgencyMedical, "210203", "https://dl.example.gov.cn/medical"},    // another Dalian district
		{kaiban.AgencyKind("nope"), "210102", ""},                                // unknown kind
	}
	for _, tt := range tests {
		got, err := c.Endpoint(tt.kind, tt.region)
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("Endpoint(%s, %q) = %q, %v; want %q", tt.kind, tt.region, got, err, tt.want)
		}
	}
}

func TestLoadConfigRejectsBadConfigurations(t *testing.T) {
	full := `"identity":"http://a/i","market":"http://a/m","seal":"http://a/s","tax":"http://a/t","social":"http://a/so","medical":"http://a/me","fund":"http://a/f","bank":"http://a/b"`
	tests := []struct {
		name, json string
	}{
		{"not JSON", `{`},
		{"unknown field", `{"default":{` + full + `},"retries":3}`},
		{"unknown agency", `{"default":{` + full + `,"police":"http://a/p"}}`},
		{"default misses an agency", `{"default":{"identity":"http://a/i"}}`},
		{"relative URL", `{"default":{` + strings.Replace(full, "http://a/b", "/b", 1) + `}}`},
		{"ftp URL", `{"default":{` + strings.Replace(full, "http://a/b", "ftp://a/b", 1) + `}}`},
		{"bad city code", `{"default":{` + full + `},"cities":{"Dalian":{"seal":"http://d/s"}}}`},
		{"bad city URL", `{"default":{` + full + `},"cities":{"2102":{"seal":"d/s"}}}`},
		{"bad timeout", `{"default":{` + full + `},"timeout":"soon"}`},
		{"negative timeout", `{"default":{` + full + `},"timeout":"-1s"}`},
		{"trailing data", `{"default":{` + full + `}} {}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadConfig(strings.NewReader(tt.json))
			if !kaiban.IsName(err, kaiban.ErrConfig) {
				t.Errorf("LoadConfig = %v, want %s", err, kaiban.ErrConfig)
			}
		})
	}
}

func TestConfigFromEnv(t *testing.T) {
	file := filepath.Join(t.TempDir(), "agencies.json")
	example, err := os.ReadFile("../../infra/agencies.example.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, example, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		env         map[string]string
		wantErr     bool
		wantTimeout time.Duration
		wantSeal    string // endpoint for a Dalian address
	}{
		{"file", map[string]string{EnvConfigFile: file}, false, 8 * time.Second, "https://dl.example.gov.cn/seal"},
		{"file with timeout override", map[string]string{EnvConfigFile: file, EnvTimeout: "2s"}, false, 2 * time.Second, "https://dl.example.gov.cn/seal"},
		{"single base URL", map[string]string{EnvBaseURL: "http://127.0.0.1:8090/"}, false, DefaultTimeout, "http://127.0.0.1:8090/seal"},
		{"nothing set", map[string]string{}, true, 0, ""},
		{"missing file", map[string]string{EnvConfigFile: filepath.Join(t.TempDir(), "none.json")}, true, 0, ""},
		{"bad timeout", map[string]string{EnvBaseURL: "http://127.0.0.1:8090", EnvTimeout: "ten"}, true, 0, ""},
		{"bad base URL", map[string]string{EnvBaseURL: "127.0.0.1:8090"}, true, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr {
				if !kaiban.IsName(err, kaiban.ErrConfig) {
					t.Errorf("ConfigFromEnv = %v, want %s", err, kaiban.ErrConfig)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.timeout(); got != tt.wantTimeout {
				t.Errorf("timeout = %v, want %v", got, tt.wantTimeout)
			}
			if got, _ := c.Endpoint(kaiban.AgencySeal, "210202"); got != tt.wantSeal {
				t.Errorf("seal endpoint = %q, want %q", got, tt.wantSeal)
			}
		})
	}
}

func TestNewClientsRejectsInvalidConfig(t *testing.T) {
	if _, err := NewClients(Config{}, nil); !kaiban.IsName(err, kaiban.ErrConfig) {
		t.Errorf("NewClients(empty) = %v, want %s", err, kaiban.ErrConfig)
	}
}
