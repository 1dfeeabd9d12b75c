package sfnapi_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"testing"
	"time"
)

// TestAWSCLI: `aws stepfunctions --endpoint-url` works against the local
// API, so ops can poke at the local stack with the tool they use on AWS.
func TestAWSCLI(t *testing.T) {
	awsPath, err := exec.LookPath("aws")
	if err != nil {
		t.Skip("skipping: the aws CLI is not installed (PATH has no `aws`)")
	}
	if testing.Short() {
		t.Skip("skipping: the aws CLI takes about a second per call; not run with -short")
	}
	s := newStack(t)
	url := serve(t, s.eng).URL
	home := t.TempDir()
	cli := func(args ...string) map[string]any {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, awsPath, append([]string{"stepfunctions", "--endpoint-url", url, "--output", "json"}, args...)...)
		// A hermetic environment: dummy credentials (the API ignores
		// signatures), no shared config from the machine's user.
		cmd.Env = []string{
			"PATH=" + os.Getenv("PATH"), "HOME=" + home,
			"AWS_ACCESS_KEY_ID=AKIDLOCAL", "AWS_SECRET_ACCESS_KEY=local-secret", "AWS_DEFAULT_REGION=us-east-1",
			"AWS_CONFIG_FILE=" + home + "/config", "AWS_SHARED_CREDENTIALS_FILE=" + home + "/credentials",
			"AWS_PAGER=",
		}
		out, err := cmd.Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("aws %v: %v\n%s", args, err, stderr)
		}
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatalf("aws %v printed %q", args, out)
		}
		return m
	}
	created := cli("create-state-machine", "--name", "hello", "--role-arn", "arn:aws:iam::123456789012:role/sfn",
		"--definition", `{"StartAt":"Hi","States":{"Hi":{"Type":"Pass","Result":"hello","ResultPath":"$.greeting","End":true}}}`)
	started := cli("start-execution", "--state-machine-arn", created["stateMachineArn"].(string), "--name", "first", "--input", `{"to":"world"}`)
	arn := started["executionArn"].(string)
	if _, err := s.eng.Wait(context.Background(), arn); err != nil {
		t.Fatal(err)
	}
	got := cli("describe-execution", "--execution-arn", arn)
	var output map[string]string
	outStr, _ := got["output"].(string)
	if err := json.Unmarshal([]byte(outStr), &output); err != nil || got["status"] != "SUCCEEDED" || output["to"] != "world" || output["greeting"] != "hello" {
		t.Errorf("describe-execution = %v", got)
	}
}
