package workflow

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/kaiban/kaiban/workflow/engine"
)

// The committed definition and the template's generated regions must be
// exactly what the generator writes from the catalog of steps, so nobody
// edits one branch or one function by hand and forgets the others.
func TestGeneratedFilesMatchTheCatalog(t *testing.T) {
	dir := t.TempDir()
	committed, err := os.ReadFile("../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := filepath.Join(dir, "template.yaml")
	if err := os.WriteFile(tmpl, committed, 0o644); err != nil {
		t.Fatal(err)
	}
	def := filepath.Join(dir, "onestop.asl.json")
	if out, err := exec.Command("go", "run", "./internal/gendef", "-o", def, "-template", tmpl).CombinedOutput(); err != nil {
		t.Fatalf("running the generator: %v\n%s", err, out)
	}
	for _, f := range []struct {
		name, generated string
		committed       []byte
	}{
		{"workflow/onestop.asl.json", def, OneStop},
		{"template.yaml", tmpl, committed},
	} {
		got, err := os.ReadFile(f.generated)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.committed) {
			t.Errorf("%s is stale: run `go generate ./workflow`", f.name)
		}
	}
}

// Every placeholder in the definition has a function, and every function is
// used, so SAM's DefinitionSubstitutions and the local registry agree.
func TestPlaceholdersMatchFunctions(t *testing.T) {
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\$\{([A-Za-z0-9]+)\}`).FindAllSubmatch(OneStop, -1) {
		name := string(m[1])
		used[name] = true
		if _, ok := Functions[name]; !ok {
			t.Errorf("placeholder ${%s} has no function", name)
		}
	}
	for name := range Functions {
		if !used[name] {
			t.Errorf("function %s is never invoked by the definition", name)
		}
	}
	if len(LocalSubstitutions()) != len(Functions) {
		t.Fatal("LocalSubstitutions must cover every function")
	}
}

// The deployed definition passes the engine's validation (the same checks
// AWS applies: fields, Next targets, reachability, Retry/Catch).
func TestDefinitionIsValid(t *testing.T) {
	if _, err := engine.Parse(OneStop); err != nil {
		t.Fatalf("onestop.asl.json: %v", err)
	}
}
