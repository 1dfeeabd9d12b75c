package web

import (
	"encoding/json"
	"sync"

	"github.com/kaiban/kaiban/shared/bizscope"
)

// scopeJSON is the standard business-scope list the portal's picker
// offers, rendered from shared/bizscope (the list the validator checks
// against) rather than kept as a copy that could drift from it.
var scopeJSON = sync.OnceValue(func() []byte {
	b, err := json.Marshal(bizscope.Items())
	if err != nil {
		// []bizscope.Item has only strings and bools; Marshal cannot fail.
		return []byte("[]")
	}
	return b
})

// generated lists the assets computed from Go data rather than embedded,
// by URL path.
var generated = map[string]func() []byte{
	"/static/scope.json": scopeJSON,
}
