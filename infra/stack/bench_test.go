package stack

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/infra/sim"
	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/validate"
)

// BenchmarkOrchestration measures what Kaiban itself adds per application:
// the engine running the real definition, the real handlers, the SQLite
// store and the agency clients over loopback HTTP to zero-latency
// simulators. It reports p50/p99 per application and the state transitions
// per application (what AWS Step Functions Standard bills).
func BenchmarkOrchestration(b *testing.B) {
	ctx := context.Background()
	st, err := Start(ctx, Config{DataDir: b.TempDir(), Profile: sim.Instant(), WatchdogEvery: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	body, err := os.ReadFile("../examples/valid-llc.json")
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now()
	form, err := validate.New().Check(body, now, validate.LangZH)
	if err != nil {
		b.Fatal(err)
	}
	durations := make([]time.Duration, 0, b.N)
	transitions := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id := fmt.Sprintf("KBBENCH%08d", i)
		t0 := time.Now()
		if _, err := st.Store.CreateApplication(ctx, kaiban.CreateRequest{Application: kaiban.Application{
			ID: id, Status: kaiban.AppSubmitted, Form: form, SubmittedAt: now, Deadline: now.Add(kaiban.DeadlineAfterSubmission),
		}, AccessTokenHash: kaiban.HashToken(id)}); err != nil {
			b.Fatal(err)
		}
		exec, err := st.Engine.StartExecution(ctx, st.StateMachineArn, id, `{"applicationId":"`+id+`"}`)
		if err != nil {
			b.Fatal(err)
		}
		done, err := st.Engine.Wait(ctx, exec.Arn)
		if err != nil || done.Status != "SUCCEEDED" {
			b.Fatalf("execution %s: %v %s %s", done.Status, err, done.Error, done.Cause)
		}
		durations = append(durations, time.Since(t0))
		if i == 0 {
			hist, err := st.Engine.GetExecutionHistory(ctx, exec.Arn)
			if err != nil {
				b.Fatal(err)
			}
			for _, e := range hist {
				if strings.HasSuffix(e.Type, "StateEntered") {
					transitions++
				}
			}
		}
	}
	b.StopTimer()
	sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
	pct := func(p float64) float64 {
		return float64(durations[int(p*float64(len(durations)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(transitions), "transitions/app")
	b.ReportMetric(float64(transitions)*0.025, "USD-per-1000-apps")
}
