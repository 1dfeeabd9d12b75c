package onestop_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The application service, the delivery it runs, the step handlers and
// the domain know no transport: none links the Lambda runtime's event types
// nor the AWS SDK, which belong to the adapters (shared/api,
// shared/sfnworkflow and shared/aws: dynamodb, cloudwatch, lambdafn).
func TestKnowsNoTransport(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	for _, pkg := range []string{".", "../delivery", "../tracks", "../kaiban", "../validate"} {
		out, err := exec.CommandContext(t.Context(), goTool, "list", "-deps", pkg).CombinedOutput()
		if err != nil {
			t.Fatalf("go list -deps %s: %v\n%s", pkg, err, out)
		}
		for _, dep := range strings.Fields(string(out)) {
			for _, banned := range []string{"github.com/aws/aws-lambda-go", "github.com/aws/aws-sdk-go-v2", "github.com/aws/smithy-go"} {
				if dep == banned || strings.HasPrefix(dep, banned+"/") {
					t.Errorf("%s links %s", pkg, dep)
				}
			}
		}
	}
}
