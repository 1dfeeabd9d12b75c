package expr

import "strconv"

// Set returns doc with value placed at the path, as ResultPath does: "$"
// replaces the whole document, missing objects along the way are created,
// and an existing member or array element is replaced. When the document
// does not have the shape the path needs (a member of a non-object, an
// index past the end of an array) it fails with
// States.ResultPathMatchFailure.
//
// doc is never modified: the objects and arrays along the path are copied
// (shallowly) and everything else is shared with doc.
func (p *Path) Set(doc any, value any) (any, error) {
	if p.context {
		return nil, p.setFailure(doc)
	}
	for i := range p.segs {
		if s := &p.segs[i]; s.deep || (s.kind != selName && s.kind != selIndex) {
			return nil, p.setFailure(doc)
		}
	}
	v, ok := setAt(doc, p.segs, value)
	if !ok {
		return nil, p.setFailure(doc)
	}
	return v, nil
}

func (p *Path) setFailure(doc any) *Error {
	return &Error{Name: ErrResultPathMatchFailure,
		Cause: "Unable to apply ReplacementPath " + strconv.Quote(p.text) + " to input " + strconv.Quote(encodeString(doc))}
}

// setAt returns a copy of node with value at segs; node may be absent
// (a missing member), in which case an object is created
// when the next step is a member name.
func setAt(node any, segs []segment, value any) (any, bool) {
	if len(segs) == 0 {
		return value, true
	}
	s := &segs[0]
	if s.kind == selName {
		m, ok := node.(*Object)
		if !ok {
			return nil, false
		}
		child, present := m.Get(s.name)
		if !present && len(segs) > 1 {
			if segs[1].kind != selName {
				return nil, false
			}
			child = EmptyObject()
		}
		v, ok := setAt(child, segs[1:], value)
		if !ok {
			return nil, false
		}
		return m.With(s.name, v), true
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
	v, ok := setAt(a[i], segs[1:], value)
	if !ok {
		return nil, false
	}
	out := make([]any, len(a))
	copy(out, a)
	out[i] = v
	return out, true
}
