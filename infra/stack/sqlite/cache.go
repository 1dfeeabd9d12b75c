package sqlite

import (
	"slices"
	"sync"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// cache is a bounded map from application ID to a value; entries leave in
// insertion order once it is full. Values go in and come out as clones,
// so no caller can change what another sees.
type cache[V any] struct {
	mu    sync.Mutex
	items map[string]V
	ring  []string // insertion order, len = capacity
	next  int
	clone func(V) V
}

func newCache[V any](capacity int, clone func(V) V) *cache[V] {
	return &cache[V]{items: make(map[string]V, capacity), ring: make([]string, capacity), clone: clone}
}

// get returns a clone of the entry for id. It clones under the lock:
// update changes entries in place.
func (c *cache[V]) get(id string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.items[id]
	if !ok {
		return v, false
	}
	return c.clone(v), true
}

// put stores a clone of v, replacing the entry for id if there is one.
func (c *cache[V]) put(id string, v V) {
	v = c.clone(v)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.items[id]; !ok {
		if old := c.ring[c.next]; old != "" {
			delete(c.items, old)
		}
		c.ring[c.next] = id
		c.next = (c.next + 1) % len(c.ring)
	}
	c.items[id] = v
}

// update changes the entry for id in place, if there is one.
func (c *cache[V]) update(id string, fn func(*V)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.items[id]; ok {
		fn(&v)
		c.items[id] = v
	}
}

// The form cache keeps opened (decoded and unsealed) forms. A form changes
// only by ApplyCorrection, which puts the new form in the cache once it is
// committed; it saves every later read the JSON decoding and the AES-GCM
// opening of the form, which were the largest cost of reading an
// application. 4,096 forms (the applications in flight on a busy day) are a
// few megabytes.
const formCacheSize = 4096

func newFormCache() *cache[kaiban.Form] {
	return newCache(formCacheSize, kaiban.Form.Clone)
}

// The state cache keeps the committed state (row and tracks, not the form)
// of recent applications, so that the handlers' many reads of an
// application in flight cost no SQL. It is written only by the writer
// goroutine, after a commit, in commit order (see job.after), so it never
// runs ahead of or behind the file: an entry is created when this store
// creates the application and changed by every later write of it.
// Applications read from an existing file (after a restart) are served
// from SQL and not cached, which keeps the rule simple: nothing but a
// commit fills the cache. The store owns its file exclusively (see
// lockFile), so no other writer can change a row behind the cache's back.
const appCacheSize = 8192

func newAppCache() *cache[*kaiban.Application] {
	return newCache(appCacheSize, func(a *kaiban.Application) *kaiban.Application {
		a = copyState(a)
		a.Form = kaiban.Form{}
		return a
	})
}

// copyState copies an application's state deeply enough that neither copy
// can change the other through a track; the form is shared (the caller
// replaces or drops it).
func copyState(a *kaiban.Application) *kaiban.Application {
	out := *a
	out.CompletedAt = clonePtr(a.CompletedAt)
	out.Tracks = slices.Clone(a.Tracks)
	for i := range out.Tracks {
		out.Tracks[i] = cloneTrack(out.Tracks[i])
	}
	return &out
}

// cloneTrack copies t so that no pointer or slice is shared.
func cloneTrack(t kaiban.Track) kaiban.Track {
	t.StartedAt, t.FinishedAt = clonePtr(t.StartedAt), clonePtr(t.FinishedAt)
	t.Result = slices.Clone(t.Result)
	return t
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
