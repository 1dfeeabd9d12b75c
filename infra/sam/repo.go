package sam

import (
	"os"
	"path/filepath"

	"github.com/kaiban/kaiban/shared/tracks"
)

// Repo is what the cross-checks read from a repository: the files as bytes
// (so a test can break a copy) and the needs derived from the code.
type Repo struct {
	Template   []byte
	Definition []byte // DefinitionUri of the state machine
	Makefile   []byte
	// Events maps a step name to its infra/events/<name>.json, absent if
	// there is none.
	Events map[string][]byte
	// EnvDocs maps what a function runs (a step name, or APIFunction) to
	// the environment variables its composition root documents (and so
	// reads).
	EnvDocs map[string][]string
	Needs   Needs
}

// LoadRepo reads the repository at root.
func LoadRepo(root string) (*Repo, error) {
	r := &Repo{Events: map[string][]byte{}, EnvDocs: map[string][]string{}}
	var err error
	if r.Template, err = os.ReadFile(filepath.Join(root, "template.yaml")); err != nil {
		return nil, err
	}
	if r.Makefile, err = os.ReadFile(filepath.Join(root, "Makefile")); err != nil {
		return nil, err
	}
	t, err := ParseTemplate(r.Template)
	if err != nil {
		return nil, err
	}
	for _, id := range t.OfType("AWS::Serverless::StateMachine") {
		if uri := asString(t.Resources[id].Properties["DefinitionUri"]); uri != "" {
			if r.Definition, err = os.ReadFile(filepath.Join(root, filepath.FromSlash(uri))); err != nil {
				return nil, err
			}
		}
	}
	stepDoc, err := documentedEnv(filepath.Join(root, "functions", "internal", "trackfn", "trackfn.go"))
	if err != nil {
		return nil, err
	}
	docDoc, err := documentedEnv(filepath.Join(root, "functions", "internal", "docfn", "docfn.go"))
	if err != nil {
		return nil, err
	}
	for _, st := range tracks.Steps {
		if b, err := os.ReadFile(filepath.Join(root, "infra", "events", st.Name+".json")); err == nil {
			r.Events[st.Name] = b
		}
		switch st.Program() {
		case tracks.BootstrapDocuments:
			r.EnvDocs[st.Name] = docDoc
		default:
			r.EnvDocs[st.Name] = stepDoc
		}
	}
	if r.EnvDocs[APIFunction], err = documentedEnv(filepath.Join(root, "functions", "api", "main.go")); err != nil {
		return nil, err
	}
	if r.Needs, err = LoadNeeds(root); err != nil {
		return nil, err
	}
	return r, nil
}
