package expr

import "sync/atomic"

// Short strings decoded from JSON (object keys, and values such as codes,
// countries, statuses) repeat from one document to the next: a task's
// result has the same keys on every call. internTable keeps the newest
// string seen per hash slot, so decoding a repeated one reuses it instead
// of allocating; a miss allocates as before and takes the slot. Strings
// are immutable, so sharing one between documents is safe.
const (
	internMaxLen = 24
	internSlots  = 4096 // a power of two
)

var internTable [internSlots]atomic.Pointer[internEntry]

// internEntry is one interned string, with it boxed as a value once (a
// string stored in an interface is allocated on its own).
type internEntry struct {
	s string
	v any
}

// internBytes returns b as a string, and the same as a JSON value,
// shared with earlier calls for the same short text.
func internBytes(b []byte) (string, any) {
	if len(b) == 0 {
		return "", ""
	}
	if len(b) > internMaxLen {
		s := string(b)
		return s, s
	}
	h := uint32(2166136261) // FNV-1a
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	slot := &internTable[h&(internSlots-1)]
	if e := slot.Load(); e != nil && e.s == string(b) {
		return e.s, e.v
	}
	e := &internEntry{s: string(b)}
	e.v = e.s
	slot.Store(e)
	return e.s, e.v
}
