package workflow_test

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/workflow"
)

// state is the part of an ASL state these checks read.
type state struct {
	Type       string          `json:"Type"`
	Resource   string          `json:"Resource"`
	Parameters json.RawMessage `json:"Parameters"`
	Next       string          `json:"Next"`
	End        bool            `json:"End"`
	Choices    []struct {
		Variable     string `json:"Variable"`
		StringEquals string `json:"StringEquals"`
		Next         string `json:"Next"`
	} `json:"Choices"`
	Default  string `json:"Default"`
	Branches []struct {
		States map[string]state `json:"States"`
	} `json:"Branches"`
	Catch []struct {
		ErrorEquals []string `json:"ErrorEquals"`
		Next        string   `json:"Next"`
	} `json:"Catch"`
}

// allStates flattens the definition, Parallel branches included.
func allStates(t *testing.T) map[string]state {
	t.Helper()
	var def struct {
		States map[string]state `json:"States"`
	}
	if err := json.Unmarshal(workflow.OneStop, &def); err != nil {
		t.Fatal(err)
	}
	out := map[string]state{}
	var walk func(map[string]state)
	walk = func(m map[string]state) {
		for name, s := range m {
			out[name] = s
			for _, b := range s.Branches {
				walk(b.States)
			}
		}
	}
	walk(def.States)
	return out
}

// TestChoiceStatesFollowTheDecisionTable walks every clerk hand-off: the
// Choice state after it routes exactly the decisions kaiban.DecisionTable
// gives that class of task (the ones delivered to a workflow), and
// anything else goes back to a clerk, never down a path.
func TestChoiceStatesFollowTheDecisionTable(t *testing.T) {
	states := allStates(t)
	seen := map[kaiban.TaskClass]bool{}
	for name, s := range states {
		if !strings.HasSuffix(s.Resource, ".waitForTaskToken") {
			continue
		}
		var p struct {
			FunctionName string `json:"FunctionName"`
			Payload      struct {
				Track string          `json:"track"`
				Kind  kaiban.TaskKind `json:"kind"`
			} `json:"Payload"`
		}
		if err := json.Unmarshal(s.Parameters, &p); err != nil {
			t.Fatal(err)
		}
		if p.FunctionName != "${EscalateFunctionArn}" {
			continue // the founders' signatures, not a clerk (TestSignatureWaits)
		}
		class := kaiban.ClassOf(p.Payload.Kind, p.Payload.Track)
		// A wait for the applicant's correction (补正) is answered by the
		// applicant's retry, through the track's own Choice state, whose
		// unknown decisions go to the track's clerk.
		askAgain := name
		if p.Payload.Kind == "CORRECTION" {
			class = kaiban.ClassTrackException
			askAgain = strings.TrimSuffix(strings.TrimSuffix(name, ".AskApplicant"), ".SendBack") + ".Escalate"
		}
		seen[class] = true
		choice, ok := states[s.Next]
		if !ok || choice.Type != "Choice" {
			t.Errorf("%s (%s) is followed by %q, not a Choice", name, class, s.Next)
			continue
		}
		var routed, want []string
		for _, c := range choice.Choices {
			if c.Variable != "$.clerk.decision" {
				t.Errorf("%s routes on %s", s.Next, c.Variable)
			}
			routed = append(routed, c.StringEquals)
		}
		for _, r := range kaiban.DecisionsFor(class) {
			if r.Delivers {
				want = append(want, string(r.Decision))
			}
		}
		sort.Strings(routed)
		sort.Strings(want)
		if !slices.Equal(routed, want) {
			t.Errorf("%s routes %v; the table gives %s %v", s.Next, routed, class, want)
		}
		if choice.Default != askAgain {
			t.Errorf("%s: an unknown decision goes to %q, want back to the clerk (%s)", s.Next, choice.Default, askAgain)
		}
	}
	for c := range kaiban.DecisionTable {
		if kaiban.NeedsToken(c) && !seen[c] {
			t.Errorf("class %s delivers decisions but no state waits for them", c)
		}
	}
}

// TestClerkCompletionsNeverFailTheApplication: every state that records
// what a clerk did by hand catches every error and hands it back to a
// clerk, so a failing handler cannot reject the application.
func TestClerkCompletionsNeverFailTheApplication(t *testing.T) {
	states := allStates(t)
	n := 0
	for name, s := range states {
		if !strings.HasSuffix(name, ".Complete") && name != "CompensateByHand" {
			continue
		}
		n++
		ok := false
		for _, c := range s.Catch {
			next := states[c.Next]
			if slices.Contains(c.ErrorEquals, "States.ALL") && strings.HasSuffix(next.Resource, ".waitForTaskToken") {
				ok = true
			}
		}
		if !ok {
			t.Errorf("%s does not hand its failures back to a clerk: %+v", name, s.Catch)
		}
	}
	if n != 8 {
		t.Errorf("found %d clerk-completion states, want 8 (seven tracks and CompensateByHand)", n)
	}
}
