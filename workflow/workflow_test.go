package workflow

import (
	"bytes"
	"os/exec"
	"regexp"
	"testing"

	"github.com/kaiban/kaiban/workflow/engine"
)

// The committed definition must be exactly what the generator writes, so
// nobody edits one branch by hand and forgets the other six.
func TestDefinitionIsGenerated(t *testing.T) {
	out, err := exec.Command("go", "run", "./internal/gendef").Output()
	if err != nil {
		t.Fatalf("running the generator: %v", err)
	}
	if !bytes.Equal(out, OneStop) {
		t.Fatal("workflow/onestop.asl.json is stale: run `go generate ./workflow`")
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
