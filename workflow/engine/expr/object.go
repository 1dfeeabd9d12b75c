package expr

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
	return &Object{members: members[:j:j]}
}

// newUniqueObject is NewObject for members whose keys are known to be
// distinct (a compiled template's fields).
func newUniqueObject(members []Member) *Object {
	if len(members) > smallObject {
		return NewObject(members)
	}
	return &Object{members: members}
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
		ms := make([]Member, n)
		copy(ms, o.members)
		ms[i].Value = value
		return &Object{members: ms, index: o.index}
	}
	ms := make([]Member, n, n+1)
	copy(ms, o.Members())
	ms = append(ms, Member{Key: key, Value: value})
	if n+1 > smallObject {
		index := make(map[string]int, n+1)
		for j := range ms {
			index[ms[j].Key] = j
		}
		return &Object{members: ms, index: index}
	}
	return &Object{members: ms}
}

// Keys returns the keys in order.
func (o *Object) Keys() []string {
	keys := make([]string, o.Len())
	for i := range keys {
		keys[i] = o.members[i].Key
	}
	return keys
}
