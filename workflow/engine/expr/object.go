package expr

import "sync/atomic"

// Object is a JSON object that keeps the order of its members, as Step
// Functions does: members come out in the order they were read (input
// order), and a member added to an object goes after the existing ones
// (insertion order). Outputs, Catch error objects and history carry that
// order, so an Object, not a Go map, is how every JSON object is
// represented in this package and in the engine.
//
// An Object is immutable once built, like every value here: With returns
// a new Object and shares the members' values with the old one. Lookups
// scan the members of small objects (the common case, and cheaper than
// hashing) and use an index built with the object for large ones.
type Object struct {
	members []Member
	index   map[string]int // key → position, only for objects larger than smallObject
	// size caches the length of the object's JSON encoding, plus one (0:
	// not known yet), which the payload limits ask for on every state
	// while most of an output is objects carried over from its input.
	size atomic.Int32
}

// Member is one key and value of an Object.
type Member struct {
	Key   string
	Value any
}

// smallObject is the member count up to which lookups scan the members.
const smallObject = 8

// NewObject makes an Object of members, in their order. It takes
// ownership of the slice. A key given more than once keeps its first
// position and its last value, as decoding such JSON does.
func NewObject(members []Member) *Object {
	if len(members) > smallObject {
		index := make(map[string]int, len(members))
		j := 0
		for _, m := range members {
			if i, dup := index[m.Key]; dup {
				members[i].Value = m.Value
				continue
			}
			index[m.Key] = j
			members[j] = m
			j++
		}
		return &Object{members: members[:j:j], index: index}
	}
	members = dedupeSmall(members)
	return &Object{members: members}
}

// dedupeSmall applies NewObject's rule for repeated keys to a small
// member list, in place.
func dedupeSmall(members []Member) []Member {
	j := 0
outer:
	for _, m := range members {
		for i := range members[:j] {
			if members[i].Key == m.Key {
				members[i].Value = m.Value
				continue outer
			}
		}
		members[j] = m
		j++
	}
	return members[:j:j]
}

// newUniqueObject is NewObject for members whose keys are known to be
// distinct (a compiled template's fields).
func newUniqueObject(members []Member) *Object {
	if len(members) > smallObject {
		return NewObject(members)
	}
	return &Object{members: members}
}

// allocObject returns an object with n zero members to fill in, the
// object and its members in one allocation for small objects (most of
// them): objects are made on every state transition.
func allocObject(n int) *Object {
	switch {
	case n <= 2:
		b := new(struct {
			o Object
			m [2]Member
		})
		b.o.members = b.m[:n:n]
		return &b.o
	case n <= 4:
		b := new(struct {
			o Object
			m [4]Member
		})
		b.o.members = b.m[:n:n]
		return &b.o
	case n <= smallObject:
		b := new(struct {
			o Object
			m [smallObject]Member
		})
		b.o.members = b.m[:n:n]
		return &b.o
	}
	return &Object{members: make([]Member, n)}
}

// CopyObject is NewObject for members the caller keeps (a decoder's
// scratch buffer): they are copied, in one allocation with the object
// when it is small.
func CopyObject(members []Member) *Object {
	if len(members) > smallObject {
		return NewObject(append([]Member(nil), members...))
	}
	o := allocObject(len(members))
	copy(o.members, members)
	o.members = dedupeSmall(o.members)
	return o
}

// EmptyObject returns an object without members.
func EmptyObject() *Object { return &Object{} }

// Len is the number of members.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.members)
}

// Members returns the members in order. The slice belongs to the object:
// callers must not modify it.
func (o *Object) Members() []Member {
	if o == nil {
		return nil
	}
	return o.members
}

// Get returns the value of key.
func (o *Object) Get(key string) (any, bool) {
	if i := o.find(key); i >= 0 {
		return o.members[i].Value, true
	}
	return nil, false
}

func (o *Object) find(key string) int {
	if o == nil {
		return -1
	}
	if o.index != nil {
		if i, ok := o.index[key]; ok {
			return i
		}
		return -1
	}
	for i := range o.members {
		if o.members[i].Key == key {
			return i
		}
	}
	return -1
}

// With returns a copy of o with key set to value: in its place when o has
// key, else after the existing members.
func (o *Object) With(key string, value any) *Object {
	n := o.Len()
	i := o.find(key)
	if i >= 0 {
		out := allocObject(n)
		copy(out.members, o.members)
		out.members[i].Value = value
		out.index = o.index
		return out
	}
	if n+1 <= smallObject {
		out := allocObject(n + 1)
		copy(out.members, o.Members())
		out.members[n] = Member{Key: key, Value: value}
		return out
	}
	ms := make([]Member, n, n+1)
	copy(ms, o.Members())
	ms = append(ms, Member{Key: key, Value: value})
	index := make(map[string]int, n+1)
	for j := range ms {
		index[ms[j].Key] = j
	}
	return &Object{members: ms, index: index}
}

// Keys returns the keys in order.
func (o *Object) Keys() []string {
	keys := make([]string, o.Len())
	for i := range keys {
		keys[i] = o.members[i].Key
	}
	return keys
}
