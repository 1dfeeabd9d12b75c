package dynamodb

import (
	"context"
	"fmt"
	"os"
	"testing"

	ddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/kaiban/kaiban/shared/aws/dynamodb/dynamotest"
)

// server is the DynamoDB-API server of this test binary; nil when none
// could be started (skipReason says why).
var (
	server     *dynamotest.Server
	client     *ddb.Client
	skipReason string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	s, err := dynamotest.Start(context.Background())
	if err != nil {
		skipReason = "no DynamoDB-API server: " + err.Error()
		banner := "\n*** DynamoDB CONTRACT SKIPPED: " + skipReason + " ***\n" +
			"*** install moto (pip install 'moto[server]'), or set " + dynamotest.EnvEndpoint + " ***\n\n"
		fmt.Fprint(os.Stderr, banner)
		if os.Getenv("CI") != "" {
			fmt.Fprintln(os.Stderr, "CI is set: a skipped DynamoDB contract is a failure")
			return 1
		}
		return m.Run()
	}
	defer s.Stop()
	server, client = s, s.Client()
	fmt.Fprintf(os.Stderr, "DynamoDB contract runs against %s at %s\n", s.Name, s.Endpoint)
	return m.Run()
}

// needServer skips (loudly) a test that needs the server when there is
// none; TestMain has already failed the run under CI.
func needServer(tb testing.TB) {
	tb.Helper()
	if server == nil {
		tb.Skip("SKIPPED: " + skipReason)
	}
}
