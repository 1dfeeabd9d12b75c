package sqlite

import (
	"slices"
	"sync"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// appCacheSize bounds the applications whose state is kept in memory: the
// applications in flight on a busy day.
const appCacheSize = 8192

// appCache keeps the committed state (row and tracks, not the form) of
// recent applications, so that the handlers' many reads of an application
// in flight cost no SQL. It is written only by the writer goroutine, after
// a commit, in commit order (see job.after), so it never runs ahead of or
// behind the file: an entry is created when this store creates the
// application and changed by every later write of it. Applications read
// from an existing file (after a restart) are served from SQL and not
// cached, which keeps the rule simple: nothing but a commit fills the
// cache. The store owns its file exclusively (see lockFile), so no other
// writer can change a row behind the cache's back.
type appCache struct {
	mu   sync.Mutex
	apps map[string]*kaiban.Application
	ring [appCacheSize]string
	next int
}

func newAppCache() *appCache {
	return &appCache{apps: make(map[string]*kaiban.Application, appCacheSize)}
}

// get returns a copy of the cached state, without its form.
func (c *appCache) get(id string) (*kaiban.Application, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.apps[id]
	if !ok {
		return nil, false
	}
	return copyState(a), true
}

// put caches a's state (its form is not kept).
func (c *appCache) put(a *kaiban.Application) {
	a = copyState(a)
	a.Form = kaiban.Form{}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.apps[a.ID]; !ok {
		if old := c.ring[c.next]; old != "" {
			delete(c.apps, old)
		}
		c.ring[c.next] = a.ID
		c.next = (c.next + 1) % appCacheSize
	}
	c.apps[a.ID] = a
}

// update applies a committed change to the cached application, if cached.
func (c *appCache) update(id string, fn func(*kaiban.Application)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a, ok := c.apps[id]; ok {
		fn(a)
	}
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
