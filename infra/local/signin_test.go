package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/infra/stack"
	"github.com/kaiban/kaiban/infra/stack/oidcp"
)

// The clerks' passwords are printed on the start that made them, and only
// then; later starts name the file.
func TestClerkSignInIsAnnouncedOnce(t *testing.T) {
	accs := []oidcp.Account{{Username: "clerk1", Password: "pw-clerk1-0123", Groups: []string{"clerks"}}}
	for _, c := range []struct {
		name    string
		created bool
		want    bool
	}{{"first start", true, true}, {"later start", false, false}} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			printClerkSignIn(&b, stack.ClerkSignIn{File: "/d/clerks.json", Created: c.created, Accounts: accs})
			if got := strings.Contains(b.String(), "pw-clerk1-0123"); got != c.want || !strings.Contains(b.String(), "/d/clerks.json") {
				t.Errorf("printed %q", b.String())
			}
		})
	}
}
