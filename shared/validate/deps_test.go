package validate_test

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The api function links this package and must stay under its 10 MB
// bootstrap budget: a general validation library brings some 150 rules
// and what they need (MIME sniffing, URN and language-tag parsers), about
// 1 MB of the bootstrap, for the dozen rules the form uses.
func TestLinksNoValidationLibrary(t *testing.T) {
	goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
	out, err := exec.CommandContext(t.Context(), goTool, "list", "-deps", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	heavy := []string{"github.com/go-playground/", "github.com/gabriel-vasile/mimetype",
		"github.com/leodido/go-urn", "golang.org/x/text/language"}
	for _, dep := range strings.Fields(string(out)) {
		for _, h := range heavy {
			if strings.HasPrefix(dep, h) {
				t.Errorf("links %s", dep)
			}
		}
	}
}
