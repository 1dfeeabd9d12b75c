package sqlite

import (
	"sync"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// formCacheSize bounds the forms kept opened in memory: the applications
// in flight on a busy day, a few megabytes.
const formCacheSize = 4096

// formCache keeps opened (decoded and unsealed) forms by application ID.
// A form never changes once CreateApplication has stored it, so a cached
// copy cannot go stale; it saves every later read the JSON decoding and
// the AES-GCM opening of the form, which were the largest cost of reading
// an application. Entries leave in insertion order once the cache is full.
// Callers get clones, so none can change what another sees.
type formCache struct {
	mu    sync.Mutex
	forms map[string]kaiban.Form
	ring  [formCacheSize]string
	next  int
}

func newFormCache() *formCache {
	return &formCache{forms: make(map[string]kaiban.Form, formCacheSize)}
}

func (c *formCache) get(id string) (kaiban.Form, bool) {
	c.mu.Lock()
	f, ok := c.forms[id]
	c.mu.Unlock()
	if !ok {
		return kaiban.Form{}, false
	}
	return f.Clone(), true
}

func (c *formCache) put(id string, f kaiban.Form) {
	f = f.Clone()
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.forms[id]; ok {
		return
	}
	if old := c.ring[c.next]; old != "" {
		delete(c.forms, old)
	}
	c.ring[c.next] = id
	c.next = (c.next + 1) % formCacheSize
	c.forms[id] = f
}
