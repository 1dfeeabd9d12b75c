package documents_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kaiban/kaiban/shared/documents"
	"github.com/kaiban/kaiban/shared/kaiban"
)

// TestWriteBundle writes every document of the example LLC and of the
// one-person LLC into $KAIBAN_DOCS_OUT, for looking at them.
func TestWriteBundle(t *testing.T) {
	dir := os.Getenv("KAIBAN_DOCS_OUT")
	if dir == "" {
		t.Skip("set KAIBAN_DOCS_OUT=<dir> to write the rendered bundles there")
	}
	for name, f := range map[string]kaiban.Form{"llc": exampleForm(t), "one": onePersonForm(t)} {
		in := documents.Input{App: completedApp(t, f), VerifyURL: testVerifyURL, IssuedAt: issued}
		docs, err := documents.ForSubmission(in)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range kaiban.Tracks {
			d, err := documents.ForTrack(in, tr)
			if err != nil {
				t.Fatal(tr, err)
			}
			docs = append(docs, d...)
		}
		for _, d := range docs {
			ext := ".pdf"
			if d.MediaType == "image/svg+xml" {
				ext = ".svg"
			}
			p := filepath.Join(dir, name+"-"+string(d.Kind)+d.Key+ext)
			if err := os.WriteFile(p, d.Body, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s %d", p, len(d.Body))
		}
	}
}
