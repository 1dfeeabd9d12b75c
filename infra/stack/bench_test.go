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
	"github.com/kaiban/kaiban/shared/onestop/confirmtest"
	"github.com/kaiban/kaiban/shared/validate"
)

// BenchmarkOrchestration measures what Kaiban itself adds per application,
// one application at a time: the durable engine running the real
// definition, the real handlers, the SQLite store and the agency clients
// against zero-latency simulators. It reports p50/p99 per application and
// the state transitions per application (what AWS Step Functions Standard
// bills).
//
// Two variants: agencies=loopback calls the simulators over loopback HTTP,
// as the local stack does, so the figure includes the simulators' own
// HTTP serving on the same two cores; agencies=direct hands each agency
// request to the simulators' handler in the process (Config.DirectAgencies)
// and so measures only what Kaiban adds: the durable engine, the handlers
// and their HTTP clients' request building, and the store.
func BenchmarkOrchestration(b *testing.B) {
	b.Run("agencies=loopback", func(b *testing.B) { benchOrchestration(b, false) })
	b.Run("agencies=direct", func(b *testing.B) { benchOrchestration(b, true) })
}

func benchOrchestration(b *testing.B, direct bool) {
	ctx := context.Background()
	// The founders sign as their links are sent (inside the confirm
	// step), so the figure includes their signatures but no waiting.
	auto := &confirmtest.AutoSign{}
	st, err := Start(ctx, Config{DataDir: b.TempDir(), Profile: sim.Instant(), WatchdogEvery: -1, DirectAgencies: direct, Notifier: auto})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	auto.Use(st.API.Service(), st.Outbox)
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
