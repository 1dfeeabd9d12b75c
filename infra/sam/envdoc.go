package sam

import (
	"go/parser"
	"go/token"
	"regexp"
	"strings"
)

var envLine = regexp.MustCompile(`^\s+([A-Z][A-Z0-9_]+)\s`)

// documentedEnv returns the variables listed under "Environment:" in the
// package comment of file: the composition roots document every variable
// they read there, so the template can be held to that list.
func documentedEnv(file string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), file, nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return nil, err
	}
	if f.Doc == nil {
		return nil, nil
	}
	var out []string
	in := false
	for _, line := range strings.Split(f.Doc.Text(), "\n") {
		switch {
		case strings.TrimSpace(line) == "Environment:":
			in = true
		case in && strings.TrimSpace(line) == "":
			// blank lines separate the heading from the list
		case in:
			m := envLine.FindStringSubmatch(line + " ")
			if m == nil {
				if !strings.HasPrefix(line, "\t") && !strings.HasPrefix(line, " ") {
					in = false
				}
				continue
			}
			out = append(out, m[1])
		}
	}
	return out, nil
}
