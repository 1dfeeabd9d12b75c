package expr

import (
	"errors"
	"fmt"
)

// Path is a compiled JSONPath in the subset AWS Step Functions accepts
// (it is evaluated there by Jayway JsonPath, whose semantics this follows):
// $, .name, ['name'], [n], [-n], [*], .*, [a:b], [a,b], ['a','b'], ..,
// and filters [?(@.x op v)] / [?(@.x)] with &&, || and !.
//
// A path starting with $$ addresses the context object instead of the
// input; IsContext reports it and callers pick the document accordingly.
// A Path is immutable and safe for concurrent use.
type Path struct {
	text    string
	context bool
	// variable names the workflow variable a $name path starts from.
	variable string
	segs     []segment
	// firstIndefinite is the index of the first segment that can select
	// more or less than one node; len(segs) for a definite path. A missing
	// node before it is an error, after it the node is just skipped.
	firstIndefinite int
	// simple: every segment is a plain .name or [n], so Get can walk
	// without the general evaluator.
	simple bool
}

type selKind uint8

const (
	selName     selKind = iota // .name or ['name']
	selIndex                   // [n], [-n]
	selWildcard                // .* or [*]
	selSlice                   // [a:b]
	selNames                   // ['a','b']
	selIndexes                 // [a,b]
	selFilter                  // [?(...)]
)

type segment struct {
	kind    selKind
	deep    bool // preceded by ..
	name    string
	index   int
	names   []string
	indexes []int
	// slice bounds; hasStart/hasEnd false means open.
	start, end       int
	hasStart, hasEnd bool
	filter           filterExpr
}

// maxPathLen bounds what the compilers accept, so a hostile definition
// cannot make compilation or evaluation arbitrarily expensive.
const maxPathLen = 4096

// CompilePath compiles a JSONPath. Errors describe what is wrong and where.
func CompilePath(p string) (*Path, error) {
	if len(p) > maxPathLen {
		return nil, fmt.Errorf("invalid JSONPath: longer than %d characters", maxPathLen)
	}
	if p == "" || p[0] != '$' {
		return nil, fmt.Errorf("invalid JSONPath %q: must start with '$'", p)
	}
	ps := &pathParser{s: p, i: 1}
	path := &Path{text: p}
	if ps.peek() == '$' {
		path.context = true
		ps.i++
	} else {
		path.variable = ps.variableName()
	}
	segs, err := ps.segments(false)
	if err != nil {
		return nil, fmt.Errorf("invalid JSONPath %q: %w", p, err)
	}
	if ps.i != len(p) {
		return nil, fmt.Errorf("invalid JSONPath %q: unexpected %q at offset %d", p, p[ps.i], ps.i)
	}
	path.setSegments(segs)
	return path, nil
}

// CompileReferencePath compiles a Reference Path (ResultPath, ItemsPath,
// OutputPath and the ...Path comparisons): a path that identifies a
// single node, so only $, .name, ['name'] and [n] are allowed.
func CompileReferencePath(p string) (*Path, error) {
	path, err := CompilePath(p)
	if err != nil {
		return nil, err
	}
	for _, s := range path.segs {
		if s.deep || (s.kind != selName && s.kind != selIndex) {
			return nil, fmt.Errorf("invalid reference path %q: only .name, ['name'] and [index] are allowed (no wildcards, slices, unions, filters or ..)", p)
		}
	}
	return path, nil
}

func (p *Path) setSegments(segs []segment) {
	p.segs = segs
	p.simple = true
	p.firstIndefinite = len(segs)
	for i, s := range segs {
		plain := !s.deep && (s.kind == selName || s.kind == selIndex)
		if !plain {
			p.simple = false
		}
		// A multi-name selection at the leaf merges into one object
		// (Jayway's "merge" case) and so stays definite.
		mergeLeaf := !s.deep && s.kind == selNames && i == len(segs)-1
		if !plain && !mergeLeaf && p.firstIndefinite == len(segs) {
			p.firstIndefinite = i
		}
	}
}

// String returns the path as written.
func (p *Path) String() string { return p.text }

// IsRoot reports whether the path is "$", the whole input.
func (p *Path) IsRoot() bool { return len(p.segs) == 0 && !p.context }

// IsContext reports whether the path starts with $$ and so addresses the
// context object.
func (p *Path) IsContext() bool { return p.context }

// IsDefinite reports whether the path selects at most one node, in which
// case Get returns that node rather than a list.
func (p *Path) IsDefinite() bool { return p.firstIndefinite == len(p.segs) }

var errEndOfPath = errors.New("unexpected end of path")
