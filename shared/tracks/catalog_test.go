package tracks

import (
	"slices"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
)

// The catalog carries every track exactly once, in kaiban.Tracks' order,
// each with the agency that registers it, and every step has a handler
// under a name and resource of its own.
func TestStepsCatalog(t *testing.T) {
	var got []kaiban.TrackName
	for _, st := range TrackSteps() {
		got = append(got, st.Track)
		if st.Agency != kaiban.AgencyFor(st.Track) {
			t.Errorf("%s: agency %q, want %q", st.Name, st.Agency, kaiban.AgencyFor(st.Track))
		}
	}
	if !slices.Equal(got, kaiban.Tracks) {
		t.Errorf("catalog tracks %v, want %v", got, kaiban.Tracks)
	}
	names, ids := map[string]bool{}, map[string]bool{}
	hs := New(Deps{}).Handlers()
	own := 0
	for _, st := range Steps {
		if names[st.Name] || ids[st.LogicalID] {
			t.Errorf("%s (%s) listed twice", st.Name, st.LogicalID)
		}
		names[st.Name], ids[st.LogicalID] = true, true
		if !st.Own() {
			if hs[st.Name] != nil || st.handler != nil || st.Track != "" {
				t.Errorf("%s runs the %s bootstrap but has a handler here", st.Name, st.Program())
			}
			continue
		}
		own++
		if hs[st.Name] == nil {
			t.Errorf("%s has no handler", st.Name)
		}
		if st.Track == "" && st.handler == nil {
			t.Errorf("%s is neither a track nor has a handler", st.Name)
		}
	}
	if len(hs) != own {
		t.Errorf("%d handlers for %d steps of the step bootstrap", len(hs), own)
	}
	if _, ok := StepNamed("nosuch"); ok {
		t.Error("StepNamed found a step that is not listed")
	}
}
