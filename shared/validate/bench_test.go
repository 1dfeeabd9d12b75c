package validate_test

import (
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/validate"
)

// BenchmarkValidateExample validates the decoded valid example: the rules
// alone. Budget: ≤ 100 µs per form.
func BenchmarkValidateExample(b *testing.B) {
	f := validForm(b)
	b.ReportAllocs()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		if err := shared.Validate(&f, submitted, validate.LangZH); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckExample is what a submission costs: strict decode, then
// validation.
func BenchmarkCheckExample(b *testing.B) {
	body := mustExample(b, "valid-llc.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	defer reportCPU(b, processCPU())
	for b.Loop() {
		if _, err := shared.Check(body, submitted, validate.LangZH); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckFiveFaults includes building and translating five errors.
func BenchmarkCheckFiveFaults(b *testing.B) {
	body := mustExample(b, "invalid-five-faults.json")
	b.ReportAllocs()
	defer reportCPU(b, processCPU())
	for b.Loop() {
		if _, err := shared.Check(body, submitted, validate.LangEN); err == nil {
			b.Fatal("accepted")
		}
	}
}

// reportCPU adds cpu-ns/op: process CPU time since start per iteration. It
// includes GC work on other threads, which is part of the real cost.
func reportCPU(b *testing.B, start time.Duration) {
	if b.N > 0 {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
	}
}
