package sam

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// validateFnTag finds validator/v10's validateFn in a struct tag.
var validateFnTag = regexp.MustCompile(`validate:"[^"]*\bvalidateFn\b`)

// The functions are built with the validator_novalidatefn tag (Makefile,
// LAMBDA_BUILD): with validateFn compiled in, validator/v10 looks methods
// up by name through reflection, the Go linker then keeps every exported
// method of every type that reaches an interface (all of the SDK clients'
// operations among them), and the api bootstrap grows from 9.5 to 13.9
// MiB, past issue 7's 10 MB budget. Under the tag a validateFn struct tag
// panics at validation time, so no code may use one.
func TestNoValidateFnTags(t *testing.T) {
	for _, dir := range []string{"shared", "functions"} {
		err := filepath.WalkDir(filepath.Join(repoRoot, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if loc := validateFnTag.FindIndex(src); loc != nil {
				line := 1 + strings.Count(string(src[:loc[0]]), "\n")
				t.Errorf("%s:%d uses a validateFn tag, which panics in the Lambda builds (validator_novalidatefn)", path, line)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
