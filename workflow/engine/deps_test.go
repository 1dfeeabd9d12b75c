package engine

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The engine runs any state machine: neither it nor its subpackages, tests
// included, import anything of Kaiban's shared packages.
func TestImportsNothingOfShared(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.CommandContext(t.Context(), goTool, "list", "-deps", "-test", "./...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps -test ./...: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/kaiban/kaiban/shared/") {
			t.Errorf("the engine links %s", dep)
		}
	}
}
