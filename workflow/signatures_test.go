package workflow_test

import (
	"encoding/json"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/workflow"
)

// TestSignatureWaits: no path from the start reaches a registration
// (ReserveName, then the tracks) without passing Accepted, the state that
// follows the last signature; the first wait reminds after 30 minutes and
// the two waits together last the confirmation window, which the
// execution's timeout leaves room for.
func TestSignatureWaits(t *testing.T) {
	states := allStates(t)
	seen := map[string]bool{"Accepted": true} // the only way through
	var walk func(string)
	walk = func(name string) {
		if seen[name] {
			return
		}
		seen[name] = true
		s := states[name]
		next := []string{s.Next, s.Default}
		for _, c := range s.Choices {
			next = append(next, c.Next)
		}
		for _, c := range s.Catch {
			next = append(next, c.Next)
		}
		for _, n := range next {
			if n != "" {
				walk(n)
			}
		}
	}
	walk("Init")
	if seen["ReserveName"] || seen["Tracks"] {
		t.Error("a path from Init reaches the registrations without every founder's signature")
	}
	if !seen["AwaitSignatures"] || !seen["ExpireSignatures"] {
		t.Error("the signature states are not reachable from Init")
	}

	var def struct {
		TimeoutSeconds int
		States         map[string]struct {
			TimeoutSeconds int
			Catch          []struct {
				ErrorEquals []string
				Next        string
			}
		}
	}
	if err := json.Unmarshal(workflow.OneStop, &def); err != nil {
		t.Fatal(err)
	}
	first, rest := def.States["AwaitSignatures"], def.States["AwaitSignaturesReminded"]
	if first.TimeoutSeconds != 30*60 {
		t.Errorf("the reminder comes after %d s, want 1800", first.TimeoutSeconds)
	}
	window := int(kaiban.ConfirmWindow.Seconds())
	if first.TimeoutSeconds+rest.TimeoutSeconds != window {
		t.Errorf("the waits last %d s, want the window's %d", first.TimeoutSeconds+rest.TimeoutSeconds, window)
	}
	if def.TimeoutSeconds < window+3*24*3600 {
		t.Errorf("execution timeout %d s leaves the registrations less than 3 days after the window", def.TimeoutSeconds)
	}
	for name, want := range map[string]string{"AwaitSignatures": "RemindSignatures", "AwaitSignaturesReminded": "ExpireSignatures"} {
		ok := false
		for _, c := range def.States[name].Catch {
			if len(c.ErrorEquals) == 1 && c.ErrorEquals[0] == "States.Timeout" && c.Next == want {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s does not go to %s when it times out", name, want)
		}
	}
}
