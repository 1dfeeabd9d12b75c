package sam

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// CallGraph is a package's static call graph, coarse on purpose: a node is
// a function ("f") or a method ("T.M"); an edge goes to each package
// function and each method of the same receiver a body calls or takes as a
// value (closures count for their enclosing function). Every call on a
// field of the receiver (s.store.GetApplication) is recorded as the
// external call "store.GetApplication", and so is a call on a parameter
// of type Store or kaiban.Store (the helpers in shared/kaiban that take the
// store); a use of another package's function (kaiban.MutateTrackAudited)
// is recorded as the external "kaiban.MutateTrackAudited". That is enough
// to answer which dependencies a handler can reach without type-checking
// the module, and it errs on the side of more calls, never fewer.
type CallGraph struct {
	edges     map[string]map[string]bool
	externals map[string]map[string]bool
}

// LoadCallGraph parses the non-test Go files of dir.
func LoadCallGraph(dir string) (*CallGraph, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	g := &CallGraph{edges: map[string]map[string]bool{}, externals: map[string]map[string]bool{}}
	var files []*ast.File
	funcs := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		files = append(files, f)
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil {
				funcs[fd.Name.Name] = true
			}
		}
	}
	for _, f := range files {
		imports := importNames(f)
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			g.addDecl(fd, funcs, imports)
		}
	}
	return g, nil
}

// importNames returns the names a file's imports are used by.
func importNames(f *ast.File) map[string]bool {
	out := map[string]bool{}
	for _, im := range f.Imports {
		p, err := strconv.Unquote(im.Path.Value)
		if err != nil {
			continue
		}
		name := p[strings.LastIndex(p, "/")+1:]
		if im.Name != nil {
			name = im.Name.Name
		}
		out[name] = true
	}
	return out
}

// storeParams returns the names of fd's parameters whose type is Store or
// kaiban.Store.
func storeParams(fd *ast.FuncDecl) map[string]bool {
	out := map[string]bool{}
	for _, field := range fd.Type.Params.List {
		isStore := false
		switch t := field.Type.(type) {
		case *ast.Ident:
			isStore = t.Name == "Store"
		case *ast.SelectorExpr:
			pkg, ok := t.X.(*ast.Ident)
			isStore = ok && pkg.Name == "kaiban" && t.Sel.Name == "Store"
		}
		for _, n := range field.Names {
			if isStore {
				out[n.Name] = true
			}
		}
	}
	return out
}

func (g *CallGraph) addDecl(fd *ast.FuncDecl, funcs, imports map[string]bool) {
	key, recv, typ := fd.Name.Name, "", ""
	if fd.Recv != nil && len(fd.Recv.List) == 1 {
		typ = receiverType(fd.Recv.List[0].Type)
		key = typ + "." + fd.Name.Name
		if names := fd.Recv.List[0].Names; len(names) == 1 {
			recv = names[0].Name
		}
	}
	edges, ext := map[string]bool{}, map[string]bool{}
	g.edges[key], g.externals[key] = edges, ext
	stores := storeParams(fd)
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			if funcs[n.Name] {
				edges[n.Name] = true
			}
		case *ast.SelectorExpr:
			switch x := n.X.(type) {
			case *ast.Ident:
				switch {
				case recv != "" && x.Name == recv: // recv.M: a method of the same receiver
					edges[typ+"."+n.Sel.Name] = true
				case stores[x.Name]: // s.M on a Store parameter
					ext["store."+n.Sel.Name] = true
				case imports[x.Name]: // pkg.F: another package's function
					ext[x.Name+"."+n.Sel.Name] = true
				}
			case *ast.SelectorExpr: // recv.field.M: a dependency's method
				if id, ok := x.X.(*ast.Ident); ok && recv != "" && id.Name == recv {
					ext[x.Sel.Name+"."+n.Sel.Name] = true
				}
				// recv.field.part.M: a method of a dependency's part
				// (s.confirm.Store.ListConfirmations → "confirm.Store.ListConfirmations").
				if inner, ok := x.X.(*ast.SelectorExpr); ok {
					if id, ok := inner.X.(*ast.Ident); ok && recv != "" && id.Name == recv {
						ext[inner.Sel.Name+"."+x.Sel.Name+"."+n.Sel.Name] = true
					}
				}
			}
		}
		return true
	})
}

func receiverType(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.StarExpr:
		return receiverType(t.X)
	case *ast.IndexExpr: // generic receiver T[P]
		return receiverType(t.X)
	case *ast.Ident:
		return t.Name
	}
	return ""
}

// Has reports whether the graph has a node called key.
func (g *CallGraph) Has(key string) bool {
	_, ok := g.edges[key]
	return ok
}

// Reachable returns the external calls ("field.Method") reachable from the
// node start, sorted.
func (g *CallGraph) Reachable(start string) []string {
	seen, ext := map[string]bool{}, map[string]bool{}
	var walk func(string)
	walk = func(k string) {
		if seen[k] {
			return
		}
		seen[k] = true
		for e := range g.externals[k] {
			ext[e] = true
		}
		for next := range g.edges[k] {
			walk(next)
		}
	}
	walk(start)
	return sortedKeys(ext)
}

// AllExternal returns every external call on the given field anywhere in
// the package, as method names, sorted.
func (g *CallGraph) AllExternal(field string) []string {
	out := map[string]bool{}
	for _, ext := range g.externals {
		for e := range ext {
			if f, m, ok := strings.Cut(e, "."); ok && f == field {
				out[m] = true
			}
		}
	}
	return sortedKeys(out)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
