package workflow_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kaiban/kaiban/shared/kaiban"
	"github.com/kaiban/kaiban/shared/workdays"
	"github.com/kaiban/kaiban/workflow"
)

// TestCorrectionWaitsEndAtTheirDueAt: every wait for the applicant's
// correction times out after the seconds its CORRECTION_DUE state computed
// (TimeoutSecondsPath), passes that state's askedAt and dueAt on to be
// stored, and is entered from that state only; the execution outlasts the
// longest such wait.
func TestCorrectionWaitsEndAtTheirDueAt(t *testing.T) {
	var def struct {
		TimeoutSeconds int
	}
	if err := json.Unmarshal(workflow.OneStop, &def); err != nil {
		t.Fatal(err)
	}
	states := allStates(t)
	waits := 0
	for name, s := range states {
		var p struct {
			Payload map[string]any `json:"Payload"`
		}
		if s.Parameters != nil {
			if err := json.Unmarshal(s.Parameters, &p); err != nil {
				t.Fatal(err)
			}
		}
		if p.Payload["kind"] != "CORRECTION" {
			continue
		}
		waits++
		var timing struct {
			TimeoutSeconds     json.RawMessage
			TimeoutSecondsPath string
		}
		if err := json.Unmarshal(stateJSON(t, name), &timing); err != nil {
			t.Fatal(err)
		}
		if timing.TimeoutSeconds != nil || timing.TimeoutSecondsPath != "$.correctionDue.timeoutSeconds" {
			t.Errorf("%s times out after %s s / %q, want TimeoutSecondsPath $.correctionDue.timeoutSeconds", name, timing.TimeoutSeconds, timing.TimeoutSecondsPath)
		}
		if p.Payload["askedAt.$"] != "$.correctionDue.askedAt" || p.Payload["dueAt.$"] != "$.correctionDue.dueAt" {
			t.Errorf("%s passes askedAt %v, dueAt %v, want the CORRECTION_DUE state's", name, p.Payload["askedAt.$"], p.Payload["dueAt.$"])
		}
		for from, fs := range states {
			next := []string{fs.Next, fs.Default}
			for _, c := range fs.Choices {
				next = append(next, c.Next)
			}
			for _, c := range fs.Catch {
				next = append(next, c.Next)
			}
			for _, n := range next {
				if n == name && from != name+"Due" {
					t.Errorf("%s enters %s without computing its dueAt", from, name)
				}
			}
		}
		due, ok := states[name+"Due"]
		if !ok || due.Next != name || !strings.Contains(string(due.Parameters), `"CORRECTION_DUE"`) {
			t.Errorf("%s has no CORRECTION_DUE state before it: %+v", name, due)
		}
	}
	if waits != 2*len(kaiban.Tracks) {
		t.Errorf("%d correction waits, want AskApplicant and SendBack of each of the %d tracks", waits, len(kaiban.Tracks))
	}
	longest := int(workdays.MaxSpan(kaiban.CorrectionWorkingDays) / time.Second)
	if min := 3*24*3600 + int(kaiban.ConfirmWindow/time.Second) + longest; def.TimeoutSeconds < min {
		t.Errorf("execution timeout %d s, want at least %d s (3 days, the signatures' window and the longest correction wait, %d s)", def.TimeoutSeconds, min, longest)
	}
}

// stateJSON is the named state of the definition, Parallel branches
// included, as JSON.
func stateJSON(t *testing.T, name string) json.RawMessage {
	t.Helper()
	type node struct {
		States map[string]json.RawMessage
	}
	var find func(json.RawMessage) json.RawMessage
	find = func(b json.RawMessage) json.RawMessage {
		var n node
		if json.Unmarshal(b, &n) != nil {
			return nil
		}
		if s, ok := n.States[name]; ok {
			return s
		}
		for _, s := range n.States {
			var par struct{ Branches []json.RawMessage }
			if json.Unmarshal(s, &par) != nil {
				continue
			}
			for _, br := range par.Branches {
				if got := find(br); got != nil {
					return got
				}
			}
		}
		return nil
	}
	s := find(workflow.OneStop)
	if s == nil {
		t.Fatalf("no state %s", name)
	}
	return s
}
