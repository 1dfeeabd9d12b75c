package awsenv

import (
	"context"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

func TestConfigFromTheLambdaEnvironment(t *testing.T) {
	env := map[string]string{"AWS_REGION": "cn-north-1", "AWS_ACCESS_KEY_ID": "AKID", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "tok",
		"AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:5000", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"}
	getenv := func(k string) string { return env[k] }
	cfg, err := Config(getenv)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := cfg.Credentials.Retrieve(context.Background())
	if err != nil || cfg.Region != "cn-north-1" || creds.AccessKeyID != "AKID" || creds.SessionToken != "tok" {
		t.Fatalf("config %+v creds %+v err %v", cfg.Region, creds, err)
	}
	if got := *Endpoint(getenv, "DYNAMODB"); got != "http://127.0.0.1:5000" {
		t.Errorf("service endpoint %s", got)
	}
	if got := *Endpoint(getenv, "SFN"); got != "http://127.0.0.1:9" {
		t.Errorf("global endpoint %s", got)
	}
	if Endpoint(func(string) string { return "" }, "SFN") != nil {
		t.Error("no override means the regional endpoint")
	}
	if _, err := Config(func(string) string { return "" }); !kaiban.IsName(err, kaiban.ErrConfig) {
		t.Fatalf("missing environment: %v", err)
	}
}
