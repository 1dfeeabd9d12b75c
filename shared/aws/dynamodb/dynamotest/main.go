package dynamotest

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// Run is a test binary's TestMain for tests that speak to moto_server
// (DynamoDB, and the SNS, SES, KMS and S3 it serves on the same port): it
// starts the server, runs the tests and stops it. Without a server the
// reason is printed under suite's name and kept in *skipReason for the
// tests to skip with, and under CI (CI set) the binary fails instead.
// *srv is the server while the tests run.
func Run(m *testing.M, suite string, srv **Server, skipReason *string) int {
	s, err := Start(context.Background())
	if err != nil {
		*skipReason = "no moto_server: " + err.Error()
		fmt.Fprintf(os.Stderr, "\n*** %s SKIPPED: %s ***\n\n", suite, *skipReason)
		if os.Getenv("CI") != "" {
			return 1
		}
		return m.Run()
	}
	defer s.Stop()
	*srv = s
	return m.Run()
}
