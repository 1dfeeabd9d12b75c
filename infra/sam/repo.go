package sam

import (
	"os"
	"path/filepath"
)

// Repo is what the cross-checks read from a repository: the files as bytes
// (so a test can break a copy) and the needs derived from the code.
type Repo struct {
	Template   []byte
	Definition []byte // DefinitionUri of the state machine
	Makefile   []byte
	// Folders lists the functions/ folders that hold a main.go.
	Folders []string
	// Events maps a folder to its infra/events/<folder>.json, nil if absent.
	Events map[string][]byte
	// EnvDocs maps a folder to the environment variables its code
	// documents (and so reads).
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
	if r.Folders, err = FunctionFolders(root); err != nil {
		return nil, err
	}
	for _, f := range r.Folders {
		if b, err := os.ReadFile(filepath.Join(root, "infra", "events", f+".json")); err == nil {
			r.Events[f] = b
		}
		kind, _, err := mainKind(filepath.Join(root, "functions", f, "main.go"))
		if err != nil {
			return nil, err
		}
		doc := filepath.Join(root, "functions", f, "main.go")
		if kind == trackfnImport {
			doc = filepath.Join(root, "functions", "internal", "trackfn", "trackfn.go")
		}
		if r.EnvDocs[f], err = documentedEnv(doc); err != nil {
			return nil, err
		}
	}
	if r.Needs, err = LoadNeeds(root); err != nil {
		return nil, err
	}
	return r, nil
}
