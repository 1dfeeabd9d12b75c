// Package bench holds the engine-versus-peer benchmark (peer.sh): the
// definition, its input and mock config, and the peer's runner. The test
// keeps it self-contained and in step with the engine's own benchmark.
package bench

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSelfContained checks that peer.sh needs nothing outside the
// repository but the peer's npm install, and that the definition and
// input it measures are the ones the engine's Go benchmarks run.
func TestSelfContained(t *testing.T) {
	for _, f := range []string{"bench.asl.json", "bench-jsonata.asl.json", "bench.mock.json", "input.json", "peer.mjs", "peer.sh"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	script, err := os.ReadFile("peer.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, outside := range []string{"../shared", "KAIBAN_SHARED_BENCH"} {
		if bytes.Contains(script, []byte(outside)) {
			t.Errorf("peer.sh refers to %q, outside the repository", outside)
		}
	}
	for _, f := range []string{"bench.asl.json", "bench-jsonata.asl.json", "input.json"} {
		ours, err1 := os.ReadFile(f)
		engine, err2 := os.ReadFile(filepath.Join("..", "..", "workflow", "engine", "testdata", f))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", f, err1, err2)
		}
		if strings.TrimSpace(string(ours)) != strings.TrimSpace(string(engine)) {
			t.Errorf("%s differs from workflow/engine/testdata/%s: the two benchmarks would measure different work", f, f)
		}
	}
}
