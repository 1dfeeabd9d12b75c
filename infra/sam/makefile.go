package sam

import (
	"bufio"
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Makefile holds what a check needs from a Makefile: its simple variables
// and each target's recipe with those variables expanded.
type Makefile struct {
	Vars    map[string]string
	Recipes map[string][]string
}

var (
	makeVar    = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*(\?=|:=|::=|=)\s*(.*)$`)
	makeTarget = regexp.MustCompile(`^([A-Za-z0-9_.%/-]+)\s*:([^=]|$)`)
	makeRef    = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)
)

// ParseMakefile reads variables (NAME = value, :=, ?=) and rules. It is no
// make: conditionals and functions are not evaluated, which the
// build-<LogicalId> targets do not need; Recipe matches pattern rules.
func ParseMakefile(src []byte) *Makefile {
	mf := &Makefile{Vars: map[string]string{}, Recipes: map[string][]string{}}
	var current string
	sc := bufio.NewScanner(bytes.NewReader(src))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "\t") {
			if current != "" {
				mf.Recipes[current] = append(mf.Recipes[current], strings.TrimSpace(line))
			}
			continue
		}
		current = ""
		if m := makeVar.FindStringSubmatch(line); m != nil {
			mf.Vars[m[1]] = m[3]
			continue
		}
		if m := makeTarget.FindStringSubmatch(line); m != nil {
			current = m[1]
			if _, ok := mf.Recipes[current]; !ok {
				mf.Recipes[current] = nil
			}
		}
	}
	return mf
}

// Recipe returns target's recipe with the Makefile's variables expanded,
// and whether the target exists. As in make, an explicit rule wins over a
// pattern rule (build-%Function); of several patterns the one with the
// shortest stem wins. The recipe's $* is not expanded.
func (mf *Makefile) Recipe(target string) (string, bool) {
	lines, ok := mf.Recipes[target]
	if !ok {
		stem := -1
		for pattern, l := range mf.Recipes {
			pre, suf, isPattern := strings.Cut(pattern, "%")
			if !isPattern || len(target) < len(pre)+len(suf) || !strings.HasPrefix(target, pre) || !strings.HasSuffix(target, suf) {
				continue
			}
			if n := len(target) - len(pre) - len(suf); stem < 0 || n < stem {
				stem, lines, ok = n, l, true
			}
		}
		if !ok {
			return "", false
		}
	}
	return mf.expand(strings.Join(lines, "\n"), 0), true
}

func (mf *Makefile) expand(s string, depth int) string {
	if depth > 10 {
		return s
	}
	return makeRef.ReplaceAllStringFunc(s, func(ref string) string {
		name := makeRef.FindStringSubmatch(ref)[1]
		if v, ok := mf.Vars[name]; ok {
			return mf.expand(v, depth+1)
		}
		return ref // ARTIFACTS_DIR and others set by the caller
	})
}

// GoBuildTags returns the -tags value of the go build that builds pkg (as
// written in the recipe, e.g. "./functions/api"), and whether some target
// builds pkg. Tools that build the functions themselves, like
// `make package-test`, take their tags from here so that they measure
// and run the very binaries `sam build` produces.
func (mf *Makefile) GoBuildTags(pkg string) (string, bool) {
	targets := make([]string, 0, len(mf.Recipes))
	for t := range mf.Recipes {
		targets = append(targets, t)
	}
	sort.Strings(targets) // one answer even if two targets build pkg
	for _, t := range targets {
		recipe, _ := mf.Recipe(t)
		for _, line := range strings.Split(recipe, "\n") {
			fields := strings.Fields(line)
			if !slices.Contains(fields, "build") || !slices.Contains(fields, pkg) {
				continue
			}
			return tagsFlag(fields), true
		}
	}
	return "", false
}

// tagsFlag reads "-tags x", "-tags=x" or the "--" spellings from a
// command's fields, without the shell quotes around x.
func tagsFlag(fields []string) string {
	for i, f := range fields {
		name, value, hasValue := strings.Cut(strings.TrimPrefix(f, "-"), "=")
		if name != "-tags" && name != "tags" {
			continue
		}
		if !hasValue && i+1 < len(fields) {
			value = fields[i+1]
		}
		return strings.Trim(value, `'"`)
	}
	return ""
}
