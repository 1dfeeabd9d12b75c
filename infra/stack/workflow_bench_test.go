package stack

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/sfnworkflow"
	"github.com/kaiban/kaiban/workflow/engine/sfnapi"
)

// BenchmarkStartExecution is the workflow half of a submission: starting
// an execution (durably recorded) the way the API does, with the engine
// called in process (engineWorkflow, what the stack uses) and, for
// comparison, through aws-sdk-go-v2's client and the engine's Step
// Functions API handler in the same process. Executions fail at once (no
// application is stored), so the figure is the start alone.
func BenchmarkStartExecution(b *testing.B) {
	ctx := context.Background()
	st, err := Start(ctx, Config{DataDir: b.TempDir(), Profile: sim.Instant(), WatchdogEvery: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	sdk := sfnworkflow.New(sfn.New(sfn.Options{
		Region:       "cn-north-1",
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String("http://engine.invalid"),
		HTTPClient:   &http.Client{Transport: inProcess{h: sfnapi.NewHandler(st.Engine)}},
	}), st.StateMachineArn)
	n := 0 // every start is of a new execution, across runs
	for _, v := range []struct {
		name string
		wf   interface {
			StartExecution(context.Context, string) error
		}
	}{
		{"engine=direct", engineWorkflow{eng: st.Engine, machine: st.StateMachineArn}},
		{"engine=sdk+sfnapi", sdk},
	} {
		b.Run(v.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n++
				if err := v.wf.StartExecution(ctx, fmt.Sprintf("KBBENCH%09d", n)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
