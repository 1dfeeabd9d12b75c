package api

import (
	"strings"
	"testing"
)

// The deployed api never serves the local stack's development pages: the
// outbox holds status links with their access tokens.
func TestRouteTableHasNoDevRoutes(t *testing.T) {
	s := &Server{}
	for _, r := range s.routeTable() {
		if strings.HasPrefix(r.pattern, "/dev") {
			t.Errorf("the api's route list has %s %s: development routes belong to the local stack only", r.method, r.pattern)
		}
	}
}
