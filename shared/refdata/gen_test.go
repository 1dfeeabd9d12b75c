package refdata_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// The committed lists are what gen.go writes: a hand edit, or a change of
// the generator or the region table without go generate, fails here.
func TestGeneratedListsAreUpToDate(t *testing.T) {
	dir := t.TempDir()
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	if out, err := exec.CommandContext(t.Context(), goTool, "run", "gen.go", "-out", dir).CombinedOutput(); err != nil {
		t.Fatalf("go run gen.go: %v\n%s", err, out)
	}
	for _, f := range []string{"branches.tsv", "engravers.tsv"} {
		want, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from what gen.go writes; run go generate ./shared/refdata", f)
		}
	}
}
