package expr

import (
	"slices"
)

// Get selects from doc. A definite path returns the selected node; an
// indefinite one (wildcards, slices, unions, filters, ..) returns a list of
// the nodes it selects, possibly empty. A path that selects nothing (a
// missing member or index before any indefinite selector) fails with
// States.Runtime, naming field, the definition field the path came from
// (e.g. "InputPath", "key.$").
//
// The result may share structure with doc; see the package documentation.
func (p *Path) Get(doc any, field string) (any, error) {
	if v, ok := p.lookup(doc); ok {
		return v, nil
	}
	return nil, p.notFound(doc, field)
}

func (p *Path) notFound(doc any, field string) *Error {
	return runtimeErr("The JSONPath '" + p.text + "' specified for the field '" + field +
		"' could not be found in the input '" + encodeString(doc) + "'")
}

// lookup is Get without the error: ok is false when a definite step
// selects nothing.
func (p *Path) lookup(doc any) (any, bool) {
	if p.simple {
		return p.lookupSimple(doc)
	}
	visits := new(int)
	return p.lookupBudget(doc, visits)
}

// lookupSimple walks a path of plain .name and [n] steps, allocation free.
func (p *Path) lookupSimple(doc any) (any, bool) {
	node := doc
	for i := range p.segs {
		var ok bool
		if node, ok = step(node, &p.segs[i]); !ok {
			return nil, false
		}
	}
	return node, true
}

// lookupBudget is lookup counting node visits in *visits, shared with the
// evaluation that runs it (a filter's operand paths), so nested filters
// and deep scans together stay within maxVisits.
func (p *Path) lookupBudget(doc any, visits *int) (any, bool) {
	if p.simple {
		return p.lookupSimple(doc)
	}
	w := walker{p: p, root: doc, visits: visits}
	w.walk(doc, 0)
	if p.IsDefinite() {
		if w.missing {
			return nil, false
		}
		if len(w.out) == 0 {
			return nil, false
		}
		return w.out[0], true
	}
	if w.out == nil || w.missing {
		// An indefinite path selects nothing from a missing member, as
		// AWS's Jayway JSONPath does: [*] or a slice of a missing array
		// is [].
		w.out = []any{}
	}
	return w.out, true
}

// step applies a plain .name or [n] selector.
func step(node any, s *segment) (any, bool) {
	if s.kind == selName {
		m, ok := node.(*Object)
		if !ok {
			return nil, false
		}
		return m.Get(s.name)
	}
	a, ok := node.([]any)
	if !ok {
		return nil, false
	}
	i := s.index
	if i < 0 {
		i += len(a)
	}
	if i < 0 || i >= len(a) {
		return nil, false
	}
	return a[i], true
}

// walker evaluates the general case, collecting selected nodes in out.
type walker struct {
	p       *Path
	root    any
	out     []any
	missing bool
	visits  *int
}

// maxVisits bounds the work of one evaluation (deep scans of huge inputs
// with nested filters); past it the walk stops with what it has. A 256 KiB
// Step Functions payload has well under 100,000 nodes, so any path without
// nested filters stays far below it.
const maxVisits = 1 << 20

func (w *walker) walk(node any, i int) {
	if w.missing {
		return
	}
	if *w.visits++; *w.visits > maxVisits {
		return
	}
	if i == len(w.p.segs) {
		w.out = append(w.out, node)
		return
	}
	s := &w.p.segs[i]
	if s.deep {
		w.deep(node, s, i)
		return
	}
	w.apply(node, s, i)
}

// deep applies s to node and to every node below it, in document order
// (object members in their order).
func (w *walker) deep(node any, s *segment, i int) {
	if *w.visits++; *w.visits > maxVisits {
		return
	}
	w.apply(node, s, i)
	switch x := node.(type) {
	case *Object:
		for _, m := range x.Members() {
			w.deep(m.Value, s, i)
		}
	case []any:
		for _, e := range x {
			w.deep(e, s, i)
		}
	}
}

// apply applies the selector s (segment i) to node and walks on.
func (w *walker) apply(node any, s *segment, i int) {
	inPrefix := i < w.p.firstIndefinite && !s.deep
	switch s.kind {
	case selName, selIndex:
		v, ok := step(node, s)
		if !ok {
			if inPrefix {
				w.missing = true
			}
			return
		}
		w.walk(v, i+1)
	case selWildcard:
		switch x := node.(type) {
		case *Object:
			for _, m := range x.Members() {
				w.walk(m.Value, i+1)
			}
		case []any:
			for _, e := range x {
				w.walk(e, i+1)
			}
		}
	case selSlice:
		a, ok := node.([]any)
		if !ok {
			return
		}
		from, to := sliceBounds(s, len(a))
		for j := from; j < to; j++ {
			w.walk(a[j], i+1)
		}
	case selIndexes:
		a, ok := node.([]any)
		if !ok {
			return
		}
		for _, j := range s.indexes {
			if j < 0 {
				j += len(a)
			}
			if j >= 0 && j < len(a) {
				w.walk(a[j], i+1)
			}
		}
	case selNames:
		m, ok := node.(*Object)
		if !ok {
			if inPrefix {
				w.missing = true
			}
			return
		}
		if i == len(w.p.segs)-1 {
			// Jayway merges a multi-name leaf into one object of the
			// members present.
			merged := make([]Member, 0, len(s.names))
			for _, n := range s.names {
				if v, ok := m.Get(n); ok {
					merged = append(merged, Member{Key: n, Value: v})
				}
			}
			w.out = append(w.out, NewObject(merged))
			return
		}
		for _, n := range s.names {
			if v, ok := m.Get(n); ok {
				w.walk(v, i+1)
			}
		}
	case selFilter:
		switch x := node.(type) {
		case []any:
			for _, e := range x {
				if s.filter.test(e, w.root, w.visits) {
					w.walk(e, i+1)
				}
			}
		case *Object:
			if s.filter.test(x, w.root, w.visits) {
				w.walk(x, i+1)
			}
		}
	}
}

// sliceBounds resolves [a:b] against a length, negative bounds counting
// from the end, clamped to the array.
func sliceBounds(s *segment, n int) (int, int) {
	from, to := 0, n
	if s.hasStart {
		from = s.start
		if from < 0 {
			from += n
		}
	}
	if s.hasEnd {
		to = s.end
		if to < 0 {
			to += n
		}
	}
	from = max(0, min(from, n))
	to = max(0, min(to, n))
	if to < from {
		to = from
	}
	return from, to
}

// sortedKeys returns an object's keys sorted, for checks whose messages
// must not depend on member order.
func sortedKeys(o *Object) []string {
	keys := o.Keys()
	slices.Sort(keys)
	return keys
}
